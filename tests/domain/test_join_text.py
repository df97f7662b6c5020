"""join_text joins text columns row by row in Arrow, a part given as text standing for that text on every row:
the same keys as joining each row's values in Python."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.domain.people.residents import join_text

ARROW = pd.StringDtype("pyarrow", na_value=np.nan)
TEXT = st.sampled_from(["", "张伟", "1-101", "tel:", "a|b"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=20), st.sampled_from([object, ARROW]),
       st.sampled_from(["", "tel:", "x"]))
def test_joined_keys_equal_each_row_joined(rows: list[tuple[str, str]], dtype: object, text: str) -> None:
    index = range(3, 3 + len(rows))
    first = pd.Series([r[0] for r in rows], index=index, dtype=dtype)
    second = pd.Series([r[1] for r in rows], index=index, dtype=dtype)
    joined = join_text([first, second, text], "|")
    assert joined.index.equals(first.index) and str(joined.dtype) == "str"
    assert joined.tolist() == [f"{a}|{b}|{text}" for a, b in rows]
