"""Every workbook kind gridtool writes, printed by LibreOffice to PDF and read back as a printer shows it:
the smallest printed font, every header and every cell's full text inside its cell, the pages and their
orientation. Each kind is printed once per session (one LibreOffice run for all of them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from typer.testing import CliRunner

from exports import write_xlsx
from gridtool.cli import app
from libreoffice import needs_libreoffice, printed_pdfs

pytestmark = [pytest.mark.libreoffice, needs_libreoffice]

LONG_SYMPTOMS = "咳嗽、乏力、咽痛、头痛、肌肉酸痛、流鼻涕、味觉减退"
UNASSIGNED = [["姓名", "楼栋", "单元", "房号", "体温", "症状", "打卡时间"],
              ["张三", "7", "2", "1201", 36.6, LONG_SYMPTOMS, "8:00"],
              ["欧阳娜娜", "7", "1", "302", None, None, "未打卡"]]


@dataclass(frozen=True)
class Printed:
    book: Path
    pdf: Path


def _files(runner: CliRunner, *args: str) -> list[Path]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    return [Path(f) for f in record.get("files", []) if f.endswith(".xlsx")] + (
        [Path(record["log"])] if "log" in record else [])


@pytest.fixture(scope="session")
def printed(example_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """One workbook of every kind from the examples, and its PDF, by kind."""
    runner, out = CliRunner(), tmp_path_factory.mktemp("printed")
    checkins, roster = str(example_dir / "打卡记录.xlsx"), str(example_dir / "居民名册.xlsx")
    books = _files(runner, "followups", checkins, "--roster", roster, "--out", str(out / "books"))
    books += _files(runner, "tasks", checkins, "--roster", roster, "--requests", str(example_dir / "居民诉求.xlsx"),
                    "--out", str(out / "books"))
    books += _files(runner, "notices", "calls", "--checkins", checkins, "--roster", roster, "--out", str(out / "books"))
    books += _files(runner, "stock", str(example_dir / "物资库存.xlsx"), str(example_dir / "出入库记录.xlsx"),
                    "--out", str(out / "books"))
    books += _files(runner, "requests", str(example_dir / "居民诉求.xlsx"), "--volunteers",
                    str(example_dir / "志愿者名册.xlsx"), "--volunteers", str(example_dir / "配送路线.xlsx"),
                    "--now", "2026-11-21 15:00", "--round-size", "6", "--out", str(out / "books"))
    books += _files(runner, "collect", str(out / "books"), "--log", str(out / "跟进记录.xlsx"))
    lone = write_xlsx(out / "11月21日.xlsx", {"打卡": UNASSIGNED})
    books += _files(runner, "followups", str(lone), "--out", str(out / "lone"))
    chosen = {"worker": "待跟进_王芳_", "unassigned": "待跟进_未分配_", "overview": "汇总_2026-11-21.xlsx",
              "building": "楼栋任务_1栋_", "calls": "电话提纲_王芳_", "stock": "库存预警", "log": "跟进记录",
              "delivery": "配送单_李娜_", "summary": "诉求汇总_"}
    picked = {kind: next(b for b in books if b.name.startswith(prefix)) for kind, prefix in chosen.items()}
    pdfs = printed_pdfs(list(picked.values()), out / "pdf")
    return {kind: Printed(book, pdfs[book]) for kind, book in picked.items()}


def _shown(value: object, number_format: str) -> str:
    """A cell's value as the spreadsheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        if number_format == "0.0%":  # rounded half up, as spreadsheets show it
            return f"{value * 100 + 1e-9:.1f}%"
        if number_format == "0.0":
            return f"{value + 1e-9:.1f}"
        return str(int(value)) if float(value).is_integer() else f"{value:g}"
    return str(value).replace("\n", "")


def _visible_columns(sheet) -> list[int]:
    hidden = {i for d in sheet.column_dimensions.values() if d.hidden for i in range(d.min, d.max + 1)}
    return [c for c in range(1, sheet.max_column + 1) if c not in hidden]


def workbook_tables(path: Path) -> list[list[list[str]]]:
    """Every visible sheet's table rows (header and data rows, not the merged notes), as shown, visible
    columns only."""
    book = openpyxl.load_workbook(path, data_only=True)
    tables = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        rows: list[list[str]] = []
        tables.append(rows)
        merged = {r for m in sheet.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)}
        columns = _visible_columns(sheet)
        for row in sheet.iter_rows():
            if row[0].row in merged or not any(c.value is not None for c in row):
                continue
            cells = [row[c - 1] if c - 1 < len(row) else None for c in columns]
            if any(c is not None and c.border.left.style for c in cells):  # a table row, not a title
                rows.append([_shown(c.value, c.number_format) if c is not None else "" for c in cells])
    return tables


def pdf_rows(pdf: pdfplumber.PDF) -> list[list[str]]:
    """Every row of every ruled table printed, each cell's text with its line breaks removed."""
    found = []
    for page in pdf.pages:
        for table in page.extract_tables():
            found += [[(c or "").replace("\n", "") for c in row] for row in table]
    return found


def chars_outside_their_cell(pdf: pdfplumber.PDF) -> list[str]:
    """Characters that stick out of the table cell they are printed in (cut off on paper)."""
    outside = []
    for page in pdf.pages:
        cells = [cell for table in page.find_tables() for cell in table.cells]
        for ch in page.chars:
            x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            for x0, top, x1, bottom in cells:
                if x0 <= x <= x1 and top <= y <= bottom:
                    if ch["x0"] < x0 - 0.5 or ch["x1"] > x1 + 0.5 or ch["top"] < top - 1 or ch["bottom"] > bottom + 1:
                        outside.append(f"page {page.page_number}: {ch['text']}")
                    break
    return outside


def note_lines(path: Path) -> list[str]:
    """The merged lines over and under the tables (titles, notes, footers, legends)."""
    book = openpyxl.load_workbook(path)
    return [str(s.cell(m.min_row, m.min_col).value) for s in book.worksheets if s.sheet_state == "visible"
            for m in s.merged_cells.ranges if s.cell(m.min_row, m.min_col).value]


# kind: (least printed font size in pt, landscape first page, every sheet of the examples on one page)
EXPECTED = {
    "worker": (9.0, True, True), "unassigned": (9.0, True, True), "calls": (9.0, True, True),
    "building": (12.0, False, False),  # the example's open requests run 1栋's sheet over a second page
    "overview": (8.0, False, True), "stock": (9.0, True, True),
    "log": (6.0, True, False),  # the log's item list runs over several pages, its columns never do
    "delivery": (12.0, True, False),  # a page per round: 李娜 has two rounds of 6 stops
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_printed_pages_hold_every_cell_at_a_readable_size(printed: dict[str, Printed], kind: str) -> None:
    least, landscape, one_page_each = EXPECTED[kind]
    book, pdf_path = printed[kind].book, printed[kind].pdf
    sheets = [s for s in openpyxl.load_workbook(book).worksheets if s.sheet_state == "visible"]
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == len(sheets) if one_page_each else len(pdf.pages) >= len(sheets)
        tables = workbook_tables(book)
        page_headers = [[(c or "").replace("\n", "") for c in page.extract_tables()[0][0]] for page in pdf.pages]
        assert [h for h in page_headers if h not in [t[0] for t in tables]] == []  # no page of spilled columns
        first = pdf.pages[0]
        assert (first.width > first.height) == landscape
        assert all(min(p.width, p.height) == pytest.approx(595.3, abs=1) for p in pdf.pages)  # A4
        sizes = [round(ch["size"], 1) for page in pdf.pages for ch in page.chars]
        assert min(sizes) >= least, f"{book.name} prints at {min(sizes)} pt"
        shown = pdf_rows(pdf)
        expected = [row for table in tables for row in table]
        assert expected and [row for row in expected if row not in shown] == []
        assert chars_outside_their_cell(pdf) == []
        text = "".join("".join(page.extract_text().split()) for page in pdf.pages)
    assert [line for line in note_lines(book) if "".join(line.split()) not in text] == []


def test_the_request_summary_prints_one_page_wide_in_landscape(printed: dict[str, Printed]) -> None:
    """诉求汇总: every sheet across A4 landscape with no column spilled to another page, the header repeated,
    and every request's words printed."""
    book, tables = printed["summary"].book, workbook_tables(printed["summary"].book)
    with pdfplumber.open(printed["summary"].pdf) as pdf:
        assert all(p.width > p.height and p.height == pytest.approx(595.3, abs=1) for p in pdf.pages)
        headers = [[(c or "").replace("\n", "") for c in page.extract_tables()[0][0]] for page in pdf.pages]
        assert [h for h in headers if h not in [t[0] for t in tables]] == []
        assert min(round(ch["size"], 1) for page in pdf.pages for ch in page.chars) >= 6.0
        cells = {cell for row in pdf_rows(pdf) for cell in row}
    words = [str(c.value) for c in openpyxl.load_workbook(book)["诉求明细"]["H"][1:]]
    assert len(words) == 68 and [w for w in words if w not in cells] == []


def test_building_sheets_print_at_twelve_points_or_more(printed: dict[str, Printed]) -> None:
    with pdfplumber.open(printed["building"].pdf) as pdf:
        table = pdf.pages[0]
        body = [ch["size"] for ch in table.chars]
    assert min(body) >= 12.0


def test_a_long_reason_wraps_inside_its_row(printed: dict[str, Printed]) -> None:
    with pdfplumber.open(printed["unassigned"].pdf) as pdf:
        rows = pdf_rows(pdf)
    assert any(f"有症状：{LONG_SYMPTOMS}" in cell for row in rows for cell in row)


RED = (0.7529411764, 0.0, 0.0)  # #C00000


def _cell_chars(page: pdfplumber.page.Page, cell: tuple[float, float, float, float]) -> list[dict[str, object]]:
    x0, top, x1, bottom = cell
    return [c for c in page.chars if c["text"].strip() and x0 <= (c["x0"] + c["x1"]) / 2 <= x1
            and top <= (c["top"] + c["bottom"]) / 2 <= bottom]


def test_an_urgent_stop_prints_red_across_its_row_and_centred_in_its_round_and_number(
        printed: dict[str, Printed]) -> None:
    """诉求汇总's round pages: each urgent stop's row prints red in every cell, 轮次 and 序号 included, and those
    two stay centred in their cells as on every other row; the other rows print black."""
    book = openpyxl.load_workbook(printed["summary"].book)
    urgent = [(str(r[0].value), r[1].value) for s in book.worksheets if s.title.startswith("第")
              for r in s.iter_rows(min_row=3) if str(r[5].value).startswith("【急】")]
    red_rows, black_rows = [], []
    with pdfplumber.open(printed["summary"].pdf) as pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            if not tables or "轮次" not in (page.extract_text() or ""):
                continue
            for row in tables[0].rows[1:]:
                cells = [_cell_chars(page, c) for c in row.cells[:6] if c is not None]
                colors = {tuple(round(v, 3) for v in ch["non_stroking_color"]) for chars in cells for ch in chars}
                shown = ("".join(ch["text"] for ch in cells[0]), int("".join(ch["text"] for ch in cells[1])))
                (red_rows if colors == {tuple(round(v, 3) for v in RED)} else black_rows).append(shown)
                assert colors in ({(0.0, 0.0, 0.0)}, {tuple(round(v, 3) for v in RED)}), shown
                for cell, chars in zip(row.cells[:2], cells[:2], strict=True):
                    middle = (min(ch["x0"] for ch in chars) + max(ch["x1"] for ch in chars)) / 2
                    assert middle == pytest.approx((cell[0] + cell[2]) / 2, abs=1.5), shown
    assert red_rows == urgent and len(urgent) >= 2 and len(black_rows) > len(red_rows)


def test_no_printed_line_of_a_building_sheet_is_a_stop_left_alone(printed: dict[str, Printed]) -> None:
    """The foot lines wrap where they are broken on purpose, never leaving a lone "。" on a line."""
    with pdfplumber.open(printed["building"].pdf) as pdf:
        lines = [line.strip() for page in pdf.pages for line in page.extract_text().splitlines()]
    assert "有发热、不适的住户请立即联系网格员。" in lines
    assert [line for line in lines if line and all(ch in "。，；、" for ch in line)] == []
