"""Whole sheets handed to rust_xlsxwriter in one call (through rustpy-xlsxwriter).

Measured on the 2-core machine: 130,000 rows × 13 columns in 1.2 s against 8.7 s cell by cell with
XlsxWriter. It takes a sheet as a table (a header row with data under it, merged lines above the header,
formats by column and by row, a drop-down typed into the validation, print set-up); lines merged under the
table are filled in afterwards (xlsx_package.py). So it writes the workbooks that are nothing more than
that: the grid workers' to-do books, whose size grows with the district, and the building leaders' task
books, a thousand of them in a district. A formula is written as its cached value and set in front of it
afterwards (xlsx_package.py), so a phone preview shows the value and Excel recalculates. It cannot
reference a list kept on another sheet; a workbook that needs that is written by XlsxWriter (xlsx.py).
Text is always written as text, never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gridtool.output import layout
from gridtool.output.cell_text import safe_frame
from gridtool.output.files import write_bytes
from gridtool.output.sheet_xml import Formulas, LineUnder
from gridtool.output.xlsx import (
    A4,
    INLINE_LIST_LIMIT,
    WIDTH_SAMPLE_ROWS,
    Column,
    PageFit,
    TableLayout,
    fitted_widths,
    frame_heights,
    merged_props,
    page_texts,
    style_props,
)
from gridtool.output.xlsx_package import Merge, SheetFixes, finish_package
from gridtool.table.invisible import shown

_BORDER = {1: "thin"}
_SETTERS = {
    "font_name": "set_font_name", "font_size": "set_font_size", "font_color": "set_font_color",
    "bg_color": "set_background_color", "num_format": "set_num_format",
}


def rust_format(props: Mapping[str, Any]) -> Any:
    """The rust writer's format for XlsxWriter format properties (the subset style_props uses)."""
    from rustpy_xlsxwriter import Format

    fmt = Format()
    for name, value in props.items():
        if name in _SETTERS:
            getattr(fmt, _SETTERS[name])(value)
        elif name == "bold" and value:
            fmt.set_bold()
        elif name == "text_wrap" and value:
            fmt.set_text_wrap()
        elif name == "border" and value:
            fmt.set_border(_BORDER[value])
        elif name == "locked" and not value:
            fmt.set_unlocked()
        elif name in ("align", "valign"):
            fmt.set_align(value)
        else:
            raise ValueError(f"format property {name} has no rust_xlsxwriter counterpart")
    return fmt


ColumnStyle = tuple[str, bool]  # a style_props name, and whether it is centred


class FastStyles:
    """The shared formats (xlsx.style_props) as rust_xlsxwriter formats, centred variants made on demand."""

    def __init__(self, font_size: int = 11) -> None:
        self.font_size = font_size
        self._props = style_props(font_size)
        self._made: dict[ColumnStyle, Any] = {}
        self._merged: dict[tuple[str, ColumnStyle], Any] = {}

    def get(self, name: str, centred: bool = False) -> Any:
        if (name, centred) not in self._made:
            props = {**self._props[name], **({"align": "center"} if centred else {})}
            self._made[(name, centred)] = rust_format(props)
        return self._made[(name, centred)]

    def merged(self, row: str, column: ColumnStyle) -> Any | None:
        """The format of a cell in a row formatted `row` under a column formatted `column`, as Excel gives a
        cell one format: the row's properties (an urgent row's red bold) with the column's own over them
        (centred, a number format, an input box's yellow). None when that is the column's format as it is."""
        name, centred = column
        props = {**self._props[name], **({"align": "center"} if centred else {})}
        both = merged_props(self._props[row], props)
        if both == props:
            return None
        if (row, column) not in self._merged:
            self._merged[(row, column)] = rust_format(both)
        return self._merged[(row, column)]


@dataclass(frozen=True)
class Line:
    """A line of text over (or under) the table, merged across its printed width."""

    text: str
    style: str  # a style_props name: "heading" for the title, "note" for the lines under it


@dataclass
class FastSheet:
    """One sheet as the rust writer takes it: lines over a table, the table, and how it prints."""

    name: str
    columns: Sequence[Column]
    frame: pd.DataFrame  # one column per `columns`, in order; "" for an empty input cell
    widths: Sequence[float]
    heights: Sequence[float] = ()  # each data row's height in points
    lines: Sequence[Line] = ()
    foot: Sequence[Line] = ()  # lines under the table, a blank row apart; they print with it
    row_styles: Sequence[str] = ()  # each data row's style name; "cell" when empty
    dropdown: tuple[str, Sequence[str]] | None = None  # the column and the answers to pick from
    landscape: bool = True
    floor: float = 0.0  # the header row's least height in points (room to write by hand)
    page_header: str = ""
    footer: str = ""  # every printed page's footer in Excel's codes; the page number when empty
    page_breaks: Sequence[int] = ()  # the rows (from 0) that start a printed page
    hidden: bool = False
    raw: bool = False  # no header format, no print set-up: a grid of values (the hidden manifest)
    extra: dict[str, Any] = field(default_factory=dict)
    # live formulas by (row, column) of the sheet, both from 0; the frame holds each one's cached value
    formulas: Formulas = field(default_factory=dict)
    header_style: str = "header"

    @property
    def header_row(self) -> int:
        return len(self.lines)

    @property
    def foot_row(self) -> int:
        """The first foot line's row (from 0): under the table and a blank row."""
        return self.header_row + len(self.frame) + 2

    @property
    def end(self) -> int:
        """The row after the table and its foot lines."""
        return self.foot_row + len(self.foot) if self.foot else self.header_row + 1 + len(self.frame)


def table_sheet(name: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]], styles: FastStyles, fit: PageFit,
                **more: Any) -> FastSheet:
    """A sheet of `rows` under `columns`, laid out as xlsx.write_table_layout lays it out: columns as wide
    as their content (narrowed to wrap to fit the page), rows as tall as their wrapped text."""
    frame = pd.DataFrame(list(rows), columns=[c.header for c in columns])
    return _laid_out(name, columns, frame, rows[:WIDTH_SAMPLE_ROWS], styles, fit, **more)


def frame_sheet(name: str, columns: Sequence[Column], frame: pd.DataFrame, styles: FastStyles, fit: PageFit,
                **more: Any) -> FastSheet:
    """table_sheet for a table already held as columns (`frame`, in `columns`' order): a long list (a
    million residents flagged) is never turned into rows; widths from its first rows, heights by column."""
    frame = frame.set_axis([c.header for c in columns], axis=1)
    head = frame.head(WIDTH_SAMPLE_ROWS).astype(object)
    return _laid_out(name, columns, frame, head.where(head.notna(), None).to_numpy().tolist(), styles, fit, **more)


def _laid_out(name: str, columns: Sequence[Column], frame: pd.DataFrame, sample: Sequence[Sequence[Any]],
              styles: FastStyles, fit: PageFit, **more: Any) -> FastSheet:
    widths = fitted_widths(columns, sample, styles.font_size, fit)
    heights = frame_heights(frame, columns, widths, styles.font_size, fit.min_row_height)
    return FastSheet(name, columns, frame, widths, heights, landscape=fit.landscape, floor=fit.min_row_height, **more)


def dropdown_fits(options: Sequence[str]) -> bool:
    """Whether the answers can be typed into the validation (the rust writer cannot reference a range): short
    enough, and none holding a comma (it would split the answer in two) or a quote."""
    joined = ",".join(options)
    return len(joined.encode("utf-16-le")) // 2 <= INLINE_LIST_LIMIT and not any("," in o or '"' in o for o in options)


def write_fast_book(path: Path, sheets: Sequence[FastSheet], styles: FastStyles) -> None:
    """The workbook built in memory in one call and written to `path` atomically."""
    from rustpy_xlsxwriter import write_worksheets

    options: dict[str, Any] = {}
    fixes = []
    for sheet in sheets:
        merges, carried = _merges(sheet, styles)
        for option, value in _sheet_options(sheet, styles).items():
            options.setdefault(option, {})[sheet.name] = value
        if carried:
            options["row_formats"][sheet.name].update(carried)
        last = max((i for i, c in enumerate(sheet.columns) if not c.hidden), default=0)
        under = [LineUnder(sheet.foot_row + i, last, shown(line.text)) for i, line in enumerate(sheet.foot)]
        fixes.append(SheetFixes(sheet.formulas, merges, sheet.page_breaks, under, as_written=sheet.raw))
    buffer = io.BytesIO()
    # its temporary files (constant-memory mode) stay in the system's temporary folder: opened there
    # unnamed, they vanish with the process; in the output folder a full disk made the writer panic (an
    # unwrap) with a Rust message on stderr, which cannot be turned into gridtool's own message
    write_worksheets([(s.name, safe_frame(s.frame)) for s in sheets], buffer, **options)
    write_bytes(path, finish_package(buffer.getvalue(), fixes))


def _merges(sheet: FastSheet, styles: FastStyles) -> tuple[list[Merge], dict[int, Any]]:
    """The cells whose row and column both have a format of their own (an urgent row's centred 序号), which
    take the two merged (see FastStyles.merged); and the rows under the table that carry the formats, so
    that the writer registers them (the package pass reads their indices there and takes the rows out).
    A plain ("cell") row's cells keep their column's format; a hidden column's text stays unwrapped."""
    kinds = sorted({kind for c in sheet.columns if not c.hidden and (kind := _column_style(c)) is not None})
    pairs = [(row, kind, both) for row in sorted(set(sheet.row_styles) - {"cell"}) for kind in kinds
             if (both := styles.merged(row, kind)) is not None]
    below = sheet.end
    carried: dict[int, Any] = {}
    merges = []
    for row, kind, both in pairs:
        at = [below + len(carried), below + len(carried) + 1, below + len(carried) + 2]
        carried.update(zip(at, (styles.get(row), styles.get(*kind), both), strict=True))
        merges.append(Merge(*at))
    return merges, carried


def _sheet_options(sheet: FastSheet, styles: FastStyles) -> dict[str, Any]:
    if sheet.raw:
        return {"sheet_view": {"hidden": True}} if sheet.hidden else {}
    top = sheet.header_row
    last = max(i for i, c in enumerate(sheet.columns) if not c.hidden)
    table = TableLayout(top + len(sheet.frame) + 1, list(sheet.widths))
    px = table.visible_px(sheet.columns)
    merges = [(row, 0, row, last, shown(line.text), styles.get(line.style)) for row, line in enumerate(sheet.lines)]
    placed = [*enumerate(sheet.lines), *enumerate(sheet.foot, sheet.foot_row)]
    heights = {row: layout.row_height(layout.lines_needed(line.text, (px - 5) / 7, _size(line, styles)),
                                      _size(line, styles)) for row, line in placed}
    heights[top] = max(layout.row_height(1, styles.font_size), sheet.floor)
    heights.update({top + 1 + i: h for i, h in enumerate(sheet.heights) if h > 15})
    rows = sheet.row_styles or ["cell"] * len(sheet.frame)
    made = {name: styles.get(name) for name in set(rows)}
    # a foot line's row is written empty with its format and height; its text is set in afterwards
    under = {row: styles.get(line.style) for row, line in enumerate(sheet.foot, sheet.foot_row)}
    top_text, foot_text = page_texts(sheet.page_header, styles.font_size)
    options: dict[str, Any] = {
        "header_row": top, "merge_ranges": merges, "row_heights": heights,
        "column_widths": [0 if c.hidden else w for c, w in zip(sheet.columns, sheet.widths, strict=True)],
        "column_formats": [_column_format(c, styles) for c in sheet.columns],
        "header_format": styles.get(sheet.header_style),
        "row_formats": {**{top + 1 + i: made[name] for i, name in enumerate(rows)}, **under},
        "freeze_panes": {"row": top + 1, "col": 0},
        "page_setup": {"landscape": sheet.landscape, "paper_size": A4, "fit_to_pages": (1, 0), "repeat_rows": top,
                       "margins": {"left": layout.MARGIN_IN, "right": layout.MARGIN_IN, "top": 0.6, "bottom": 0.6},
                       "footer": sheet.footer or foot_text, "print_area": (0, 0, sheet.end - 1, last),
                       **({"header": top_text} if top_text else {})},
        **sheet.extra,
    }
    if sheet.dropdown is not None and len(sheet.frame):
        column, answers = sheet.dropdown
        options["data_validations"] = {column: {
            "type": "list", "values": list(answers), "error_style": "information",
            "error_title": "不在列表中", "error_message": "建议从下拉列表中选择跟进结果。"}}
    return options


def _size(line: Line, styles: FastStyles) -> int:
    return styles.font_size + 5 if line.style in ("heading", "title") else styles.font_size


NUMBER_STYLES = {"0.0": "number", "0": "integer", "0.0%": "percent"}


def _column_format(column: Column, styles: FastStyles) -> Any:
    """A column's own format; None leaves its cells to the row's format (an urgent row in red)."""
    kind = _column_style(column)
    return None if kind is None else styles.get(*kind)


def _column_style(column: Column) -> ColumnStyle | None:
    if column.hidden:
        return ("hidden", False)
    if column.number_format in NUMBER_STYLES:
        return (NUMBER_STYLES[column.number_format], column.center)
    if column.input:
        return ("input", column.center)
    return ("cell", True) if column.center else None


def grid_frame(head: Sequence[Sequence[Any]], columns: Sequence[Sequence[Any]] = ()) -> pd.DataFrame:
    """A raw sheet: the `head` rows, then `columns` (given column by column) under them. The first head
    row becomes the header (its blanks numbered, since the writer needs distinct names)."""
    width = max([len(r) for r in head] + [len(columns)])
    first = [*head[0], *[""] * (width - len(head[0]))]
    names = [str(v) if v not in ("", None) else f"({i + 1})" for i, v in enumerate(first)]
    body = [[r[i] if i < len(r) else None for r in head[1:]] + (list(columns[i]) if i < len(columns) else [])
            for i in range(width)]
    height = max(len(b) for b in body)
    # as the Python values they are: inferring text columns cost more than the writer's own look at them
    return pd.DataFrame({n: [*b, *[None] * (height - len(b))] for n, b in zip(names, body, strict=True)},
                        columns=names, dtype=object)
