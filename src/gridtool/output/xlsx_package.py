"""What the rust writer cannot write, put into its package afterwards in one pass over the zip.

rust_xlsxwriter (through rustpy-xlsxwriter) writes whole tables but cannot store a formula together with
its computed value. So a formula cell is written first as its cached value, a plain number or text, and
here the formula is set in front of that value: `<c r="B3" s="4"><f>SUM(B1:B2)</f><v>7</v></c>`, text
results marked t="str". A viewer that does not recalculate (WeChat's phone preview) shows the value; the
workbook asks Excel and LibreOffice to recalculate on opening (rust_xlsxwriter writes fullCalcOnLoad).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

Formulas = Mapping[tuple[int, int], str]  # (row, column), both from 0, -> the formula, "=" first or not

_COLS = re.compile(rb"<cols>.*?</cols>", re.DOTALL)
_STYLE = re.compile(rb' style="\d+"')
_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_STYLE_ATTR = re.compile(rb' s="\d+"')
_TYPE_ATTR = re.compile(rb' t="([a-zA-Z]+)"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.DOTALL)
_TEXT = re.compile(rb"<t(?: [^>]*)?>(.*?)</t>", re.DOTALL)


def finish_package(package: bytes, formulas: Sequence[Formulas] = ()) -> bytes:
    """The package with its column default styles taken out of every sheet and `formulas[i]` set over the
    cached values of sheet i (in the order the sheets were given to the writer)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    by_file = {f"xl/worksheets/sheet{i + 1}.xml": cells for i, cells in enumerate(formulas) if cells}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename.startswith("xl/worksheets/sheet"):
                data = _without_column_styles(data)
                if entry.filename in by_file:
                    data = with_formulas(data, by_file[entry.filename])
            target.writestr(entry, data)
    return out.getvalue()


def _without_column_styles(data: bytes) -> bytes:
    """rust_xlsxwriter gives a column's format to the whole column as well as to its cells, so an input
    column would show yellow, and a centred one bordered, down to row 1,048,576 on screen; every cell of
    the table carries its format itself, so the column default styles are taken out."""
    head = data[:65536]
    match = _COLS.search(head)
    if not match:
        return data
    return head[:match.start()] + _STYLE.sub(b"", match.group()) + head[match.end():] + data[65536:]


def with_formulas(sheet_xml: bytes, formulas: Formulas) -> bytes:
    """The sheet with each formula set in front of the cached value written in its cell. A formula cell
    the writer left empty (no cached value) is a mistake of the caller, not of the data: ValueError."""
    wanted = {cell_name(row, col).encode(): text for (row, col), text in formulas.items()}
    done: set[bytes] = set()

    def replace(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name not in wanted:
            return match.group()
        done.add(name)
        return _formula_cell(name, match.group(2), match.group(3) or b"", wanted[name])

    result = _CELL.sub(replace, sheet_xml)
    missing = sorted(n.decode() for n in set(wanted) - done)
    if missing:
        raise ValueError(f"formula cells without a cached value: {', '.join(missing)}")
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
