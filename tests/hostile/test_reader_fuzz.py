"""Fuzzing the reader with broken workbooks and CSVs: whatever the bytes, read_sheets returns sheets or raises
GridtoolError (exit 2 with a Chinese message); anything else (another exception, an abort inside calamine,
which would end this test process) is a bug. Derandomized and modest so that CI stays fast and repeatable."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridtool.errors import GridtoolError
from gridtool.table.read import read_sheets
from hostile.workbooks import TABLE, cell, parts, sheet_xml, write_package

FUZZ = settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHEET = sheet_xml(TABLE + '<row r="4">' + cell("C4", "37.5") + "</row>", dimension="A1:C4", merges=["A2:A3"])
CSV = "姓名,房号,体温,打卡时间\n张三,1-101,36.5,08:30\n李四,\"1-102\",38.2,08:31\n王五,1-103,36.4,08:32\n".encode()
TOKENS = ['<c r="', "XFD", "ZZZZZZ", "1048576", "4294967295", '"', "<", ">", "/>", '<row r="', "</row>", ' t="s"',
          "<v>", "</v>", "<is><t>", "</t></is>", "</c>", "<mergeCell ref=\"A1:", "A1", ":", "\x00", "&", "&#0;", "9" * 30]
EDIT = st.tuples(st.integers(0, len(SHEET)), st.integers(0, 8), st.sampled_from(TOKENS))
BYTE_EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8)


def read_or_refuse(path: Path) -> None:
    try:
        sheets = read_sheets(path, include_hidden=True)
    except GridtoolError as error:
        assert path.name in error.message and error.code == 2
        return
    assert sheets and all(raw.cells.index.min() >= 1 for raw in sheets if not raw.cells.empty)


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for at, value in edits:
        buffer[at % len(buffer)] = value
    return bytes(buffer)


@FUZZ
@given(edits=st.lists(EDIT, min_size=1, max_size=6))
def test_edited_sheet_xml_in_a_valid_zip(edits: list[tuple[int, int, str]]) -> None:
    xml = SHEET
    for at, cut, token in edits:
        xml = xml[:at] + token + xml[at + cut:]
    with tempfile.TemporaryDirectory() as folder:
        read_or_refuse(write_package(Path(folder) / "改过.xlsx", parts(xml)))


@FUZZ
@given(edits=BYTE_EDITS, keep=st.integers(0, 4000), stored=st.booleans())
def test_damaged_and_truncated_workbook_bytes(edits: list[tuple[int, int]], keep: int, stored: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "坏了.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts(SHEET).items():
                archive.writestr(name, data)
        data = _mutate(path.read_bytes(), edits)
        path.write_bytes(data[:keep] if keep and keep < len(data) else data)
        read_or_refuse(path)


@FUZZ
@given(edits=BYTE_EDITS, inserts=st.lists(st.tuples(st.integers(0, len(CSV)), st.sampled_from(
    [b'"', b"\r", b"\n", b"\x00", b"\xff", b"\xd6\xd0", b",", b"\t", b"\xef\xbb\xbf", b"\xff\xfe"])), max_size=6),
       suffix=st.sampled_from([".csv", ".txt", ".tsv", ".xls"]))
def test_broken_csv_bytes(edits: list[tuple[int, int]], inserts: list[tuple[int, bytes]], suffix: str) -> None:
    data = CSV
    for at, piece in inserts:
        data = data[:at] + piece + data[at:]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"打卡{suffix}"
        path.write_bytes(_mutate(data, edits))
        read_or_refuse(path)
