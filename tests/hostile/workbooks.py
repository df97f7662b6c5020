"""Hand-written xlsx packages: the XML goes into the zip as given, so a test can make what openpyxl cannot
(a cell in XFD1048576, a lying <dimension>, a merged range A2:ZZZZZZ3, a forged CRC or size, GBK part names)."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = ["姓名", "房号", "体温"]
RESIDENTS = [["张三", "1-101", "36.5"], ["李四", "1-102", "38.2"]]


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def rows_xml(rows: Sequence[Sequence[str]], first: int = 1) -> str:
    letters = "ABCDEFGHIJ"
    return "".join(f'<row r="{n}">' + "".join(cell(f"{letters[i]}{n}", v) for i, v in enumerate(row)) + "</row>"
                   for n, row in enumerate(rows, first))


TABLE = rows_xml([HEADER, *RESIDENTS])


def sheet_xml(body: str = TABLE, dimension: str = "", merges: Sequence[str] = ()) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    merged = (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
              + "</mergeCells>") if merges else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{dim}<sheetData>{body}</sheetData>{merged}</worksheet>'


def parts(sheet: str, part: str = "worksheets/sheet1.xml", title: str = "打卡") -> dict[str, str | bytes]:
    """The parts of a one-sheet workbook."""
    return {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        f'PartName="/xl/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
        f'Type="{DOC_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{DOC_NS}"><sheets>'
        f'<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS_NS}">'
        f'<Relationship Id="rId1" Type="{DOC_NS}/worksheet" Target="{part}"/></Relationships>',
        f"xl/{part}": sheet,
    }


def write_package(path: Path, members: Mapping[str, str | bytes], level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def write_sheet(path: Path, sheet: str) -> Path:
    return write_package(path, parts(sheet))


def forge_member(path: Path, member: str, *, crc: int | None = None, size: int | None = None) -> Path:
    """Rewrite a member's CRC or declared uncompressed size in both zip headers (the data stays as it is)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    local, central = info.header_offset, _central_offset(bytes(data), member)
    for offset, crc_at, size_at in ((local, 14, 22), (central, 16, 24)):
        if crc is not None:
            data[offset + crc_at:offset + crc_at + 4] = struct.pack("<I", crc)
        if size is not None:
            data[offset + size_at:offset + size_at + 4] = struct.pack("<I", size)
    path.write_bytes(bytes(data))
    return path


def _central_offset(data: bytes, member: str) -> int:
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + length] == name:
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise KeyError(member)


def gbk_named(path: Path) -> Path:
    """A valid workbook whose sheet part is named 工作表1.xml in GBK bytes, without the zip's UTF-8 flag."""
    name = "xl/worksheets/工作表1.xml"
    placeholder = "xl/worksheets/" + "Q" * len("工作表1".encode("gbk")) + ".xml"
    members = parts(sheet_xml(), "worksheets/工作表1.xml")
    members[placeholder] = members.pop(name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    path.write_bytes(buffer.getvalue().replace(placeholder.encode(), name.encode("gbk")))
    return path


def write_ods(path: Path, repeated_rows: int, repeated_columns: int) -> Path:
    """An .ods with a header, then empty rows and cells repeated by count, then one value beyond them."""
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    value = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
               f'xmlns:table="{table}" xmlns:text="{text}"><office:body><office:spreadsheet><table:table table:name="打卡">'
               "<table:table-row>" + "".join(value.format(h) for h in HEADER) + "</table:table-row>"
               "<table:table-row>" + "".join(value.format(v) for v in RESIDENTS[0]) + "</table:table-row>"
               f'<table:table-row table:number-rows-repeated="{repeated_rows}"><table:table-cell '
               f'table:number-columns-repeated="{repeated_columns}"/></table:table-row><table:table-row><table:table-cell '
               f'table:number-columns-repeated="{repeated_columns}"/>{value.format("x")}</table:table-row>'
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
                'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    return write_package(path, {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": content,
                                "META-INF/manifest.xml": manifest})
