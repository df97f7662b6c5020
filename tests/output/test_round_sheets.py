"""诉求汇总's round sheets, written by the rust writer: an urgent stop's row prints red across, its 轮次 and 序号
centred as on every other row (the row's format and the column's merged into the cell's one format); every
page has the signature line in its footer, and with more than 30 rounds on one sheet each round is a page."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pdfplumber
import pytest

from gridtool.output.fast_xlsx import FastStyles, write_fast_book
from gridtool.output.request_summary import ROUND_SHEETS, round_sheets
from gridtool.output.sheet_xml import MAX_ROW_BREAKS, with_row_breaks
from gridtool.output.todo_sheets import Heading
from libreoffice import needs_libreoffice, printed_pdf

HEADING = Heading("幸福社区", dt.date(2026, 11, 21), dt.datetime(2026, 11, 21, 15, 0))
RED = "FFC00000"


def stops_frame(rounds: int, per_round: int, urgent: set[int]) -> pd.DataFrame:
    """`rounds` rounds of `per_round` stops each; the stops numbered in `urgent` (from 0, across rounds) urgent."""
    count = rounds * per_round
    return pd.DataFrame({
        "round": [1 + i // per_round for i in range(count)], "stop": [1 + i % per_round for i in range(count)],
        "building": ["1"] * count, "unit": ["2"] * count, "room": [str(101 + i) for i in range(count)],
        "shown_name": [f"王*{i}" for i in range(count)], "phone": ["13800000000"] * count,
        "shown_action": ["【急】药品：胰岛素" if i in urgent else "生活物资：青菜" for i in range(count)],
        "sheet_key": [f"K{i:04d}" for i in range(count)], "urgent": [i in urgent for i in range(count)],
        "volunteer": ["李娜"] * count})


def _write(path: Path, stops: pd.DataFrame) -> None:
    styles = FastStyles(font_size=11)
    write_fast_book(path, round_sheets(stops, HEADING, styles), styles)


def _look(cell: openpyxl.cell.cell.Cell) -> tuple[str | None, bool, str | None, str, str | None]:
    color = cell.font.color.rgb if cell.font.color is not None and cell.font.color.type == "rgb" else None
    return color, bool(cell.font.b), cell.alignment.horizontal, cell.number_format, cell.fill.fgColor.rgb


def test_an_urgent_stop_prints_red_and_bold_in_its_centred_cells_too(tmp_path: Path) -> None:
    _write(tmp_path / "a.xlsx", stops_frame(2, 3, urgent={1, 3}))
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    first = book["第1轮"]  # title, header, then stops 0, 1 (urgent), 2
    urgent, plain = first[4], first[5]
    assert [c.value for c in urgent[:2]] == ["第1轮", 2] and [c.value for c in plain[:2]] == ["第1轮", 3]
    assert [_look(c)[:3] for c in urgent[:6]] == [(RED, True, "center")] * 2 + [(RED, True, None)] * 4
    assert [_look(c)[:3] for c in plain[:6]] == [(None, False, "center")] * 2 + [(None, False, None)] * 4
    # the input boxes keep their yellow, unlocked, in both; an urgent row's are red there too
    assert [_look(c) for c in urgent[6:8]] == [(RED, True, None, "General", "FFFFF9E6")] * 2
    assert [_look(c) for c in plain[6:8]] == [(None, False, None, "General", "FFFFF9E6")] * 2
    assert not urgent[6].protection.locked and not plain[6].protection.locked
    # the hidden key column keeps its own format (no wrapping: LibreOffice would print it beside the table)
    assert _look(urgent[8])[:3] == (None, False, None) and not urgent[8].alignment.wrap_text
    assert _look(book["第2轮"]["A3"])[:3] == (RED, True, "center")
    assert [_look(c)[:3] for c in first[3][:2]] == [(None, False, "center")] * 2


def test_the_rows_that_carry_the_merged_formats_are_taken_out(tmp_path: Path) -> None:
    _write(tmp_path / "a.xlsx", stops_frame(1, 4, urgent={0}))
    with zipfile.ZipFile(tmp_path / "a.xlsx") as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    rows = [int(r) for r in re.findall(r'<row r="(\d+)"', sheet)]
    assert rows == [1, 2, 3, 4, 5, 6]  # title, header, four stops: nothing under the table
    assert '<dimension ref="A1:I6"/>' in sheet
    assert openpyxl.load_workbook(tmp_path / "a.xlsx")["第1轮"].max_row == 6


SIGNED = ("&11 配送人签字：____________", "&11 日期：__________", "&11 第 &P 页，共 &N 页")


def _footer(sheet: openpyxl.worksheet.worksheet.Worksheet) -> tuple[str, str, str]:
    footer = sheet.oddFooter
    return tuple(f"&{int(part.size)} {part.text}" for part in (footer.left, footer.center, footer.right))


def test_every_round_sheet_prints_the_signature_line_in_its_footer(tmp_path: Path) -> None:
    _write(tmp_path / "a.xlsx", stops_frame(2, 3, urgent=set()))
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["第1轮", "第2轮"]
    assert [_footer(s) for s in book.worksheets] == [SIGNED, SIGNED]
    assert [s.row_breaks.count for s in book.worksheets] == [0, 0]  # a round's own sheet needs no break


def test_more_rounds_than_sheets_print_a_page_each_on_one_sheet(tmp_path: Path) -> None:
    rounds = ROUND_SHEETS + 1
    _write(tmp_path / "a.xlsx", stops_frame(rounds, 3, urgent={4}))
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["配送轮次"]
    sheet = book["配送轮次"]
    # title, header, then three stops a round: round k (from 1) starts at row 2 + 3 (k - 1), from 0
    assert [b.id for b in sheet.row_breaks.brk] == [2 + 3 * k for k in range(1, rounds)]
    assert all(b.man and b.max == 16383 for b in sheet.row_breaks.brk)
    assert _footer(sheet) == SIGNED
    with zipfile.ZipFile(tmp_path / "a.xlsx") as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    parts = [child.tag.split("}")[1] for child in ElementTree.fromstring(xml)]
    assert parts[parts.index("sheetData"):] == ["sheetData", "mergeCells", "pageMargins", "pageSetup",
                                                "headerFooter", "rowBreaks"]  # CT_Worksheet's order


def test_page_breaks_go_where_the_schema_puts_them_and_stop_at_excels_limit() -> None:
    sheet = (b"<worksheet><sheetData/><pageSetup/><headerFooter><oddFooter>x</oddFooter></headerFooter>"
             b"<drawing r:id=\"rId1\"/><tableParts count=\"0\"/></worksheet>")
    assert with_row_breaks(sheet, [9, 3, 9]) == (
        b"<worksheet><sheetData/><pageSetup/><headerFooter><oddFooter>x</oddFooter></headerFooter>"
        b'<rowBreaks count="2" manualBreakCount="2"><brk id="3" max="16383" man="1"/><brk id="9" max="16383" man="1"/>'
        b"</rowBreaks><drawing r:id=\"rId1\"/><tableParts count=\"0\"/></worksheet>")
    assert with_row_breaks(b"<worksheet><sheetData/></worksheet>", [2]) == (
        b'<worksheet><sheetData/><rowBreaks count="1" manualBreakCount="1"><brk id="2" max="16383" man="1"/>'
        b"</rowBreaks></worksheet>")
    many = with_row_breaks(b"<worksheet><sheetData/></worksheet>", list(range(1, 2000)))
    assert many.count(b"<brk ") == MAX_ROW_BREAKS and b'<brk id="1023" ' in many and b'<brk id="1024" ' not in many
    assert with_row_breaks(sheet, []) == sheet


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_prints_a_page_per_round_signed_at_the_foot(tmp_path: Path) -> None:
    rounds = ROUND_SHEETS + 2
    _write(tmp_path / "配送轮次.xlsx", stops_frame(rounds, 3, urgent={4}))
    with pdfplumber.open(printed_pdf(tmp_path / "配送轮次.xlsx", tmp_path / "pdf")) as pdf:
        pages = [(page.extract_tables()[0], page.extract_text()) for page in pdf.pages]
    assert len(pages) == rounds
    for number, (table, text) in enumerate(pages, 1):
        assert [row[0] for row in table] == ["轮次"] + [f"第{number}轮"] * 3  # the header, then that round only
        assert "配送人签字：____________" in text and "日期：__________" in text
        assert f"第 {number} 页，共 {rounds} 页" in text


def test_both_writers_give_an_urgent_stops_cells_the_same_formats(tmp_path: Path) -> None:
    """The 配送单 (XlsxWriter) and the round sheet (the rust writer) print the same stops alike, cell by cell."""
    from gridtool.domain.requests.delivery import DeliveryBook
    from gridtool.output.request_books import BIG_PRINT, write_delivery_book

    stops = stops_frame(1, 3, urgent={1})
    write_delivery_book(tmp_path / "配送单.xlsx", DeliveryBook("李娜", "13900000000", stops), HEADING)
    styles = FastStyles(font_size=BIG_PRINT)
    write_fast_book(tmp_path / "rust.xlsx", round_sheets(stops, HEADING, styles), styles)
    slow = openpyxl.load_workbook(tmp_path / "配送单.xlsx")["配送单"]  # title, note, header, then the stops
    fast = openpyxl.load_workbook(tmp_path / "rust.xlsx")["第1轮"]  # title, header, then the stops
    for row in (0, 1, 2):
        looks = [_look(c) for c in slow[4 + row][:9]]
        assert looks == [_look(c) for c in fast[3 + row][:9]], row
    assert [_look(c)[:3] for c in slow[5][:2]] == [(RED, True, "center")] * 2
    assert [_look(c) for c in slow[5][6:8]] == [(RED, True, None, "General", "FFFFF9E6")] * 2
