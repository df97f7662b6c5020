"""An xlsx package checked from its zip directory before calamine inflates it: sizes, missing parts, file
names in GBK, sheets that claim to be huge. What calamine gets is the file itself or, when a part had to be
renamed or a far cell dropped, a corrected copy in memory.

Parts up to SCAN_LIMIT are read once by Python (which checks each part's CRC and declared size); larger
parts, which only a big export has, are checked by their declared size and compression ratio and read by
calamine alone, so the 1M-row path is not inflated twice.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from gridtool.errors import GridtoolError
from gridtool.table.notes import ReadNote
from gridtool.table.sheetscan import MAX_CELLS, MAX_COLUMN, SheetScan, cell_name, column_number, scan_sheet, xml_blocks

SCAN_LIMIT = 16 << 20  # parts up to this size are read (and so verified) before calamine reads them
MAX_PART = 1 << 30  # one part larger than 1 GiB uncompressed is refused
BOMB_RATIO = 100  # a part above BOMB_FLOOR compressed more than 100:1 is a zip bomb, not an export
BOMB_FLOOR = 64 << 20
REBUILD_LIMIT = 256 << 20  # a corrected copy is made only of workbooks up to this size uncompressed
RETRY = "请用 Excel/WPS 打开后“另存为” .xlsx 再试；若打不开，请重新下载或导出。"
_DIMENSION = re.compile(rb'<dimension\b[^<>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_CELL_ELEMENT = re.compile(rb'<c\b[^<>]*?\br="([A-Z]+)(\d+)"[^<>]*?(?:/>|>.*?</c>)', re.DOTALL)


@dataclass
class Package:
    """What calamine should read (a path or bytes), which part holds each sheet, and what was noticed."""

    source: str | bytes
    name: str = ""
    xlsx: bool = False  # ods, xlsb and xls go to calamine unchecked: their grids are bounded differently
    sheet_parts: dict[str, str] = field(default_factory=dict)
    notes: list[ReadNote] = field(default_factory=list)

    def open(self, encoding: str | None = None) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self.source) if isinstance(self.source, bytes) else self.source,
                               metadata_encoding=encoding)


def broken(name: str, what: str, hint: str = RETRY) -> GridtoolError:
    return GridtoolError(f"{name}：{what}", hint)


def zip_errors(name: str) -> contextlib.AbstractContextManager[None]:
    """A damaged zip in Chinese: a wrong CRC or a forged size (found by Python's zipfile) is named as such."""
    @contextlib.contextmanager
    def translate() -> Iterator[None]:
        try:
            yield
        except (zipfile.BadZipFile, zlib.error) as exc:
            what = "内部部件的校验码（CRC）不符" if "CRC" in str(exc) else "内部部件不完整、数据损坏或大小与记录不符"
            raise broken(name, f"无法读取，文件已损坏：{what}，文件在下载、传输或保存时坏了。") from exc
        except NotImplementedError as exc:
            raise broken(name, "无法读取：内部部件使用了不支持的压缩方式或加密方式。") from exc
        except (zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
            what = "文件在中途结束，不完整" if isinstance(exc, EOFError) else "内部结构无法解析"
            raise broken(name, f"无法读取，文件已损坏：{what}。") from exc
    return translate()


def prepare_xlsx(source: str | bytes, name: str) -> Package:
    """Check an xlsx/xlsm package (a path, or the file's bytes) from its directory and small parts."""
    package = Package(source, name, xlsx=True)
    with zip_errors(name):
        with package.open() as probe:
            gbk = _gbk_names(probe)
        with package.open("gbk" if gbk else None) as archive:
            _check_sizes(archive, name)
            if "xl/workbook.xml" not in archive.NameToInfo:
                raise broken(name, "工作簿缺少 xl/workbook.xml（工作表目录），无法知道有哪些工作表。")
            _verify_small_parts(archive)
            package.sheet_parts = sheet_parts(archive)
            if gbk:
                package.source = _rebuild(archive, name)
                package.notes.append(ReadNote("gbk_part_names", "文件内部的部件名是 GBK 编码（某些压缩工具所为），已按 GBK 读取。"))
    return package


def _gbk_names(archive: zipfile.ZipFile) -> bool:
    """True when part names are not marked UTF-8 and are not ASCII: a zip tool wrote them in GBK."""
    return any(not info.flag_bits & 0x800 and not info.filename.isascii() for info in archive.infolist())


def _check_sizes(archive: zipfile.ZipFile, name: str) -> None:
    for info in archive.infolist():
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART:
            raise broken(name, f"内部部件 {info.filename} 声称有 {info.file_size >> 20} MB，超过 gridtool 的上限 "
                               f"{MAX_PART >> 20} MB。", "请把表格拆成几个文件，或另存为 .csv 再试。")
        if info.file_size > BOMB_FLOOR and ratio > BOMB_RATIO:
            raise broken(name, f"内部部件 {info.filename} 压缩了 {ratio:.0f} 倍（{info.file_size >> 20} MB），"
                               "这不是正常的表格，而像“压缩炸弹”，已拒绝读取。", "请向发来文件的人确认；正常导出的表格不会这样。")


def _verify_small_parts(archive: zipfile.ZipFile) -> None:
    """Read every small part other than the sheets (read by the scan): a wrong CRC or size raises here."""
    for info in archive.infolist():
        if info.file_size <= SCAN_LIMIT and not info.filename.startswith("xl/worksheets/") and not info.is_dir():
            for _ in xml_blocks(archive, info.filename):
                pass


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part name, from workbook.xml and its relationships (regular expressions, no parse)."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    try:
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        rid = re.search(r'\bId="([^"]*)"', rel.group(0))
        target = re.search(r'\bTarget="([^"]*)"', rel.group(0))
        if rid and target:
            value = target.group(1).lstrip("/")
            targets[rid.group(1)] = posixpath.normpath(value if value.startswith("xl/") else "xl/" + value)
    parts = {}
    for match in re.finditer(r"<sheet\b[^>]*>", workbook):
        sheet = re.search(r'\bname="([^"]*)"', match.group(0))
        rid = re.search(r'\br:id="([^"]*)"', match.group(0))
        if sheet and rid and rid.group(1) in targets:
            parts[xml_unescape(sheet.group(1))] = targets[rid.group(1)]
    return parts


def xml_unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def check_sheet(package: Package, sheet: str) -> tuple[SheetScan | None, bytes | None, list[ReadNote]]:
    """Scan one sheet's part before calamine lays it out: its scan (None for a big part whose <dimension>
    fits), a corrected package when far cells must be dropped, and notes. Too large a sheet raises."""
    if not package.xlsx:
        return None, None, []
    with zip_errors(package.name), package.open() as archive:
        part = package.sheet_parts.get(sheet, "")
        if part not in archive.NameToInfo:  # calamine may find it by a path this reading did not: check them all
            for other in _unmapped_parts(archive, package):
                _refuse_if_huge(archive, other, sheet, package.name)
            return None, None, []
        if archive.getinfo(part).file_size > SCAN_LIMIT and _dimension_fits(archive, part):
            return None, None, []
        scan = _refuse_if_huge(archive, part, sheet, package.name)
        notes = []
        if scan.merges_dropped:
            notes.append(ReadNote("too_many_merges", f"「{sheet}」合并单元格超过 {len(scan.merges)} 个，"
                                                     f"其余 {scan.merges_dropped} 个未处理。"))
        if not scan.far:
            return scan, None, notes
        far = "、".join(cell_name(c, r) for c, r in scan.far[:3]) + (f" 等 {len(scan.far)} 个单元格" if len(scan.far) > 3 else "")
        notes.append(ReadNote("far_cells", f"「{sheet}」的 {far} 远在表格之外（超过第 {MAX_COLUMN} 列或 Excel 的最后一行），"
                                           "没有读取；如果那里有要用的内容，请把它移到表格里。"))
        return scan, _rebuild(archive, package.name, {part: set(scan.far)}), notes


def _unmapped_parts(archive: zipfile.ZipFile, package: Package) -> list[str]:
    mapped = set(package.sheet_parts.values())
    return [n for n in archive.NameToInfo if n.lower().endswith(".xml") and "sheet" in n.lower() and n not in mapped]


def _refuse_if_huge(archive: zipfile.ZipFile, part: str, sheet: str, name: str) -> SheetScan:
    scan = scan_sheet(archive, part)
    if scan.far and not part.startswith("xl/worksheets/"):
        scan.columns, scan.rows = max(c for c, _ in scan.far), max(r for _, r in scan.far)
    if scan.cells > MAX_CELLS:
        raise broken(name, f"「{sheet}」的内容一直延伸到 {cell_name(scan.columns, scan.rows)}"
                           f"（{scan.rows} 行 × {scan.columns} 列），超过 gridtool 一张表最多 {MAX_CELLS // 10000} 万个单元格的上限。",
                     "请删除表格下方或右侧远处的内容（按 Ctrl+End 可跳到最后一个单元格），或把表格拆成几个文件。")
    return scan


def _dimension_fits(archive: zipfile.ZipFile, part: str) -> bool:
    """A big part is trusted when the <dimension> near its start says it fits (real writers always write it)."""
    with archive.open(part) as stream:
        head = stream.read(1 << 16)
    found = _DIMENSION.search(head)
    if not found:
        return False
    first, top, last, bottom = found.groups()
    if not last:
        return True
    columns = column_number(last) - column_number(first) + 1
    return columns * (int(bottom) - int(top) + 1) <= MAX_CELLS


def _rebuild(archive: zipfile.ZipFile, name: str, drop: dict[str, set[tuple[int, int]]] | None = None) -> bytes:
    """A copy of the package with UTF-8 part names and the given far cells removed, for calamine to read."""
    if sum(info.file_size for info in archive.infolist()) > REBUILD_LIMIT:
        raise broken(name, "这个工作簿需要先修正（内部名称编码或远处的单元格），但它太大，无法在内存中修正。",
                     "请用 Excel/WPS 打开后“另存为” .xlsx 再试。")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if drop and info.filename in drop:
                data = _drop_cells(data, drop[info.filename])
            copy.writestr(info.filename, data)
    return buffer.getvalue()


def _drop_cells(xml: bytes, far: set[tuple[int, int]]) -> bytes:
    def keep(match: re.Match[bytes]) -> bytes:
        return b"" if (column_number(match.group(1)), int(match.group(2))) in far else match.group(0)

    return _CELL_ELEMENT.sub(keep, xml)
