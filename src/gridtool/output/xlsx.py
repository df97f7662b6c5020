"""Styled workbooks that open the same in Excel, WPS and LibreOffice.

XlsxWriter is used because it stores a formula's computed value beside the formula, so a viewer that
does not recalculate (WeChat's phone preview) shows the right numbers. Text is always written as
text: a name like `=HYPERLINK(...)` stays a string and never becomes a live formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from gridtool.output import layout
from gridtool.output.files import write_bytes
from gridtool.table.invisible import shown

A4 = 9


@contextmanager
def atomic_workbook(path: Path) -> Iterator[Workbook]:
    """A workbook built in memory and written to `path` atomically when complete: a full disk fails in our
    own write (and leaves nothing behind), never inside the zip library or in a temporary folder."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False, "in_memory": True})
    yield book
    book.close()
    write_bytes(path, buffer.getbuffer())


@dataclass(frozen=True)
class Column:
    """A table column: its header, the room it keeps for handwriting (`chars`, in Chinese characters),
    its number format, and whether it is hidden, an input cell, or centred (short codes like 序号, 单元)."""

    header: str
    chars: float | None = None
    number_format: str | None = None
    hidden: bool = False
    input: bool = False
    center: bool = False


@dataclass(frozen=True)
class PageFit:
    """The page a table is laid out for: A4 across or upright, and the least share of the font size the
    printout may shrink to when fitted to the page width."""

    landscape: bool = True
    min_scale: float = 0.8
    min_row_height: float = 0.0  # points: room to write by hand on the printed sheet


def style_props(font_size: int) -> dict[str, dict[str, Any]]:
    """The handful of formats every gridtool sheet uses, by name, as XlsxWriter format properties; both
    writers (this module and fast_xlsx) make their formats from this one table."""
    base = {"font_name": "宋体", "font_size": font_size, "valign": "vcenter"}
    named: dict[str, dict[str, Any]] = {
        "title": {"bold": True, "font_size": font_size + 5},
        "heading": {"bold": True, "font_size": font_size + 5, "text_wrap": True},
        "note": {"font_color": "#555555", "text_wrap": True, "valign": "top"},
        "header": {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "align": "center"},
        "cell": {"border": 1, "text_wrap": True},
        "hidden": {},
        "input": {"border": 1, "bg_color": "#FFF9E6", "text_wrap": True, "locked": False},
        "urgent": {"border": 1, "text_wrap": True, "bold": True, "font_color": "#C00000"},
        "number": {"border": 1, "num_format": "0.0"},
        "integer": {"border": 1, "num_format": "0"},
        "percent": {"border": 1, "num_format": "0.0%"},
        "total": {"border": 1, "bold": True, "bg_color": "#F2F2F2"},
        "total_percent": {"border": 1, "bold": True, "bg_color": "#F2F2F2", "num_format": "0.0%"},
    }
    return {name: {**base, **props} for name, props in named.items()}


def merged_props(row: Mapping[str, Any], column: Mapping[str, Any]) -> dict[str, Any]:
    """The one format of a cell in a formatted row under a formatted column, as Excel gives a cell one: the
    row's properties (an urgent row's red bold) with the column's own over them (centred, a number format,
    an input box's yellow). Both writers make such cells' formats so."""
    return {**row, **column}


class Styles:
    """The handful of formats every gridtool sheet uses, made once per workbook."""

    def __init__(self, book: Workbook, font_size: int = 11) -> None:
        self.book = book
        self.font_size = font_size
        self._props: dict[int, dict[str, Any]] = {}
        self._centred: dict[int, Any] = {}
        self._merged: dict[tuple[int, int], Any] = {}
        made = {name: self._add(**props) for name, props in style_props(font_size).items()}
        self.title, self.heading, self.note = made["title"], made["heading"], made["note"]
        self.header, self.cell, self.hidden, self.input = made["header"], made["cell"], made["hidden"], made["input"]
        self.urgent, self.number, self.integer = made["urgent"], made["number"], made["integer"]
        self.percent, self.total, self.total_percent = made["percent"], made["total"], made["total_percent"]

    def _add(self, **props: Any) -> Any:
        fmt = self.book.add_format(props)
        self._props[id(fmt)] = props
        return fmt

    def merged(self, row: Any, column: Any) -> Any:
        """The format of a cell in a row formatted `row` under a column formatted `column` (merged_props)."""
        key = (id(row), id(column))
        if key not in self._merged:
            self._merged[key] = self._add(**merged_props(self._props[id(row)], self._props[id(column)]))
        return self._merged[key]

    def centred(self, fmt: Any) -> Any:
        """The same format, centred: 序号 beside 单元 must not read as one number (“10 2” as 102)."""
        if id(fmt) not in self._centred:
            self._centred[id(fmt)] = self._add(**{**self._props[id(fmt)], "align": "center"})
        return self._centred[id(fmt)]


def write_value(sheet: Worksheet, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """Write one value safely: text as text (never a formula) with its hidden characters shown as markers
    (`王〔U+202E〕五`, see gridtool.table.invisible), numbers as numbers, blanks as blanks."""
    kind = type(value)
    if kind is str:
        if value:
            sheet.write_string(row, col, shown(value), fmt)
        else:
            sheet.write_blank(row, col, None, fmt)
    elif value is None or value != value:  # None or NaN
        sheet.write_blank(row, col, None, fmt)
    elif kind is bool:
        sheet.write_string(row, col, "是" if value else "", fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, shown(str(value)), fmt)


WIDTH_SAMPLE_ROWS = 200
WRAP_FLOOR_EM = 6.0  # a text column may be narrowed to this and wrap, never further


@dataclass(frozen=True)
class TableLayout:
    end: int  # the row after the table
    widths: list[float]  # every column's width (hidden ones too)

    def visible_px(self, columns: Sequence[Column]) -> float:
        return sum(layout.column_px(w) for w, c in zip(self.widths, columns, strict=True) if not c.hidden)


def write_table(sheet: Worksheet, styles: Styles, top: int, columns: Sequence[Column],
                rows: Sequence[Sequence[Any]], row_formats: Sequence[Any] | None = None) -> int:
    """A header row at `top` and the rows under it, laid out for a landscape A4 page. Returns the next row."""
    return write_table_layout(sheet, styles, top, columns, rows, row_formats).end


def write_table_layout(sheet: Worksheet, styles: Styles, top: int, columns: Sequence[Column],
                       rows: Sequence[Sequence[Any]], row_formats: Sequence[Any] | None = None,
                       fit: PageFit = PageFit()) -> TableLayout:
    """A header row at `top` and the rows under it: each column as wide as its content needs (the widest
    narrowed to wrap when the page is too narrow for the print to keep `fit.min_scale` of the font size),
    each row as tall as its wrapped text needs and at least `fit.min_row_height` points.

    A cell under a column with a format of its own (numbers, input cells) in a row with one (an urgent row
    in red) gets the two merged (merged_props); a hidden column's cells keep their own.
    """
    size = styles.font_size
    widths = fitted_widths(columns, rows[:WIDTH_SAMPLE_ROWS], size, fit)
    for col, column in enumerate(columns):
        sheet.write_string(top, col, column.header, styles.header)
        sheet.set_column(col, col, widths[col], None, {"hidden": column.hidden})
    sheet.set_row(top, max(layout.row_height(1, size), fit.min_row_height))
    # a hidden column's text is not wrapped: LibreOffice would print it, a character a line, beside the table
    own = [styles.hidden if c.hidden else styles.number if c.number_format == "0.0" else styles.input if c.input
           else None for c in columns]
    heights = row_heights(rows, columns, widths, size, fit.min_row_height)
    keep_blank = {c for c, column in enumerate(columns) if column.input}  # an empty input box is yellow
    shapes: dict[int, list[Any]] = {}  # a row format's id -> each column's format under it
    for offset, values in enumerate(rows, 1):
        base = row_formats[offset - 1] if row_formats else styles.cell
        formats = shapes.get(id(base))
        if formats is None:
            formats = shapes[id(base)] = [_cell_format(styles, base, own[c], column) for c, column in enumerate(columns)]
        for col, value in enumerate(values):
            if value is not None and value != "" or col in keep_blank:
                write_value(sheet, top + offset, col, value, formats[col])
        # the row's format shows on its blank cells (borders), so they are not written one by one
        sheet.set_row(top + offset, heights[offset - 1] if heights[offset - 1] > 15 else None, base)
    return TableLayout(top + len(rows) + 1, widths)


def _cell_format(styles: Styles, row: Any, own: Any, column: Column) -> Any:
    if column.hidden:
        return own
    fmt = row if own is None else own if row is styles.cell else styles.merged(row, own)
    return styles.centred(fmt) if column.center else fmt


def row_heights(rows: Sequence[Sequence[Any]], columns: Sequence[Column], widths: Sequence[float], size: float,
                 floor: float) -> list[float]:
    """Each row's height: as tall as its most wrapped text needs, and at least `floor` points."""
    return frame_heights(pd.DataFrame(list(rows)), columns, widths, size, floor)


def frame_heights(frame: pd.DataFrame, columns: Sequence[Column], widths: Sequence[float], size: float,
                  floor: float) -> list[float]:
    """Each row's height for a table held as columns (`frame`, in `columns`' order). A text is measured
    once per column however often it repeats (a reason, a building, an answer), and the per-row work is
    column operations, not a Python loop over cells."""
    lines = np.ones(len(frame), dtype=np.int64)
    for col, column in enumerate(columns):
        if column.hidden or column.number_format is not None or col >= frame.shape[1]:
            continue
        need = _column_lines(frame.iloc[:, col], widths[col], size)
        if need is not None:
            lines = np.maximum(lines, need)
    height = {count: max(layout.row_height(count, size), floor) for count in set(lines.tolist())}
    return [height[count] for count in lines.tolist()]


SMALL_TABLE = 2000  # rows: a column this short is measured from a list, quicker than factorizing it


def _column_lines(cells: pd.Series, width: float, size: float) -> np.ndarray | None:
    """Each cell's lines (a blank or a number: one), each distinct text measured once; None when every
    text fits on one line."""
    if len(cells) <= SMALL_TABLE:
        values = cells.tolist()
        texts = list(dict.fromkeys(v for v in values if type(v) is str))
        if fit_on_one_line(set(texts), width, size):
            return None
        counted = dict(zip(texts, layout.lines_needed_many(texts, width, size).tolist(), strict=True))
        return np.array([counted[v] if type(v) is str else 1 for v in values], dtype=np.int64)
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    distinct = uniques.tolist()
    text_at = [i for i, v in enumerate(distinct) if type(v) is str]
    texts = [distinct[i] for i in text_at]
    if fit_on_one_line(set(texts), width, size):
        return None
    need = np.ones(len(distinct) + 1, dtype=np.int64)  # the last for a missing cell (code -1): one line
    need[text_at] = layout.lines_needed_many(texts, width, size)
    lines: np.ndarray = need[codes]
    return lines


def fit_on_one_line(texts: set[str], width: float, size: float) -> bool:
    """Whether every text is one line that fits the column, as layout.lines_needed would find, checked over
    the whole set at C speed (a column of 100,000 distinct times or keys): a character is at most 1 em wide
    (a Chinese one), an ASCII one 0.55, so the longest text's length bounds every width."""
    if not texts:
        return True
    joined = "".join(texts)
    longest = max(map(len, texts))
    room = layout.capacity_em(width, size)
    return "\n" not in joined and (layout.on_one_line(longest, room) or (
        joined.isascii() and layout.on_one_line(layout.NARROW_EM * longest, room)))


def fitted_widths(columns: Sequence[Column], sample: Sequence[Sequence[Any]], size: float,
                   fit: PageFit) -> list[float]:
    natural, floor = [], []
    for col, column in enumerate(columns):
        header = layout.longest_line_em(column.header)
        texts = [_shown(row[col]) for row in sample if col < len(row)]
        content = layout.longest_line_em_many([t for t in texts if t])
        need = max(header, content, column.chars or 0.0)
        natural.append(need)
        wraps = column.number_format is None and any(type(row[col]) is str for row in sample if col < len(row))
        floor.append(min(need, max(header, column.chars or 0.0, WRAP_FLOOR_EM)) if wraps else need)
    shown = [i for i, c in enumerate(columns) if not c.hidden]
    budget = layout.printable_px(fit.landscape) / fit.min_scale
    fitted = layout.fit_widths([layout.column_width(natural[i], size) for i in shown],
                               [layout.column_width(floor[i], size) for i in shown], budget)
    widths = [layout.column_width(n, size) for n in natural]
    for i, width in zip(shown, fitted, strict=True):
        widths[i] = width
    return widths


def _shown(value: Any) -> str:
    """The text a cell shows, near enough to measure it."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return "是" if value is True else "" if value is False else str(value)


def write_notes(sheet: Worksheet, styles: Styles, first_row: int, lines: Sequence[str], columns: Sequence[Column],
                table: TableLayout, title: bool = False) -> int:
    """Lines under (or over) a table, each merged across the table's visible width and wrapped in a row as
    tall as it needs, so a long line never widens the printed area. Returns the next row."""
    last = max(i for i, c in enumerate(columns) if not c.hidden)
    px = table.visible_px(columns)
    fmt, size = (styles.heading, styles.font_size + 5) if title else (styles.note, styles.font_size)
    for offset, line in enumerate(lines):
        row = first_row + offset
        sheet.merge_range(row, 0, row, last, shown(line), fmt)
        count = layout.lines_needed(line, (px - 5) / 7, size)
        sheet.set_row(row, layout.row_height(count, size))
    return first_row + len(lines)


def print_setup(sheet: Worksheet, header_row: int, landscape: bool = False, header: str = "",
                area: tuple[int, int] | None = None, font_size: int = 11) -> None:
    """A4, fit to one page wide, header row repeated on every page, page numbers in the footer; `area`
    (last row, last column) bounds what prints, so nothing beside the table widens the page."""
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_margins(left=layout.MARGIN_IN, right=layout.MARGIN_IN, top=0.6, bottom=0.6)
    top, foot = page_texts(header, font_size)
    if top:
        sheet.set_header(top)
    sheet.set_footer(foot)
    if area is not None:
        sheet.print_area(0, 0, *area)
    sheet.freeze_panes(header_row + 1, 0)


def page_texts(header: str, font_size: int) -> tuple[str, str]:
    """The printed page header (the sheet's title, centred) and footer (page N of M), as Excel codes."""
    size = f"&{font_size} "  # the space ends the size code before a title starting with a digit
    return (f"&C{size}{shown(header).replace('&', '&&')}" if header else ""), f"&C{size}第 &P 页，共 &N 页"


LIST_SHEET = "_选项"
INLINE_LIST_LIMIT = 255  # Excel drops a typed-in list longer than this, with the whole drop-down


def add_dropdown(book: Workbook, sheet: Worksheet, first_row: int, last_row: int, col: int,
                 options: Sequence[str]) -> None:
    """A list to pick from; a typed answer outside it is allowed (kept and reported later), not refused.

    Short lists are typed into the validation; a list longer than Excel allows, or with an answer holding
    a comma or a quote (which a typed list cannot carry), is kept in a hidden sheet and referenced."""
    if last_row < first_row:
        return
    joined = ",".join(options)
    source: str | list[str] = list(options)
    if len(joined.encode("utf-16-le")) // 2 > INLINE_LIST_LIMIT or any("," in o or '"' in o for o in options):
        lists = book.get_worksheet_by_name(LIST_SHEET) or book.add_worksheet(LIST_SHEET)
        for row, option in enumerate(options):
            lists.write_string(row, col, option)
        lists.hide()
        letter = xl_col_to_name(col)
        source = f"='{LIST_SHEET}'!${letter}$1:${letter}${len(options)}"
    sheet.data_validation(first_row, col, last_row, col, {
        "validate": "list", "source": source, "error_type": "information",
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
    sheet.write_row(top, 0, list(manifest.layout(meta.get("kind", "")).values()))
    for offset, values in enumerate(items, 1):
        for col, value in enumerate(values):
            write_value(sheet, top + offset, col, value)
    sheet.hide()
