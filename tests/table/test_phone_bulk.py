"""Phones that are plain digits pass normalize_phone in bulk; the result is the same as parsing each."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.table.columnwise import map_unique
from gridtool.table.values import PLAIN_PHONE, normalize_phone

AWKWARD = ["13800138000", "8613800138000", "+86-138-0013-8000", "138 0013 8000", "13800138000.0", "１３８００１３８０００",
           "8513800138000", "0755-12345678", "", None, "未填", "(86)13800138000", "12345678901234", "861380013800"]


def _both(values: list[str | None], dtype: object = object) -> tuple[list[object], list[object]]:
    series = pd.Series(values, dtype=dtype)
    return map_unique(series, normalize_phone, PLAIN_PHONE).tolist(), map_unique(series, normalize_phone).tolist()


def test_awkward_phones_come_out_as_each_one_parsed() -> None:
    for dtype in (object, "string[pyarrow]"):
        bulk, each = _both(AWKWARD, dtype)
        assert bulk == each
    assert _both(AWKWARD)[0][:3] == ["13800138000", "13800138000", "13800138000"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789+-86 .", max_size=15), max_size=20))
def test_any_digit_text_comes_out_as_each_one_parsed(values: list[str]) -> None:
    bulk, each = _both(values)  # type: ignore[arg-type]
    assert bulk == each
