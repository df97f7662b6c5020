"""map_unique_columns builds text columns in Arrow from the distinct values; the frame is the one the old
per-cell way made: each cell parsed, the parts as object arrays, the dtypes pandas infers from them."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.domain.people.residents import _name_parts
from gridtool.table.address import split_room
from gridtool.table.columnwise import map_unique_columns
from gridtool.table.values import PLAIN_NAME, clean_text, name_key, parse_timestamp, parse_yes_no


def _cell_by_cell(series: pd.Series, parse: Callable[[str], tuple[Any, ...]], names: list[str]) -> pd.DataFrame:
    """The old way: every cell parsed (a missing cell as ''), each part an object array."""
    parsed = [parse("" if value is None or (isinstance(value, float) and math.isnan(value)) else value)
              for value in series.tolist()]
    columns = {}
    for position, name in enumerate(names):
        values = np.empty(len(parsed), dtype=object)
        values[:] = [item[position] for item in parsed]
        columns[name] = values
    return pd.DataFrame(columns, index=series.index)


PARSERS: list[tuple[Callable[[str], tuple[Any, ...]], list[str]]] = [
    (lambda t: (clean_text(t), name_key(t)), ["name", "name_key"]),
    (split_room, ["unit", "room"]),
    (parse_yes_no, ["answer", "detail"]),  # bool or None beside text
    (parse_timestamp, ["day", "time"]),  # dates, times and None: never text
    (lambda t: (None if t == "" else t, 1), ["text", "one"]),  # text where given, None for a missing cell
]
CELLS = st.one_of(st.none(), st.sampled_from(["", " 张 伟", "1单元101", "是", "否", "咳嗽┋乏力", "08:30", "ＬＩ Ｌｅｉ",
                                               "2026/11/21 08:00", "45982.35", "101"]), st.text(max_size=6))


@settings(max_examples=150, deadline=None)
@given(st.lists(CELLS, max_size=25), st.sampled_from(["object", "str"]))
def test_columns_equal_the_cell_by_cell_frame(values: list[str | None], dtype: str) -> None:
    series = pd.Series(values, dtype=dtype, index=range(100, 100 + len(values)))
    for parse, names in PARSERS:
        pd.testing.assert_frame_equal(map_unique_columns(series, parse, names), _cell_by_cell(series, parse, names))


def test_text_parts_are_arrow_text_and_other_parts_stay_objects() -> None:
    series = pd.Series(["1单元101", None, "502", "1单元101"])
    frame = map_unique_columns(series, split_room, ["unit", "room"])
    assert str(frame["room"].dtype) == "str" and frame["room"].tolist() == ["101", "", "502", "101"]
    assert frame["unit"].tolist() == ["1", "", "", "1"]
    stamps = map_unique_columns(pd.Series(["2026/11/21 08:00", None]), parse_timestamp, ["day", "time"])
    assert stamps["day"].dtype == object and stamps["day"].tolist() == [dt.date(2026, 11, 21), None]
    assert map_unique_columns(pd.Series([], dtype=object), split_room, ["unit", "room"])["room"].dtype == object


def test_plain_names_are_their_own_clean_text_and_key() -> None:
    ideographs = [chr(code) for code in range(0x4E00, 0xA000)]
    assert all(clean_text(ch) == ch and name_key(ch) == ch for ch in ideographs)
    series = pd.Series(["张伟", "张 伟", "张·伟", "ＬＩ", "\uf900王", "王\u200b五", "李", None], dtype="str")
    assert map_unique_columns(series, _name_parts, ["name", "name_key"], PLAIN_NAME)["name_key"].tolist() == [
        "张伟", "张伟", "张伟", "li", "\u8c48王", "王\u200b五", "李", ""]


NAMES = st.one_of(st.none(), st.text(alphabet=st.sampled_from("张伟王芳李四·. ＬＩｌｉ\u3000\uf900\u200b"), max_size=5),
                  st.text(max_size=4))


@settings(max_examples=200, deadline=None)
@given(st.lists(NAMES, max_size=25), st.sampled_from(["object", "str"]))
def test_names_found_plain_in_bulk_equal_each_name_parsed(values: list[str | None], dtype: str) -> None:
    series = pd.Series(values, dtype=dtype)
    pd.testing.assert_frame_equal(map_unique_columns(series, _name_parts, ["name", "name_key"], PLAIN_NAME),
                                  _cell_by_cell(series, _name_parts, ["name", "name_key"]))
