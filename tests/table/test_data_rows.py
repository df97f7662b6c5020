"""Which rows under a header hold records, worked out without filling every column first, and the rows kept
as a slice when they are one run: the same rows, index and values as the filled mask and a boolean filter."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.table.columns import ColumnMatch
from gridtool.table.header import NOTE_PREFIXES, _data_rows, _kept, note_rows

HEADERS = ["姓名", "体温", ""]
MATCHES = [ColumnMatch("name", 0, "姓名", True), ColumnMatch("temperature", 1, "体温", True),
           ColumnMatch("symptoms", 2, "", True)]
CELL = st.sampled_from([None, "", "张伟", "姓名", "体温", "36.5", "注：本表", "合计", " 李四"])


def _filled_mask(body: pd.DataFrame, full: pd.DataFrame) -> pd.Series:
    """The old way: every column filled with '' before it is compared with its header."""
    keep = body.notna().any(axis=1)
    first_column = full.iloc[:, 0].fillna("").str.strip()
    for text in (first_column, body.iloc[:, 0].fillna("")):
        keep &= ~text.str.startswith(NOTE_PREFIXES)
    for match in MATCHES:
        keep &= body[match.field].fillna("").ne(HEADERS[match.index]) | (HEADERS[match.index] == "")
    return keep


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=12),
       st.sampled_from(["str", "object", "string[pyarrow]"]))
def test_rows_kept_equal_the_filled_mask_and_filter(rows: list[tuple[str | None, ...]], dtype: str) -> None:
    index = range(5, 5 + len(rows))
    body = pd.DataFrame({m.field: pd.Series([r[m.index] for r in rows], index=index, dtype=dtype) for m in MATCHES})
    full = body.rename(columns=dict(zip(body.columns, "ABC", strict=True)))
    keep = _data_rows(body, full, HEADERS, MATCHES)
    expected = _filled_mask(body, full)
    assert keep.astype(bool).tolist() == expected.astype(bool).tolist()
    pd.testing.assert_frame_equal(_kept(body, keep), body[expected.astype(bool)])


def test_a_run_of_rows_is_a_slice_and_a_gap_is_filtered() -> None:
    body = pd.DataFrame({"name": ["张伟", "李四", "注：x"]}, index=[4, 5, 6], dtype="str")
    assert _kept(body, pd.Series([True, True, False], index=body.index)).index.tolist() == [4, 5]
    assert _kept(body, pd.Series([True, False, True], index=body.index)).index.tolist() == [4, 6]
    assert _kept(body, pd.Series([False, False, False], index=body.index)).empty


NOTE_CELLS = st.one_of(st.none(), st.sampled_from(["", "注", "注：本表", "备注", "备", "合计", "合", "小计：3", " 合计",
                                                   "\u3000注", "总", "统计人", "共计", "张伟", "制表人", "1"]),
                       st.text(alphabet=st.sampled_from("注备合计总小制填审统共表人 \u30001a"), max_size=4))


@settings(max_examples=200, deadline=None)
@given(st.lists(NOTE_CELLS, max_size=15), st.sampled_from(["str", "object", "string[pyarrow]"]))
def test_note_rows_are_the_cells_starting_with_a_note_prefix(cells: list[str | None], dtype: str) -> None:
    text = pd.Series(cells, dtype=dtype)
    assert note_rows(text).tolist() == text.fillna("").str.startswith(NOTE_PREFIXES).astype(bool).tolist()
