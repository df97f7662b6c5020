"""Formulas with cached values in the rust writer's workbooks: the formula for Excel and LibreOffice, the
value for a viewer that does not recalculate, hostile text kept exact and escaped."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from gridtool.output.fast_xlsx import FastStyles, table_sheet, write_fast_book
from gridtool.output.overview_book import exact_criterion
from gridtool.output.sheet_xml import cell_name, with_cells
from gridtool.output.xlsx import Column, PageFit
from gridtool.output.xlsx_package import (
    BIG_PART,
    FAST_LEVEL,
    Merge,
    SheetFixes,
    finish_package,
    merged_cells,
)
from libreoffice import needs_libreoffice, recalculated

NAMES = ["王*", "<>李", 'a"b&c', "王五", "王*", "=1+1"]
SUFFIX = '<&>"'


def _count_book(path: Path) -> dict[str, object]:
    """A list of names and, on a second sheet, each distinct name's count as a COUNTIF and a text formula;
    returns the cached value of each formula cell by its name."""
    styles = FastStyles()
    names = table_sheet("名单", [Column("姓名")], [[n] for n in NAMES], styles, PageFit())
    distinct = list(dict.fromkeys(NAMES))
    rows = [[name, NAMES.count(name), name + SUFFIX] for name in distinct]
    formulas = {}
    for index in range(len(distinct)):
        row = index + 1
        formulas[(row, 1)] = f"=COUNTIF('名单'!$A:$A,{exact_criterion(f'A{row + 1}')})"
        formulas[(row, 2)] = f'A{row + 1}&"{SUFFIX.replace(chr(34), chr(34) * 2)}"'
    counts = table_sheet("计数", [Column("姓名"), Column("人数", number_format="0"), Column("标注")], rows, styles,
                         PageFit(), formulas=formulas)
    write_fast_book(path, [names, counts], styles)
    return {cell_name(r, c): rows[r - 1][c] for r, c in formulas}


def test_formulas_carry_their_cached_values(tmp_path: Path) -> None:
    path = tmp_path / "计数.xlsx"
    cached = _count_book(path)
    live = openpyxl.load_workbook(path)["计数"]
    values = openpyxl.load_workbook(path, data_only=True)["计数"]
    assert live["B2"].value == "=COUNTIF('名单'!$A:$A," + exact_criterion("A2") + ")"
    assert live["C4"].value == '=A4&"<&>"""'
    assert {name: values[name].value for name in cached} == cached
    assert values["C3"].value == "<>李<&>\"" and values["B2"].value == 2
    assert [values.cell(r, 1).value for r in range(2, 7)] == list(dict.fromkeys(NAMES))  # text stays text


def test_the_package_is_well_formed_and_asks_for_recalculation(tmp_path: Path) -> None:
    path = tmp_path / "计数.xlsx"
    _count_book(path)
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                ElementTree.fromstring(package.read(name))
            if name.startswith("xl/worksheets/sheet"):  # each row once, in order (Excel's rule)
                rows = [int(r) for r in re.findall(r'<row r="(\d+)"', package.read(name).decode())]
                assert rows == sorted(set(rows)) and rows, name
        workbook = package.read("xl/workbook.xml").decode()
        sheet = package.read("xl/worksheets/sheet2.xml").decode()
    assert '<calcPr calcId="124519" fullCalcOnLoad="1"/>' in workbook
    assert '<c r="C4" s="1" t="str"><f>A4&amp;"&lt;&amp;&gt;"""</f><v>a"b&amp;c&lt;&amp;&gt;"</v></c>' in sheet
    assert "<cols>" in sheet and ' style="' not in sheet.split("<cols>")[1].split("</cols>")[0]


@needs_libreoffice
def test_libreoffice_recalculates_the_values_that_were_cached(tmp_path: Path) -> None:
    path = tmp_path / "计数.xlsx"
    cached = _count_book(path)
    again = openpyxl.load_workbook(recalculated(path, tmp_path / "lo"), data_only=True)["计数"]
    assert {name: again[name].value for name in cached} == cached


def test_a_formula_cell_without_a_cached_value_is_refused() -> None:
    sheet = b'<sheetData><row r="1"><c r="A1" s="2"/><c r="B1"><v>3</v></c></row></sheetData>'
    assert with_cells(sheet, {(0, 1): "=1+2"}) == (
        b'<sheetData><row r="1"><c r="A1" s="2"/><c r="B1"><f>1+2</f><v>3</v></c></row></sheetData>')
    with pytest.raises(ValueError, match="A1"):
        with_cells(sheet, {(0, 0): "1"})
    with pytest.raises(ValueError, match="C9"):
        with_cells(sheet, {(8, 2): "1"})


def test_cell_names() -> None:
    assert [cell_name(0, 0), cell_name(2, 1), cell_name(9, 25), cell_name(0, 26), cell_name(4, 701)] == [
        "A1", "B3", "Z10", "AA1", "ZZ5"]


def test_a_totals_row_keeps_its_bold_grey_over_the_columns_number_formats(tmp_path: Path) -> None:
    """The row's format and each column's merged into the cell's one format, with no sheet to carry them."""
    styles = FastStyles()
    columns = [Column("项目"), Column("人数", number_format="0"), Column("占比", number_format="0.0%")]
    table = table_sheet("表", columns, [["甲", 3, 0.75], ["合计", 3, 0.75]], styles, PageFit(),
                        row_styles=["cell", "total"], formulas={(2, 1): "SUM(B2:B2)"})
    write_fast_book(tmp_path / "a.xlsx", [table], styles)
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["表"]
    shown = [(c.font.b, c.fill.fgColor.rgb, c.number_format) for c in sheet[3]]
    assert shown == [(True, "FFF2F2F2", "General"), (True, "FFF2F2F2", "0"), (True, "FFF2F2F2", "0.0%")]
    assert [(c.font.b, c.fill.fgColor.rgb, c.number_format) for c in sheet[2]] == [
        (False, "00000000", "General"), (False, "00000000", "0"), (False, "00000000", "0.0%")]
    assert sheet["B3"].value == "=SUM(B2:B2)" and sheet.max_row == 3


def test_merged_cells_swap_only_the_column_formats_of_the_rows_formatted_so() -> None:
    sheet = (b'<dimension ref="A1:C9"/><sheetData><row r="1"><c r="A1" s="4"/></row>'
             b'<row r="2" s="2" customFormat="1" ht="20"><c r="A2" s="4"><v>1</v></c><c r="B2" s="2"/></row>'
             b'<row r="3" s="3" customFormat="1"><c r="A3" s="4"><v>2</v></c></row>'
             b'<row r="4" s="2" customFormat="1"/><row r="5" s="2" customFormat="1"><c r="A5" s="4"/></row>'
             b'<row r="7" s="2" customFormat="1"/><row r="8" s="4" customFormat="1"/>'
             b'<row r="9" s="5" customFormat="1"/></sheetData>')
    assert merged_cells(sheet, [Merge(6, 7, 8)]) == (
        b'<dimension ref="A1:C6"/><sheetData><row r="1"><c r="A1" s="4"/></row>'
        b'<row r="2" s="2" customFormat="1" ht="20"><c r="A2" s="5"><v>1</v></c><c r="B2" s="2"/></row>'
        b'<row r="3" s="3" customFormat="1"><c r="A3" s="4"><v>2</v></c></row>'
        b'<row r="4" s="2" customFormat="1"/><row r="5" s="2" customFormat="1"><c r="A5" s="5"/></row>'
        b'</sheetData>')
    with pytest.raises(ValueError, match="carrier rows not written: \\[10\\]"):
        merged_cells(sheet, [Merge(6, 7, 9)])


def _parts(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(__import__("io").BytesIO(package)) as book:
        return {name: book.read(name) for name in book.namelist()}


@pytest.mark.parametrize("piece, tail", [(7, 4096), (1000, 4096), (1 << 22, 1 << 20)])
def test_a_long_sheet_passed_through_in_pieces_is_mended_as_a_whole_one(monkeypatch, piece: int, tail: int) -> None:
    """A sheet over STREAMED is re-zipped in pieces (a million-row list is never held whole): every part comes
    out byte for byte as the whole-sheet way makes it, column styles out, the repeated last row dropped,
    whatever the piece size falls on."""
    import io

    from rustpy_xlsxwriter import write_worksheets

    from gridtool.output import xlsx_package
    from gridtool.output.fast_xlsx import _sheet_options

    styles = FastStyles()
    rows = [[i, f"住户{i}", "1栋" if i % 2 else "2栋", "x" * (i % 50)] for i in range(1, 3001)]
    sheet = table_sheet("名单", [Column("序号", center=True), Column("姓名"), Column("楼栋", center=True),
                                 Column("备注", input=True)], rows, styles, PageFit())
    buffer = io.BytesIO()  # the writer's own package, before any mending
    write_worksheets([("名单", sheet.frame)], buffer, **{k: {"名单": v} for k, v in _sheet_options(sheet, styles).items()})
    raw = buffer.getvalue()
    monkeypatch.setattr(xlsx_package, "PIECE", piece)
    monkeypatch.setattr(xlsx_package, "TAIL", tail)
    monkeypatch.setattr(xlsx_package, "STREAMED", 1 << 40)
    whole = _parts(xlsx_package.finish_package(raw))
    monkeypatch.setattr(xlsx_package, "STREAMED", 0)
    streamed = _parts(xlsx_package.finish_package(raw))
    assert streamed == whole
    xml = whole["xl/worksheets/sheet1.xml"]
    assert _parts(raw)["xl/worksheets/sheet1.xml"].count(b'<row r="3001"') == 2  # what the writer does
    assert xml.count(b'<row r="3001"') == 1 and b' style="' not in re.search(rb"<cols>.*?</cols>", xml).group()
    assert len(openpyxl.load_workbook(__import__("io").BytesIO(xlsx_package.finish_package(raw)))["名单"]["B"]) == 3001


def _sheet(rows: int, cols: str, repeat: bool) -> bytes:
    body = "".join(f'<row r="{r}"><c r="A{r}" s="1"><v>{r}</v></c></row>' for r in range(1, rows + 1))
    tail = f'<row r="{rows}" s="1"/>' if repeat else ""
    return f"<worksheet>{cols}<sheetData>{body}{tail}</sheetData></worksheet>".encode()


def test_the_repacked_parts_are_exactly_the_edits_and_big_parts_are_compressed_fast() -> None:
    cols = '<cols><col min="1" max="1" width="9" style="3"/></cols>'
    parts = {"xl/styles.xml": b"<styleSheet/>" * 10, "xl/worksheets/sheet1.xml": _sheet(9000, cols, True),
             "xl/worksheets/sheet2.xml": _sheet(3, cols, False)}
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    fixes = [SheetFixes(formulas={(1, 0): "=A1+1"}), SheetFixes()]
    with zipfile.ZipFile(io.BytesIO(finish_package(source.getvalue(), fixes))) as result:
        got = {entry.filename: (result.read(entry), entry.compress_size) for entry in result.infolist()}
    plain_cols = '<cols><col min="1" max="1" width="9"/></cols>'
    big = _sheet(9000, plain_cols, False).replace(b'<c r="A2" s="1"><v>2</v>', b'<c r="A2" s="1"><f>A1+1</f><v>2</v>')
    assert {name: data for name, (data, _) in got.items()} == {
        "xl/styles.xml": parts["xl/styles.xml"], "xl/worksheets/sheet1.xml": big,
        "xl/worksheets/sheet2.xml": _sheet(3, plain_cols, False)}
    assert len(big) > BIG_PART > len(got["xl/worksheets/sheet2.xml"][0])
    fast = zlib.compressobj(FAST_LEVEL, zlib.DEFLATED, -15)
    assert got["xl/worksheets/sheet1.xml"][1] == len(fast.compress(big) + fast.flush())


@needs_libreoffice
def test_a_book_with_a_big_sheet_opens_in_openpyxl_and_libreoffice(tmp_path: Path) -> None:
    styles = FastStyles()
    rows = [[f"居民{i}", i] for i in range(5000)]
    table = table_sheet("名单", [Column("姓名"), Column("序号", number_format="0")], rows, styles, PageFit(),
                        formulas={(5000, 1): "=B5000+1"})
    write_fast_book(tmp_path / "大表.xlsx", [table], styles)
    with zipfile.ZipFile(tmp_path / "大表.xlsx") as package:
        assert package.getinfo("xl/worksheets/sheet1.xml").file_size > BIG_PART
    for path in (tmp_path / "大表.xlsx", recalculated(tmp_path / "大表.xlsx", tmp_path / "lo")):
        sheet = openpyxl.load_workbook(path, data_only=True)["名单"]
        assert [sheet.cell(r, 2).value for r in (2, 5001)] == [0, 4999] and sheet.max_row == 5001
    assert openpyxl.load_workbook(tmp_path / "大表.xlsx")["名单"]["B5001"].value == "=B5000+1"


@pytest.mark.parametrize(("tail", "kept"), [
    ('<row r="9" s="1"/>', False),  # the writer's empty repeat of row 9: dropped
    ('<row r="10" s="1"/>', True),  # an empty row of its own: kept
    ('<row r="10"><c r="A10"><v>1</v></c></row>', True),  # a written row: kept
    ('', True),
])
def test_only_an_empty_repeat_of_the_last_row_is_dropped(tail: str, kept: bool) -> None:
    from gridtool.output.sheet_xml import without_repeated_row

    rows = "".join(f'<row r="{r}" spans="1:1"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 10))
    sheet = f"<worksheet><sheetData>{rows}{tail}</sheetData></worksheet>".encode()
    mended = without_repeated_row(sheet)
    assert mended == (sheet if kept else sheet.replace(tail.encode(), b""))


def _raw_parts(package: bytes) -> dict[str, tuple[bytes, int]]:
    """Each part's compressed bytes as stored (after its local header) and its CRC."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        found = {}
        for entry in archive.infolist():
            name_size, extra_size = int.from_bytes(package[entry.header_offset + 26:entry.header_offset + 28], "little"), \
                int.from_bytes(package[entry.header_offset + 28:entry.header_offset + 30], "little")
            start = entry.header_offset + 30 + name_size + extra_size
            found[entry.filename] = package[start:start + entry.compress_size], entry.CRC
        return found


def test_a_sheet_as_written_and_the_other_parts_are_moved_over_compressed_as_they_were() -> None:
    """The hidden manifest (a raw grid) and the parts no fix touches keep the writer's compressed bytes;
    the package still reads back whole (every CRC checked), in zipfile and in openpyxl."""
    import pandas as pd
    from rustpy_xlsxwriter import write_worksheets

    from gridtool.output.fast_xlsx import rust_format

    grid = pd.DataFrame([["编号", "姓名"], *([f"k{i}", f"王{i}"] for i in range(5000))])
    table = pd.DataFrame({"姓名": ["张三", "李四"], "房号": ["101", "=1+1"]})
    buffer = io.BytesIO()
    write_worksheets([("名单", table), ("_gridtool", grid)], buffer, column_formats={"名单": [rust_format({"bold": True}), None]})
    source = buffer.getvalue()
    result = finish_package(source, [SheetFixes(), SheetFixes(as_written=True)])
    before, after = _raw_parts(source), _raw_parts(result)
    moved = [name for name in before if not name.startswith("xl/worksheets/sheet1")]
    assert "xl/worksheets/sheet2.xml" in moved and "xl/styles.xml" in moved
    assert {name: after[name] for name in moved} == {name: before[name] for name in moved}
    assert after["xl/worksheets/sheet1.xml"] != before["xl/worksheets/sheet1.xml"]  # its column styles taken out
    with zipfile.ZipFile(io.BytesIO(result)) as archive:
        assert archive.testzip() is None
        assert [e.filename for e in archive.infolist()] == [e.filename for e in zipfile.ZipFile(io.BytesIO(source)).infolist()]
    book = openpyxl.load_workbook(io.BytesIO(result))
    assert [c.value for c in book["_gridtool"]["B"]][:3] == ["1", "姓名", "王0"]  # the frame's header first
    assert book["_gridtool"].max_row == 5002 and book["名单"]["B3"].value == "=1+1"


def test_the_writer_leaves_nothing_to_mend_in_a_raw_grid() -> None:
    """What as_written relies on: a grid written with no format has no column style and no repeated row."""
    import gridtool.output.fast_xlsx as fast_xlsx
    from gridtool.output import xlsx_package
    from gridtool.output.fast_xlsx import FastSheet, grid_frame
    from gridtool.output.sheet_xml import without_repeated_row

    grid = grid_frame([["gridtool", "1"], [], ["编号", "姓名"]], [[f"k{i}" for i in range(300)], ["王"] * 300])
    styles = FastStyles()
    path_sheets = [table_sheet("名单", [Column("姓名", center=True)], [["张三"], ["李四"]], styles, PageFit(),
                               row_styles=["urgent", "cell"]),
                   FastSheet("_gridtool", [], grid, [], hidden=True, raw=True)]
    captured: list[bytes] = []
    original = xlsx_package.finish_package

    def keep(package: bytes, fixes=()):  # type: ignore[no-untyped-def]
        captured.append(package)
        return original(package, fixes)

    fast_xlsx.finish_package, saved = keep, fast_xlsx.finish_package
    try:
        write_fast_book(Path(__import__("tempfile").mkdtemp()) / "书.xlsx", path_sheets, styles)
    finally:
        fast_xlsx.finish_package = saved
    with zipfile.ZipFile(io.BytesIO(captured[0])) as archive:
        raw = archive.read("xl/worksheets/sheet2.xml")
        styled = archive.read("xl/worksheets/sheet1.xml")
    assert without_repeated_row(xlsx_package._without_column_styles(raw)) == raw
    assert xlsx_package._without_column_styles(styled) != styled  # the check can tell


def test_a_sheet_as_written_has_nothing_to_set() -> None:
    with pytest.raises(ValueError, match="nothing to set"):
        SheetFixes(formulas={(0, 0): "=1"}, as_written=True)


def test_lines_under_a_table_fill_their_empty_rows_and_merge_them() -> None:
    from gridtool.output.sheet_xml import LineUnder, with_lines_under

    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 4))
    repeat, foot = '<row r="3" s="1"/>', '<row r="5" s="2" customFormat="1" ht="30" customHeight="1"/>'
    sheet = f"<worksheet><sheetData>{rows}{repeat}{foot}</sheetData><pageMargins/></worksheet>".encode()
    mended = with_lines_under(sheet, [LineUnder(4, 2, "共 3 项 <签字> & ")])
    assert mended == (f"<worksheet><sheetData>{rows}"
                      '<row r="5" s="2" customFormat="1" ht="30" customHeight="1">'
                      '<c r="A5" s="2" t="inlineStr"><is><t xml:space="preserve">共 3 项 &lt;签字&gt; &amp; </t></is></c>'
                      '<c r="B5" s="2"/><c r="C5" s="2"/></row></sheetData>'
                      '<mergeCells count="1"><mergeCell ref="A5:C5"/></mergeCells><pageMargins/></worksheet>').encode()
    merged = sheet.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells>')
    assert b'<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="A5:C5"/></mergeCells>' in with_lines_under(
        merged, [LineUnder(4, 2, "x")])
    with pytest.raises(ValueError, match="row 7"):
        with_lines_under(sheet, [LineUnder(6, 2, "x")])
