"""A roster's addresses taken apart in Arrow's regex kernels where they are written plainly (`3-2-502`,
`3栋2单元502室`) give the parts parse_address gives, cell by cell; the other forms are still parsed."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.table.address import parse_address, plain_addresses
from gridtool.table.columnwise import map_unique_columns

NAMES = ["b", "u", "r"]
DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=6)
ODD = ["", " ", "3号楼2单元502", "幸福里3幢二单元502", "1-101", "１-2-3", "1-2-3\n", "3栋2单元5室", "3栋2单元502室 ",
       "A-2-301", "0-0-00", "十二栋一单元301", "3—2—502", "备注：3-2-502"]
ADDRESS = st.one_of(
    st.builds(lambda b, u, r: f"{b}-{u}-{r}", DIGITS, DIGITS, DIGITS),
    st.builds(lambda b, u, r: f"{b}栋{u}单元{r}室", DIGITS, DIGITS, DIGITS),
    st.sampled_from(ODD), st.none(), st.text(max_size=8))


def _cell_by_cell(cells: list[str | None]) -> list[tuple[str, str, str]]:
    return [parse_address("" if cell is None else cell) for cell in cells]


@settings(max_examples=150, deadline=None)
@given(st.lists(ADDRESS, min_size=1, max_size=40))
def test_plain_forms_in_arrow_are_parse_address(cells: list[str | None]) -> None:
    column = pd.Series(cells, dtype="str")
    got = map_unique_columns(column, parse_address, NAMES, bulk=plain_addresses)
    assert list(zip(*(got[name].tolist() for name in NAMES), strict=True)) == _cell_by_cell(cells)
    assert all(isinstance(got[name].dtype, pd.StringDtype) for name in NAMES)


def test_a_column_not_all_text_is_parsed_as_before() -> None:
    column = pd.Series(["3-2-0502", 1101, None, "3栋2单元502室"], dtype=object)
    got = map_unique_columns(column, parse_address, NAMES, bulk=plain_addresses)
    expected = map_unique_columns(column, parse_address, NAMES)
    pd.testing.assert_frame_equal(got.astype(object), expected.astype(object))
    assert got.iloc[0].tolist() == ["3", "2", "502"]


def test_the_plain_forms_are_found_in_bulk() -> None:
    import pyarrow as pa

    texts = pa.array(["03-2-0502", "3栋2单元502室", "3号楼2单元502", None], type=pa.large_string())
    kept, parts = plain_addresses(texts)
    assert kept.tolist() == [True, True, False, False]
    assert [part[0].as_py() for part in parts] == ["3", "2", "502"]
