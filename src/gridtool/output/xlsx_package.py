"""What the rust writer cannot write, put into its package afterwards in one pass over the zip.

Each sheet is mended here: its formulas, lines under its table and page breaks set (`sheet_xml`), the
column default styles and the writer's repeated last row taken out, and merged formats made.

It also gives a cell whose row and column both have a format (an urgent row's centred 序号) the two
merged, as Excel's own model has one format a cell: the writer lets the column's format win, so the urgent
row's red would be lost there. The writer only registers a format that a row, a column or a header uses, so
the merged formats are carried by rows under the table, their indices read there and the rows taken out.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from gridtool.output.sheet_xml import (
    Formulas,
    LineUnder,
    with_cells,
    with_lines_under,
    with_row_breaks,
    without_repeated_row,
)


@dataclass(frozen=True)
class Merge:
    """In the rows formatted as carrier row `row` is, the cells formatted as carrier row `column` is take
    the format of carrier row `both`. Carrier rows are rows of the sheet (from 0) under its table that
    hold nothing but a format; they are taken out of the package."""

    row: int
    column: int
    both: int


@dataclass(frozen=True)
class SheetFixes:
    formulas: Formulas = field(default_factory=dict)
    merges: Sequence[Merge] = ()
    row_breaks: Sequence[int] = ()  # the rows (from 0) a printed page starts at (the writer has no page breaks)
    lines_under: Sequence[LineUnder] = ()
    # a grid of values with no format (the hidden manifest): the writer leaves no column style and no repeated
    # row in it, so its compressed part is moved over as it is
    as_written: bool = False

    def __post_init__(self) -> None:
        if self.as_written and (self.formulas or self.merges or self.row_breaks or self.lines_under):
            raise ValueError("a sheet passed over as written has nothing to set")

_COLS = re.compile(rb"<cols>.*?</cols>", re.DOTALL)
_STYLE = re.compile(rb' style="\d+"')


# zlib's level 3 for the big sheet parts: on the overview of everyone-200k (153 MB of sheet XML) it takes
# 0.6 s where the default level 6 took 1.3 s, for a file 15 % larger (level 1: 0.5 s, 35 % larger). A ZipInfo
# passed to writestr keeps its own level (None: zlib's default), so the level is given per part; a streamed
# sheet takes the ZipFile's.
FAST_LEVEL = 3
BIG_PART = 1 << 16


def finish_package(package: bytes, fixes: Sequence[SheetFixes] = ()) -> bytes:
    """The package with its column default styles taken out of every sheet and `fixes[i]` made to sheet i
    (in the order the sheets were given to the writer)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    by_file = {_sheet_file(i): fix for i, fix in enumerate(fixes)
               if fix.formulas or fix.merges or fix.row_breaks or fix.lines_under}
    as_written = {_sheet_file(i) for i, fix in enumerate(fixes) if fix.as_written}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=FAST_LEVEL) as target:
        for entry in source.infolist():
            if entry.filename in as_written or not entry.filename.startswith("xl/worksheets/sheet"):
                _moved_over(package, entry, target)
                continue
            fix = by_file.get(entry.filename)
            if entry.filename.startswith("xl/worksheets/sheet") and fix is None and entry.file_size > STREAMED:
                _stream_sheet(source, entry, target)
                continue
            data = _without_column_styles(source.read(entry))
            if fix is not None:  # the carrier rows out first: the repeated row is then the sheet's last
                data = with_row_breaks(with_cells(merged_cells(data, fix.merges), fix.formulas), fix.row_breaks)
            data = without_repeated_row(data)
            if fix is not None:
                data = with_lines_under(data, fix.lines_under)
            target.writestr(entry, data, compresslevel=FAST_LEVEL if len(data) > BIG_PART else None)
    return out.getvalue()


def _moved_over(package: bytes, entry: zipfile.ZipInfo, target: zipfile.ZipFile) -> None:
    """A part left as the writer made it, moved into `target` as its compressed bytes: decompressing and
    compressing the hidden manifests again cost 0.4 CPU-s of 1.8 over district-1m's 51 books. zipfile has no call
    for it, so the entry is written as ZipFile.writestr would have written it (local header, then data),
    without a data descriptor: the local header carries the part's CRC and sizes."""
    name_size, extra_size = struct.unpack_from("<HH", package, entry.header_offset + _NAME_SIZES)
    start = entry.header_offset + _LOCAL_HEADER + name_size + extra_size
    data = package[start:start + entry.compress_size]
    if len(data) != entry.compress_size or package[entry.header_offset:entry.header_offset + 4] != b"PK\x03\x04":
        raise ValueError(f"the writer's part {entry.filename} is not where its directory says")
    info = zipfile.ZipInfo(entry.filename, entry.date_time)
    info.compress_type, info.CRC = entry.compress_type, entry.CRC
    info.compress_size, info.file_size = entry.compress_size, entry.file_size
    info.external_attr = entry.external_attr
    info.header_offset = target.fp.tell()  # type: ignore[union-attr]
    target.fp.write(info.FileHeader(zip64=False))  # type: ignore[union-attr]
    target.fp.write(data)  # type: ignore[union-attr]
    target.filelist.append(info)
    target.NameToInfo[info.filename] = info
    target.start_dir = target.fp.tell()  # type: ignore[union-attr]


_LOCAL_HEADER = 30  # a zip local file header's fixed part; the name's and extra field's sizes at 26
_NAME_SIZES = 26


STREAMED = 1 << 24  # a sheet larger than this (16 MB of XML, some 20,000 rows) is passed through in pieces
PIECE = 1 << 22


def _stream_sheet(source: zipfile.ZipFile, entry: zipfile.ZipInfo, target: zipfile.ZipFile) -> None:
    """A long sheet with no cell to set passed through in pieces: its head (where the column styles are)
    and its tail (where the repeated row is) mended as a whole sheet would be, the rest as it comes, so a
    list of a million residents (770 MB of XML) is never held, nor copied, whole."""
    big = entry.file_size * 1.05 > zipfile.ZIP64_LIMIT
    with source.open(entry) as stream, target.open(entry.filename, "w", force_zip64=big) as sink:
        held = _without_column_styles(stream.read(HEAD))
        while piece := stream.read(PIECE):
            held += piece
            if len(held) > 2 * TAIL:
                sink.write(held[:-TAIL])
                held = held[-TAIL:]
        sink.write(without_repeated_row(held))


def _sheet_file(index: int) -> str:
    return f"xl/worksheets/sheet{index + 1}.xml"


_CARRIER = re.compile(rb'<row r="(\d+)" s="(\d+)" customFormat="1"/>')
_DIMENSION = re.compile(rb'(<dimension ref="[A-Z]+[0-9]+:[A-Z]+)([0-9]+)"')


def merged_cells(data: bytes, merges: Sequence[Merge]) -> bytes:
    """The sheet with each merge made (see Merge): the carrier rows read and taken out, the sheet's
    dimension ending at its table again, and in each row of a merge's row format every cell of its column
    format given the merged one. Only those rows are rewritten; a plain row is passed over by the regex."""
    if not merges:
        return data
    carriers = {row + 1 for merge in merges for row in (merge.row, merge.column, merge.both)}
    start = data.rfind(b'<row r="%d" ' % min(carriers))
    found: dict[int, bytes] = {}
    kept, at = [], start
    for match in _CARRIER.finditer(data, max(start, 0), data.rfind(b"</sheetData>")):
        if start >= 0 and int(match.group(1)) in carriers:
            found[int(match.group(1))] = match.group(2)
            kept.append(data[at:match.start()])
            at = match.end()
    if found.keys() != carriers:
        raise ValueError(f"format carrier rows not written: {sorted(carriers - found.keys())}")
    data = data[:start] + b"".join(kept) + data[at:]
    dimension = _DIMENSION.search(data, 0, HEAD)
    if dimension is not None:  # the table's last row, as without the carriers
        data = data[:dimension.start(2)] + b"%d" % (min(carriers) - 1) + data[dimension.end(2):]
    swaps: dict[bytes, dict[bytes, bytes]] = {}
    for merge in merges:
        swaps.setdefault(found[merge.row + 1], {})[found[merge.column + 1]] = found[merge.both + 1]
    return _restyled(data, swaps)


_ROW_STYLE = re.compile(rb' s="(\d+)"')


def _restyled(data: bytes, swaps: Mapping[bytes, Mapping[bytes, bytes]]) -> bytes:
    """Each row formatted as a key of `swaps`, its cells' formats swapped as that key's value says. The sheet
    is cut at its rows and only those rows are searched (a pattern over the whole sheet for them took 60 %
    longer on a worker book)."""
    cells = {row: re.compile(rb'(<c r="[A-Z]+[0-9]+" s=")(%s)"' % b"|".join(swap)) for row, swap in swaps.items()}
    pieces = data.split(b"<row ")
    for index in range(1, len(pieces)):
        piece = pieces[index]
        end = piece.find(b">")
        style = _ROW_STYLE.search(piece, 0, end)
        if style is None or style.group(1) not in swaps or piece[end - 1:end] == b"/":
            continue  # a plain row, or an empty one
        pieces[index] = cells[style.group(1)].sub(partial(_swapped, swaps[style.group(1)]), piece)
    return b"<row ".join(pieces)


def _swapped(to: Mapping[bytes, bytes], cell: re.Match[bytes]) -> bytes:
    return cell.group(1) + to[cell.group(2)] + b'"'


def _without_column_styles(data: bytes) -> bytes:
    """rust_xlsxwriter gives a column's format to the whole column as well as to its cells, so an input
    column would show yellow, and a centred one bordered, down to row 1,048,576 on screen; every cell of
    the table carries its format itself, so the column default styles are taken out."""
    match = _COLS.search(data, 0, HEAD)
    if not match:
        return data
    return data[:match.start()] + _STYLE.sub(b"", match.group()) + data[match.end():]


HEAD = 65536  # the sheet's start, where its <cols> are
TAIL = 1 << 20  # the sheet's end, where the writer's repeated row is
