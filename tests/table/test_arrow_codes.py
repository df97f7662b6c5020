"""Codes of an Arrow text column from Arrow's hash (arrow_codes, and Distinct.of through it) are the codes and
distinct texts pandas' factorize gives: numbered in order of first appearance, -1 for a missing cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.table.distinct import Distinct, arrow_codes

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
