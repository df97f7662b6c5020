"""An .ods checked before calamine lays it out: OpenDocument repeats rows and cells by count
(`number-rows-repeated="1048570"`), so a 1 KB file can place a value a billion cells away, and calamine
allocates up to 100 million cells (about 6 GB) before it refuses. The content is streamed once through
expat; a sheet whose used cells span more than MAX_CELLS is refused with its farthest cell named.
"""

from __future__ import annotations

import zipfile
import zlib
from xml.etree.ElementTree import Element, ParseError, iterparse

from gridtool.errors import GridtoolError
from gridtool.table.sheetscan import MAX_CELLS, cell_name

_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE, _ROW = f"{_TABLE_NS}table", f"{_TABLE_NS}table-row"
_CELLS = {f"{_TABLE_NS}table-cell", f"{_TABLE_NS}covered-table-cell"}
_HINT = "请删除表格下方或右侧远处的内容（按 Ctrl+End 可跳到最后一个单元格），或把表格拆成几个文件。"


def _repeat(element: Element, attribute: str) -> int:
    try:
        return max(int(element.get(f"{_TABLE_NS}{attribute}", "1")), 1)
    except ValueError:
        return 1


def check_ods(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a sheet whose used cells span more than MAX_CELLS; empty repeated rows and cells cost nothing."""
    sheet, row, column, rows, columns, row_used = "", 0, 0, 0, 0, False
    try:
        with archive.open("content.xml") as stream:
            for event, element in iterparse(stream, ("start", "end")):
                if event == "start":
                    if element.tag == _TABLE:
                        sheet, row, rows, columns = element.get(f"{_TABLE_NS}name", ""), 0, 0, 0
                    elif element.tag == _ROW:
                        column, row_used = 0, False
                    continue
                if element.tag in _CELLS:
                    repeat = _repeat(element, "number-columns-repeated")
                    if element.get(f"{_OFFICE_NS}value-type") or len(element) or (element.text or "").strip():
                        columns, row_used = max(columns, column + repeat), True
                    column += repeat
                    element.clear()
                elif element.tag == _ROW:
                    repeat = _repeat(element, "number-rows-repeated")
                    rows = row + repeat if row_used else rows
                    row += repeat
                    element.clear()
                    if rows * columns > MAX_CELLS:
                        raise GridtoolError(f"{name}：「{sheet}」的内容一直延伸到 {cell_name(columns, rows)}"
                                            f"（{rows} 行 × {columns} 列），超过 gridtool 一张表最多 "
                                            f"{MAX_CELLS // 10000} 万个单元格的上限。", _HINT)
    except (ParseError, KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise GridtoolError(f"{name}：无法读取，.ods 文件的内容（content.xml）已损坏或不完整。",
                            "请用 LibreOffice/WPS 打开后另存为 .xlsx 再试。") from exc
