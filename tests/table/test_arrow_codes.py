"""Codes of an Arrow text column from Arrow's hash (arrow_codes, and Distinct.of through it) are the codes and
distinct texts pandas' factorize gives: numbered in order of first appearance, -1 for a missing cell; a column
parsed to itself, or one text on every row, is made in Arrow and equals the column the old way made."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.table.columnwise import _arrow_text_array, _arrow_texts, constant_text, map_unique
from gridtool.table.distinct import Distinct, arrow_codes
from gridtool.table.values import clean_text

ARROW = pd.StringDtype("pyarrow", na_value=np.nan)
CELLS = st.one_of(st.none(), st.sampled_from(["", "张伟", "1-101", " 张伟", "张伟 "]), st.text(max_size=4))


def _series(values: list[str | None], chunks: int) -> pd.Series:
    """Arrow text in `chunks` pieces, as a column read from several sheets or concatenated arrives."""
    size = max(1, -(-len(values) // chunks))
    pieces = [pa.array(values[i:i + size], type=pa.large_string()) for i in range(0, len(values), size)] or \
        [pa.array([], type=pa.large_string())]
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(pieces), dtype=ARROW))


@settings(max_examples=200, deadline=None)
@given(st.lists(CELLS, max_size=30), st.integers(1, 3))
def test_arrow_codes_are_pandas_factorize(values: list[str | None], chunks: int) -> None:
    series = _series(values, chunks)
    encoded = arrow_codes(series)
    assert encoded is not None
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    assert encoded[0].dtype == np.intp and encoded[0].tolist() == codes.tolist()
    assert encoded[1].to_pylist() == list(uniques)
    column = Distinct.of(series)
    assert column.codes.tolist() == codes.tolist() and column.texts == list(uniques)


def test_other_columns_are_left_to_pandas() -> None:
    assert arrow_codes(pd.Series(["a", None, "a"], dtype=object)) is None
    assert arrow_codes(pd.Series([1.5, 2.0])) is None
    assert Distinct.of(pd.Series(["a", None, "a"], dtype=object)).codes.tolist() == [0, -1, 0]


def _each_cell(series: pd.Series, parse: Callable[[str], Any]) -> pd.Series:
    """The old way: every cell parsed (a missing cell as ''), the values as pandas infers them."""
    values = np.empty(len(series), dtype=object)
    values[:] = [parse("" if value is None or value != value else value) for value in series.tolist()]
    return pd.Series(values, index=series.index)


PARSERS: list[Callable[[str], Any]] = [clean_text, lambda t: t, lambda t: t or None, lambda t: t.strip(), len]


@settings(max_examples=200, deadline=None)
@given(st.lists(CELLS, max_size=30), st.integers(1, 3))
def test_a_column_that_parses_to_itself_is_the_column_each_cell_parsed(values: list[str | None], chunks: int) -> None:
    series = _series(values, chunks)
    for parse in PARSERS:
        pd.testing.assert_series_equal(map_unique(series, parse), _each_cell(series, parse))


def test_one_text_for_every_row_is_the_text_column_pandas_makes() -> None:
    for text in ("", "tel:", "未分配"):
        made = pd.Series(constant_text(text, 4))
        pd.testing.assert_series_equal(made, pd.Series(np.full(4, text, dtype=object)))
    blank = map_unique(pd.Series([None, None], dtype=object), lambda t: t + "x")
    assert blank.tolist() == ["x", "x"] and str(blank.dtype) == "str"


def test_text_stacked_from_several_sheets_is_handed_over_as_it_is() -> None:
    chunked = pa.chunked_array([pa.array(["张伟"], pa.large_string()), pa.array(["李四", None], pa.large_string())])
    made = _arrow_text_array(chunked)  # not read value by value into one chunk
    assert pa.array(made).num_chunks == 2 and list(made[:2]) == ["张伟", "李四"] and pd.isna(made[2])
    texts = _arrow_texts(pd.Series(made))
    assert isinstance(texts, pa.LargeStringArray) and texts.to_pylist() == ["张伟", "李四", None]
