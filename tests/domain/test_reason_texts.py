"""The reasons of the flagged rows, made once per distinct combination (reason_texts), are those made row by
row (rows_reason_texts); row_codes numbers rows alike in every column alike, in order of first appearance."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.domain.checkins.flagged import REASON_INPUTS, reason_texts, row_codes, rows_reason_texts

ARROW = pd.StringDtype("pyarrow", na_value=np.nan)
ROW = st.fixed_dictionaries({
    "urgent": st.booleans(), "fever": st.booleans(), "health_code": st.booleans(),
    "code_text": st.sampled_from([None, "", "黄码", "红码（请立即报告）"]), "temp_check": st.booleans(),
    "bad_temperature": st.booleans(), "temp_text": st.sampled_from([None, "", "38.2", "37.3℃及以上", "365"]),
    "temperature": st.sampled_from([math.nan, 38.2, 37.25, 39.0]), "symptoms": st.booleans(),
    "symptom_detail": st.sampled_from([None, "", "咳嗽", "发热、乏力"]), "missing": st.booleans(),
    "missing_days": st.integers(0, 4),
})


def _frame(rows: list[dict[str, object]], text: object) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=REASON_INPUTS)
    return frame.astype({c: text for c in ("code_text", "temp_text", "symptom_detail")})


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=40), st.sampled_from([object, ARROW]))
def test_reason_texts_equal_the_row_by_row_texts(rows: list[dict[str, object]], text: object) -> None:
    frame = _frame(rows, text)
    assert reason_texts(frame) == rows_reason_texts(frame)


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=40))
def test_row_codes_are_equal_for_equal_rows_only(rows: list[dict[str, object]]) -> None:
    frame = _frame(rows, object)
    keys = [tuple("missing" if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)]
    expected = {key: number for number, key in enumerate(dict.fromkeys(keys))}
    assert row_codes(frame).tolist() == [expected[key] for key in keys]


def test_many_columns_of_many_values_stay_in_range() -> None:
    frame = pd.DataFrame({f"c{i}": np.arange(1000) % (997 - i) for i in range(12)})
    assert row_codes(frame).tolist() == list(range(1000))
