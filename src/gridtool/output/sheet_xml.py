"""Edits to one worksheet's XML as rust_xlsxwriter wrote it, for what the writer cannot write itself
(`xlsx_package.finish_package` makes them while it re-zips the package).

rust_xlsxwriter (through rustpy-xlsxwriter) writes whole tables but cannot store a formula together with
its computed value. So a formula cell is written first as its cached value, a plain number or text, and
here the formula is set in front of that value: `<c r="B3" s="4"><f>SUM(B1:B2)</f><v>7</v></c>`, text
results marked t="str". A viewer that does not recalculate (WeChat's phone preview) shows the value; the
workbook asks Excel and LibreOffice to recalculate on opening (rust_xlsxwriter writes fullCalcOnLoad).

Lines of text under a table (a sign-off line, a legend) are filled in here too: the writer merges cells
only above the table, so it writes each such row empty with its format and height, and the text and the
merge are set in that row. The writer has no manual page breaks either; they are set here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

Cell = tuple[int, int]  # (row, column), both from 0
Formulas = Mapping[Cell, str]  # the formula, "=" first or not


@dataclass(frozen=True)
class LineUnder:
    """Text merged across columns 0 to `last` of row `row` (both from 0), a row under the table that the
    writer wrote empty, with its format and height."""

    row: int
    last: int
    text: str  # as it is to show (hidden characters already made markers)


_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_STYLE_ATTR = re.compile(rb' s="\d+"')
_TYPE_ATTR = re.compile(rb' t="([a-zA-Z]+)"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.DOTALL)
_TEXT = re.compile(rb"<t(?: [^>]*)?>(.*?)</t>", re.DOTALL)


_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')


def without_repeated_row(data: bytes) -> bytes:
    """rust_xlsxwriter writes the last row of a table twice, the second time empty (`<row r="19" …/>` after
    row 19): LibreOffice and openpyxl take it, Excel may call the file damaged. The empty repeat is dropped;
    it is the sheet's last row, right after the row it repeats, so the two are found from the end (a pattern
    searched over the tail's rows cost 18 ms a sheet)."""
    last = data.rfind(b'<row r="')
    end = data.find(b">", last)
    if last < 0 or end < 0 or data[end - 1:end] != b"/" or not data.endswith(b"</row>", 0, last):
        return data
    previous = data.rfind(b'<row r="', 0, last)
    number = _ROW_NUMBER.match(data, last)
    if previous < 0 or number is None or not data.startswith(number.group(), previous):
        return data
    return data[:last] + data[end + 1:]


# what may follow <rowBreaks> in a worksheet (CT_Worksheet's sequence); it follows <headerFooter>
_AFTER_ROW_BREAKS = re.compile(rb"<(?:colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing|"
                               rb"legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|"
                               rb"tableParts|extLst)[ />]|</worksheet>")
MAX_ROW_BREAKS = 1023  # Excel's limit: a sheet with more manual page breaks is refused


def with_row_breaks(sheet_xml: bytes, rows: Sequence[int]) -> bytes:
    """The sheet with a manual page break above each of `rows` (from 0) where the schema puts them, as
    XlsxWriter writes them; past Excel's 1023 the pages run on."""
    if not rows:
        return sheet_xml
    kept = sorted(set(rows))[:MAX_ROW_BREAKS]
    at = _AFTER_ROW_BREAKS.search(sheet_xml, max(sheet_xml.rfind(b"</sheetData>"), 0))
    if at is None:
        raise ValueError("the sheet has no end")
    breaks = b"".join(b'<brk id="%d" max="16383" man="1"/>' % row for row in kept)
    element = b'<rowBreaks count="%d" manualBreakCount="%d">%s</rowBreaks>' % (len(kept), len(kept), breaks)
    return sheet_xml[:at.start()] + element + sheet_xml[at.start():]


# what may follow <mergeCells> in a worksheet (CT_Worksheet's sequence)
_AFTER_MERGE_CELLS = re.compile(rb"<(?:phoneticPr|conditionalFormatting|dataValidations|hyperlinks|printOptions|"
                                rb"pageMargins|pageSetup|headerFooter|rowBreaks|colBreaks|drawing|tableParts|extLst)"
                                rb"[ />]|</worksheet>")
_EMPTY_ROW = re.compile(rb'<row r="(\d+)"[^>]*? s="(\d+)"[^>]*/>')
_MERGE_COUNT = re.compile(rb'<mergeCells count="(\d+)">')


def with_lines_under(sheet_xml: bytes, lines: Sequence[LineUnder]) -> bytes:
    """The sheet with each line's text in its row's first cell (as inline text, in the row's format) and its
    cells merged. The row must be there, empty: a missing one is a mistake of the caller (ValueError). The
    table's repeated last row (see without_repeated_row) comes before these rows and is taken out."""
    if lines:
        first = max(sheet_xml.rfind(b'<row r="%d" ' % (lines[0].row + 1)), 0)
        sheet_xml = without_repeated_row(sheet_xml[:first]) + sheet_xml[first:]
    for line in lines:
        number = b"%d" % (line.row + 1)
        row = _EMPTY_ROW.match(sheet_xml, max(sheet_xml.rfind(b'<row r="' + number + b'" '), 0))
        if row is None or row.group(1) != number:
            raise ValueError(f"row {line.row + 1} under the table not written empty")
        style = b' s="' + row.group(2) + b'"'
        text = escape(line.text).encode()
        space = b' xml:space="preserve"' if line.text != line.text.strip() else b""
        cells = [b'<c r="A' + number + b'"' + style + b' t="inlineStr"><is><t' + space + b">" + text + b"</t></is></c>",
                 *(b'<c r="' + cell_name(line.row, col).encode() + b'"' + style + b"/>" for col in range(1, line.last + 1))]
        sheet_xml = sheet_xml[:row.end() - 2] + b">" + b"".join(cells) + b"</row>" + sheet_xml[row.end():]
    return _with_merged_ranges(sheet_xml, [f"A{line.row + 1}:{cell_name(line.row, line.last)}" for line in lines])


def _with_merged_ranges(sheet_xml: bytes, ranges: Sequence[str]) -> bytes:
    if not ranges:
        return sheet_xml
    added = b"".join(b'<mergeCell ref="%s"/>' % r.encode() for r in ranges)
    data_end = max(sheet_xml.rfind(b"</sheetData>"), 0)
    count = _MERGE_COUNT.search(sheet_xml, data_end)
    if count is not None:
        end = sheet_xml.index(b"</mergeCells>", count.end())
        total = b'<mergeCells count="%d">' % (int(count.group(1)) + len(ranges))
        return sheet_xml[:count.start()] + total + sheet_xml[count.end():end] + added + sheet_xml[end:]
    at = _AFTER_MERGE_CELLS.search(sheet_xml, data_end)
    if at is None:
        raise ValueError("the sheet has no end")
    element = b'<mergeCells count="%d">%s</mergeCells>' % (len(ranges), added)
    return sheet_xml[:at.start()] + element + sheet_xml[at.start():]


def with_cells(sheet_xml: bytes, formulas: Formulas) -> bytes:
    """The sheet with each formula set in front of the cached value written in its cell. A cell the writer
    left empty (no cached value) is a mistake of the caller, not of the data: ValueError."""
    if not formulas:
        return sheet_xml
    wanted = {cell_name(*cell).encode(): text for cell, text in formulas.items()}
    done: set[bytes] = set()

    def replace(match: re.Match[bytes]) -> bytes:
        name, attributes, body = match.group(1), match.group(2), match.group(3)
        if name not in wanted:
            return match.group()
        done.add(name)
        return _formula_cell(name, attributes, body or b"", wanted[name])

    result = _CELL.sub(replace, sheet_xml)
    missing = sorted(n.decode() for n in set(wanted) - done)
    if missing:
        raise ValueError(f"cells not written: {', '.join(missing)}")
    return result


def _formula_cell(name: bytes, attributes: bytes, body: bytes, formula: str) -> bytes:
    style = _STYLE_ATTR.search(attributes)
    kind = _TYPE_ATTR.search(attributes)
    code = escape(formula.removeprefix("=")).encode()
    head = b'<c r="' + name + b'"' + (style.group() if style else b"")
    if kind is None or kind.group(1) in (b"n", b"b"):
        value = _VALUE.search(body)
        if value is None:
            raise ValueError(f"formula cell {name.decode()} has no cached value")
        marker = b' t="b"' if kind is not None and kind.group(1) == b"b" else b""
        return head + marker + b"><f>" + code + b"</f><v>" + value.group(1) + b"</v></c>"
    if kind.group(1) == b"inlineStr":
        text = b"".join(_TEXT.findall(body))  # already escaped by the writer
        return head + b' t="str"><f>' + code + b"</f><v>" + text + b"</v></c>"
    raise ValueError(f"formula cell {name.decode()} holds a cached value of type {kind.group(1).decode()}")


def cell_name(row: int, col: int) -> str:
    """`B3` for row 2, column 1 (both from 0)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"
