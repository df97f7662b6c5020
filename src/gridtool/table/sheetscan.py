"""One pass over a worksheet's XML before calamine lays it out: where its cells really are, its merged ranges.

calamine makes a dense grid from the first to the last used cell, so one stray value in XFD1048576 asks
for 17 billion cells and aborts the process (tafia/calamine#693, fastexcel#487). This scan finds the used
extent with a few regular expressions over the raw XML (no parse): cheap checks first, an exact pass over
the cell references only when the cheap bound says the sheet might be too large.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from gridtool.errors import GridtoolError

MAX_CELLS = 30_000_000  # rows x columns one sheet may span: about 1 GB inside calamine
MAX_COLUMN = 1024  # cells right of column AMJ are stray values, not part of a table
MAX_ROW = 1_048_576  # Excel's last row
MAX_MERGES = 200_000
MAX_TAG = 1 << 20  # one XML tag longer than this is not a spreadsheet
CHUNK = 1 << 22

# The cheap pass looks only at cells in column AA or beyond, or in row 1,000,000 or beyond (none in a
# narrow sheet), and at cells that do not start `<c r="`; literal prefixes keep it fast.
_UNUSUAL = re.compile(rb'<c r="([A-Z]{2,}|[A-Z](?=\d{7}))(\d+)"')
_UNPOSITIONED = re.compile(rb'<c(?! r=")[\s>/]')
_ROW_TAG = re.compile(rb'<row\b[^<>]*?\br="(\d+)"')
_CELL = re.compile(rb'<c\b[^<>]*?\br=["\']([A-Z]+)(\d+)["\']')
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class Merge(NamedTuple):
    first_column: int  # 1-based column numbers, Excel row numbers
    first_row: int
    last_column: int
    last_row: int


@dataclass
class SheetScan:
    columns: int = 0  # the highest column a cell uses (1-based)
    rows: int = 0  # the highest row a cell may use
    merges: set[Merge] = field(default_factory=set)
    far: list[tuple[int, int]] = field(default_factory=list)  # (column, row) of cells beyond the limits
    merges_dropped: int = 0

    @property
    def cells(self) -> int:
        return self.columns * self.rows


@lru_cache(maxsize=4096)
def column_number(letters: str | bytes) -> int:
    """A -> 1, Z -> 26, AA -> 27 (letters of any length; no upper bound)."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    value = 0
    for ch in text:
        value = value * 26 + ord(ch) - 64
    return value


def cell_name(column: int, row: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def xml_blocks(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The member's bytes in blocks that each end just before a `<`, so no tag is split between blocks.

    Python's zipfile stops at the declared size and checks the CRC at the end: a forged size or a
    damaged part raises BadZipFile here instead of inflating without bound."""
    pending = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            block = pending + chunk
            cut = block.rfind(b"<")
            cut = cut if cut > 0 else len(block)
            if len(block) - cut > MAX_TAG:
                raise GridtoolError("表格内部有一个异常长的 XML 标记。", "文件可能已损坏或被改动；请用 Excel/WPS 打开后另存为 .xlsx 再试。")
            yield block[:cut]
            pending = block[cut:]
    if pending:
        yield pending


def scan_sheet(archive: zipfile.ZipFile, member: str) -> SheetScan:
    """The used extent and merged ranges of one sheet; exact (a second pass) only when the cheap bound is too big."""
    scan = SheetScan()
    columns, rows, unpositioned = 0, 0, False
    for block in xml_blocks(archive, member):
        for letters, digits in _UNUSUAL.findall(block):
            columns, rows = max(columns, column_number(letters)), max(rows, int(digits))
        unpositioned = unpositioned or _UNPOSITIONED.search(block) is not None
        if b"<mergeCell" in block:
            _add_merges(scan, block)
    # single letters and six digits: at most Z999999; a cell may claim any such place whatever its <row> says
    scan.columns, scan.rows = max(columns, 26), max(rows, 999_999)
    if not unpositioned and scan.cells <= MAX_CELLS:
        return scan
    _exact_extent(scan, archive, member, unpositioned)
    return scan


def _add_merges(scan: SheetScan, block: bytes) -> None:
    found = _MERGE.findall(block)
    room = max(MAX_MERGES - len(scan.merges), 0)
    scan.merges_dropped += max(len(found) - room, 0)
    scan.merges.update(Merge(column_number(first), int(top), column_number(last or first), int(bottom or top))
                       for first, top, last, bottom in found[:room])


def _exact_extent(scan: SheetScan, archive: zipfile.ZipFile, member: str, unpositioned: bool) -> None:
    """Every cell reference once: the extent of the cells within the limits, and the cells beyond them.

    Cells without a reference are placed by calamine by counting: a row's worth of them may widen the
    sheet, and a <row> without a number counts as the next row."""
    numbers: dict[bytes, int] = {}
    columns = rows = widest = row_tags = 0
    far: set[tuple[int, int]] = set()
    for block in xml_blocks(archive, member):
        for letters, digits in _CELL.findall(block):
            column = numbers.get(letters) or numbers.setdefault(letters, column_number(letters))
            row = int(digits)
            if column > MAX_COLUMN or row > MAX_ROW:
                far.add((column, row))
            else:
                columns, rows = max(columns, column), max(rows, row)
        if unpositioned:  # a row split between two blocks counts twice: twice the widest piece bounds it
            widest = max(widest, *(piece.count(b"<c") for piece in block.split(b"<row")))
            row_tags += block.count(b"<row")
            rows = max([rows, *map(int, _ROW_TAG.findall(block))])
    scan.columns, scan.rows = max(columns, 2 * widest), max(rows, row_tags)
    scan.far = sorted(far, key=lambda cell: (cell[1], cell[0]))
