"""Styled workbooks that open the same in Excel, WPS and LibreOffice.

XlsxWriter is used because it stores a formula's computed value beside the formula, so a viewer that
does not recalculate (WeChat's phone preview) shows the right numbers. Text is always written as
text: a name like `=HYPERLINK(...)` stays a string and never becomes a live formula.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from gridtool.output.files import atomic_path

A4 = 9
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(text: str, limit: int = 40) -> str:
    """A worker's or building's name made safe as part of a file name on Windows, macOS and Linux."""
    name = _UNSAFE.sub("_", unicodedata.normalize("NFKC", text)).strip().strip(".")
    name = re.sub(r"\s+", "_", name)[:limit].strip("._")
    if not name or name.upper() in _RESERVED:
        name = f"_{name}" if name else "未命名"
    return name


class OutputNames:
    """File names inside the output folder: made safe, unique within a run, and never an input's."""

    def __init__(self, folder: Path, inputs: Iterable[Path] = ()) -> None:
        self.folder = folder
        self.protected = {p.resolve() for p in inputs}
        self.taken: set[Path] = set()

    def path(self, *parts: str, suffix: str = ".xlsx") -> Path:
        """`待跟进_王芳_2026-11-21.xlsx` from ("待跟进", "王芳", "2026-11-21"); `_2`, `_3` … when taken."""
        stem = "_".join(safe_filename(p) if i else p for i, p in enumerate(parts))
        candidate, number = self.folder / f"{stem}{suffix}", 2
        while candidate in self.taken or candidate.resolve() in self.protected:
            candidate, number = self.folder / f"{stem}_{number}{suffix}", number + 1
        self.taken.add(candidate)
        return candidate


@contextmanager
def atomic_workbook(path: Path) -> Iterator[Workbook]:
    """A workbook written to a temporary file beside `path` and moved into place when complete."""
    with atomic_path(path) as temp:
        book = xlsxwriter.Workbook(str(temp), {"strings_to_formulas": False, "strings_to_urls": False,
                                               "strings_to_numbers": False})
        yield book
        book.close()


def display_width(text: str) -> int:
    """Columns a text needs: a Chinese character is two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True)
class Column:
    header: str
    width: float | None = None
    number_format: str | None = None
    hidden: bool = False
    input: bool = False


class Styles:
    """The handful of formats every gridtool sheet uses, made once per workbook."""

    def __init__(self, book: Workbook, font_size: int = 11) -> None:
        base = {"font_name": "宋体", "font_size": font_size, "valign": "vcenter"}
        self.book = book
        self.title = book.add_format({**base, "bold": True, "font_size": font_size + 5})
        self.note = book.add_format({**base, "font_color": "#555555", "text_wrap": False})
        self.header = book.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                       "text_wrap": True, "align": "center"})
        self.cell = book.add_format({**base, "border": 1, "text_wrap": True})
        self.input = book.add_format({**base, "border": 1, "bg_color": "#FFF9E6", "text_wrap": True,
                                      "locked": False})
        self.urgent = book.add_format({**base, "border": 1, "text_wrap": True, "bold": True,
                                       "font_color": "#C00000"})
        self.number = book.add_format({**base, "border": 1, "num_format": "0.0"})
        self.integer = book.add_format({**base, "border": 1, "num_format": "0"})
        self.percent = book.add_format({**base, "border": 1, "num_format": "0.0%"})
        self.total = book.add_format({**base, "border": 1, "bold": True, "bg_color": "#F2F2F2"})
        self.total_percent = book.add_format({**base, "border": 1, "bold": True, "bg_color": "#F2F2F2",
                                              "num_format": "0.0%"})


def write_value(sheet: Worksheet, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """Write one value safely: text as text (never a formula), numbers as numbers, blanks as blanks."""
    kind = type(value)
    if kind is str:
        if value:
            sheet.write_string(row, col, value, fmt)
        else:
            sheet.write_blank(row, col, None, fmt)
    elif value is None or value != value:  # None or NaN
        sheet.write_blank(row, col, None, fmt)
    elif kind is bool:
        sheet.write_string(row, col, "是" if value else "", fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


WIDTH_SAMPLE_ROWS = 200


def write_table(sheet: Worksheet, styles: Styles, top: int, columns: Sequence[Column],
                rows: Sequence[Sequence[Any]], row_formats: Sequence[Any] | None = None) -> int:
    """A header row at `top` and the rows under it, widths fitted to Chinese text. Returns the next row.

    A column's own format (numbers, input cells) wins over the row's format (an urgent row in red).
    """
    for col, column in enumerate(columns):
        sheet.write_string(top, col, column.header, styles.header)
    widths = [display_width(c.header) + 2 for c in columns]
    own = [styles.number if c.number_format == "0.0" else styles.input if c.input else None for c in columns]
    for offset, values in enumerate(rows, 1):
        base = row_formats[offset - 1] if row_formats else styles.cell
        for col, value in enumerate(values):
            write_value(sheet, top + offset, col, value, own[col] or base)
        if offset <= WIDTH_SAMPLE_ROWS:
            for col, value in enumerate(values):
                if type(value) is str:
                    widths[col] = max(widths[col], display_width(value) + 2)
    for col, column in enumerate(columns):
        width = column.width or min(max(widths[col], 6), 40)
        sheet.set_column(col, col, width, None, {"hidden": column.hidden})
    return top + len(rows) + 1


def print_setup(sheet: Worksheet, header_row: int, landscape: bool = False, header: str = "") -> None:
    """A4, fit to one page wide, header row repeated on every page, page numbers in the footer."""
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if header:
        sheet.set_header(f"&C{header.replace('&', '&&')}")
    sheet.set_footer("&C第 &P 页，共 &N 页")
    sheet.freeze_panes(header_row + 1, 0)


def add_dropdown(sheet: Worksheet, first_row: int, last_row: int, col: int, options: Sequence[str]) -> None:
    """A list to pick from; a typed answer outside it is allowed (kept and reported later), not refused."""
    if last_row < first_row:
        return
    sheet.data_validation(first_row, col, last_row, col, {
        "validate": "list", "source": list(options), "error_type": "information",
        "error_title": "不在列表中", "error_message": "建议从下拉列表中选择跟进结果。",
    })


def write_manifest(book: Workbook, meta: dict[str, str], items: Sequence[Sequence[Any]]) -> None:
    """The hidden sheet that lets `gridtool collect` read this workbook back (see gridtool.manifest)."""
    from gridtool import __version__, manifest

    sheet = book.add_worksheet(manifest.SHEET)
    sheet.write_string(0, 0, "gridtool")
    sheet.write_string(0, 1, __version__)
    for row, name in enumerate(manifest.META, 1):
        sheet.write_string(row, 0, name)
        sheet.write_string(row, 1, meta.get(name, ""))
    top = len(manifest.META) + 2
    sheet.write_row(top, 0, list(manifest.ITEMS.values()))
    for offset, values in enumerate(items, 1):
        for col, value in enumerate(values):
            write_value(sheet, top + offset, col, value)
    sheet.hide()
