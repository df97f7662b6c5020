"""A big sheet read as two halves at once (table/halves.py) gives the very cells, columns and notes of the
sheet read in one piece; where it cannot be cut cleanly, it is read in one piece."""

from __future__ import annotations

import os
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

import gridtool.table.halves as halves_module
import gridtool.table.workbook as workbook
from exports import write_xlsx
from gridtool.errors import GridtoolError
from gridtool.table.read import read_sheets

ROWS = 3000


def _rows(gap: range = range(0)) -> list[list[Any]]:
    """A title, a blank row, a header, then residents; column A (序号) and G (备注) are filled only in the
    first half, so the second half's grid starts at column B and lacks G."""
    rows: list[list[Any]] = [["和平里社区 11月17日健康打卡"], [], ["序号", "姓名", "房号", "体温", "症状", "电话", "备注"]]
    for i in range(ROWS):
        first = i < ROWS // 2
        rows.append([] if i in gap else [
            i + 1 if first else None, f"居民{i}", f"{i % 30 + 1}栋{i % 4 + 1}01", 36.5 + (i % 9) / 10,
            "咳嗽" if i % 50 == 0 else "无", 13800000000 + i, "独居" if first and i % 7 == 0 else None])
    rows.append(["注：体温≥37.3℃请联系网格员"])
    return rows


def _read(path: Path, include_hidden: bool = True) -> list[tuple[str, bool, list[str], list[list[object]], list[str]]]:
    return [(raw.name, raw.visible, list(raw.cells.columns), [[None if v != v else v for v in row]  # NaN: None
                                                              for row in raw.cells.astype(object).values.tolist()],
             [note.kind for note in raw.notes])
            for raw in read_sheets(path, include_hidden=include_hidden)]


@pytest.fixture
def halves_read(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Every sheet read in halves from now on; the halves read are listed (their skip_rows)."""
    read: list[int | None] = []
    real = workbook._half

    def counted(half: halves_module.Half, sheet_name: str, skip_rows: int | None) -> Any:
        read.append(skip_rows)
        return real(half, sheet_name, skip_rows)

    monkeypatch.setattr(workbook, "_half", counted)
    monkeypatch.setattr(halves_module, "SPLIT_BYTES", 1)
    return read


def _whole(path: Path, include_hidden: bool = True) -> list[Any]:
    saved = halves_module.SPLIT_BYTES
    halves_module.SPLIT_BYTES = 1 << 40
    try:
        return _read(path, include_hidden)
    finally:
        halves_module.SPLIT_BYTES = saved


@pytest.mark.parametrize("block", [None, 997])  # 997 bytes: rows and tags fall across the blocks inflated
def test_a_sheet_read_in_halves_is_the_sheet_read_whole(tmp_path: Path, halves_read: list[int | None],
                                                        monkeypatch: pytest.MonkeyPatch, block: int | None) -> None:
    path = write_xlsx(tmp_path / "打卡.xlsx", {"11月17日": _rows(), "说明": [["填表说明"]]})
    whole = _whole(path)
    if block:
        monkeypatch.setattr(halves_module, "_BLOCK", block)
    assert _read(path) == whole
    assert halves_read == [0, None]  # the first half from the sheet's top, the second from its first value
    assert len(whole[0][3]) == ROWS + 4 and whole[0][2] == ["A", "B", "C", "D", "E", "F", "G"]
    assert whole[0][3][-2][1:3] == ["居民2999", "30栋401"] and whole[0][3][-2][0] is None


def test_the_cut_is_made_between_two_rows_that_both_hold_a_value(tmp_path: Path, halves_read: list[int | None]) -> None:
    """Blank rows around the middle: the halves join up only where two numbered rows with values meet."""
    path = write_xlsx(tmp_path / "打卡.xlsx", {"11月17日": _rows(gap=range(ROWS // 2 - 40, ROWS // 2 + 200, 2))})
    assert _read(path) == _whole(path)
    assert halves_read == [0, None]


def test_a_hidden_sheet_read_in_halves_is_left_out_unless_asked_for(tmp_path: Path,
                                                                   halves_read: list[int | None]) -> None:
    path = write_xlsx(tmp_path / "打卡.xlsx", {"说明": [["填表说明"]], "数据": _rows()}, hidden=["数据"])
    left_out = _read(path, include_hidden=False)
    assert left_out == _whole(path, include_hidden=False) and [name for name, *_ in left_out] == ["说明"]
    assert _read(path) == _whole(path) and halves_read == [0, None] * 2


def _rewritten(path: Path, change: Any) -> Path:
    """A copy of the workbook with its first sheet's XML changed by `change`."""
    out = path.with_name("改过的.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return out


def test_rows_without_numbers_are_read_whole(tmp_path: Path, halves_read: list[int | None]) -> None:
    """A writer may leave out the row numbers: there is no telling where a half would start."""
    path = _rewritten(write_xlsx(tmp_path / "打卡.xlsx", {"11月17日": _rows()}),
                      lambda xml: re.sub(rb'<row r="\d+"', b"<row", xml))
    assert _read(path) == _whole(path)
    assert halves_read == []


def test_a_damaged_sheet_says_what_the_whole_reading_says(tmp_path: Path, halves_read: list[int | None]) -> None:
    path = write_xlsx(tmp_path / "打卡.xlsx", {"11月17日": _rows()})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data[info.header_offset + 30 + len(info.filename) + info.compress_size // 2] ^= 0xFF
    broken = tmp_path / "坏的.xlsx"
    broken.write_bytes(bytes(data))
    with pytest.raises(GridtoolError) as whole:
        _whole(broken)
    with pytest.raises(GridtoolError) as halved:
        _read(broken)
    assert str(halved.value) == str(whole.value) and "坏的.xlsx" in str(whole.value)


def test_halves_without_an_in_memory_file_are_read_from_bytes(tmp_path: Path, halves_read: list[int | None],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows and macOS have no memfd: the halves' packages go to calamine as bytes."""
    monkeypatch.setattr(halves_module, "IN_MEMORY_FILES", False)
    path = write_xlsx(tmp_path / "打卡.xlsx", {"11月17日": _rows()})
    assert _read(path) == _whole(path)
    assert halves_read == [0, None]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the in-memory files are Linux's")
def test_the_halves_in_memory_files_are_closed_once_read(tmp_path: Path, halves_read: list[int | None]) -> None:
    path = write_xlsx(tmp_path / "打卡.xlsx", {"11月17日": _rows()})
    before = set(os.listdir("/proc/self/fd"))
    _read(path)
    assert halves_read == [0, None]
    assert set(os.listdir("/proc/self/fd")) <= before


def test_only_a_big_sheet_holding_most_of_the_workbook_is_halved(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(tmp_path / "打卡.xlsx", {"11月17日": _rows(), "11月18日": _rows()[:500], "说明": [["x"]]})
    with zipfile.ZipFile(path) as archive:
        parts = {"11月17日": "xl/worksheets/sheet1.xml", "11月18日": "xl/worksheets/sheet2.xml",
                 "说明": "xl/worksheets/sheet3.xml"}
        big = archive.getinfo(parts["11月17日"]).file_size
        monkeypatch.setattr(halves_module, "SPLIT_BYTES", big)
        assert halves_module.halved_sheet(archive, parts) == "11月17日"  # 3/4 of the sheets' XML or more
        monkeypatch.setattr(halves_module, "SPLIT_BYTES", big + 1)
        assert halves_module.halved_sheet(archive, parts) is None  # not big enough
        monkeypatch.setattr(halves_module, "SPLIT_BYTES", big)
        assert halves_module.halved_sheet(archive, {**parts, "11月19日": parts["11月17日"]}) is None  # two as big
        monkeypatch.setattr(halves_module, "SPLIT_MOST", big - 1)
        monkeypatch.setattr(halves_module, "IN_MEMORY_FILES", True)
        assert halves_module.halved_sheet(archive, parts) is None  # too big to hold in memory
        monkeypatch.setattr(halves_module, "SPLIT_MOST", big)
        assert halves_module.halved_sheet(archive, parts) == "11月17日"
        monkeypatch.setattr(halves_module, "IN_MEMORY_FILES", False)
        monkeypatch.setattr(halves_module, "SPLIT_MOST_COPIED", big - 1)
        assert halves_module.halved_sheet(archive, parts) is None  # calamine would copy the halves' bytes
