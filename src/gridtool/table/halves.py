"""One big sheet as two workbooks of half its rows each, so calamine can lay them out on two cores.

calamine reads one sheet in one thread: a street office's 1M-resident day (380 MB of sheet XML) takes 4.6 s
of one core while the other has little to do. Here the sheet's XML is inflated once, cut between two rows
near its middle, and each half is put with the workbook's other parts into a package of its own, stored
uncompressed; two readers then lay out the halves at once.

The cut is made only where the halves join up exactly: calamine starts a grid at its first row holding a
value and ends it at its last, so the row before the cut and the row after it must both hold one, and be
numbered one after the other. Where no such place is found near the middle, or the XML is not plainly
written (prefixed tags, no row numbers), there are no halves and the sheet is read in one piece.
"""

from __future__ import annotations

import os
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

SPLIT_BYTES = 48 << 20  # sheet XML this big (some 120,000 rows of ten columns) is read in halves
SPLIT_MOST = 512 << 20  # and no bigger: the halves are held in memory, uncompressed
# where the halves go to calamine as bytes, it copies them: 380 MB of XML would cost 0.75 GB more for a while
SPLIT_MOST_COPIED = 192 << 20
_BLOCK = 1 << 22
_TRIES = 2000  # rows looked at after the middle for a place to cut
_ROW = re.compile(rb'<row\b[^<>]*?\br=["\'](\d+)["\']')
_VALUE = re.compile(rb"<v>[^<]|<t(?:\s[^<>]*)?>[^<]")  # a cell value or a text with something in it
_DIMENSION = re.compile(rb"<dimension\b[^<>]*/>")
_OPEN_DATA = b"<sheetData>"
# a half calamine opens by a path, without a copy of its bytes (Linux); elsewhere the bytes, which calamine copies
IN_MEMORY_FILES = sys.platform.startswith("linux") and hasattr(os, "memfd_create")
_CLOSE = b"</sheetData></worksheet>"


@dataclass
class Half:
    """One half's package: a path calamine opens (an in-memory file, on Linux) or the bytes themselves."""

    source: str | bytes
    descriptor: int | None = None

    def close(self) -> None:
        """Once its sheet is laid out."""
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None
        self.source = b""


def halves(archive: zipfile.ZipFile, part: str) -> Iterator[Half]:
    """The first half's package as soon as it is made, then the second; nothing when the sheet is not cut.

    Python's zipfile inflates the part (checking its CRC and declared size), in blocks; the first half
    is handed over while the second is still being inflated."""
    size = archive.getinfo(part).file_size
    if not SPLIT_BYTES <= size <= _most():
        return
    others = [(info.filename, [archive.read(info)]) for info in archive.infolist()
              if info.filename != part and not info.is_dir()]
    with archive.open(part) as stream:
        blocks = [stream.read(_BLOCK)]
        head, start = _head(blocks[0])
        if head is None:
            return
        blocks[0] = blocks[0][start:]
        first = _first_half(blocks, stream, size * 55 // 100)
        if first is None:
            return
        half = _package([*others, (part, [head, *first, _CLOSE])])
        del first  # held by the in-memory file (or the package's bytes) alone while it is read
        yield half
        rest = [blocks.pop()]
        while chunk := stream.read(_BLOCK):
            rest.append(chunk)
    half = _package([*others, (part, [head, *rest])])
    del rest, others
    yield half


def _head(block: bytes) -> tuple[bytes | None, int]:
    """The sheet's XML up to its first row, without its <dimension> (the halves are smaller), and where the
    rows start; None where the sheet is not written plainly."""
    opened = block.find(_OPEN_DATA)
    if opened < 0:
        return None, 0
    start = opened + len(_OPEN_DATA)
    return _DIMENSION.sub(b"", block[:start]), start


def _first_half(blocks: list[bytes], stream: Any, middle: int) -> list[bytes] | None:
    """Blocks up to a cut at about `middle` bytes; `blocks` is left holding what follows the cut."""
    taken: list[bytes] = []
    size, block = 0, blocks.pop()
    while True:
        if size + len(block) > middle:
            cut = _cut(block, middle - size)
            if cut is not None:
                blocks.append(block[cut:])
                return [*taken, block[:cut]]
            following = stream.read(_BLOCK) if len(block) < 4 * _BLOCK else b""
            if not following:  # far past the middle and no place to cut
                return None
            block += following  # a row may have been split between the blocks: look again
            continue
        taken.append(block)
        size += len(block)
        block = stream.read(_BLOCK)
        if not block:
            return None


def _cut(text: bytes, start: int) -> int | None:
    """Where a row begins, at or after `start`, that is numbered one more than the row before it, both
    holding a value; None when none is found among the next _TRIES whole rows of `text`."""
    rows = list(islice(_ROW.finditer(text, max(start, 0)), _TRIES))
    for before, row, after in zip(rows, rows[1:], rows[2:], strict=False):
        if int(row.group(1)) == int(before.group(1)) + 1 and _VALUE.search(text, before.end(), row.start()) \
                and _VALUE.search(text, row.end(), after.start()):
            return row.start()
    return None


def _package(parts: Sequence[tuple[str, list[bytes]]]) -> Half:
    """A zip of `parts`, each stored uncompressed (it is read once, at once): in an in-memory file where
    calamine can open it by a path (Linux), otherwise as bytes."""
    records, directory, offset = [], [], 0
    for name, pieces in parts:
        crc, length = 0, 0
        for piece in pieces:
            crc, length = zlib.crc32(piece, crc), length + len(piece)
        encoded = name.encode("utf-8")
        fields = (20, 0x800, 0, 0, 0x21, crc, length, length, len(encoded))  # version, UTF-8 names, stored
        header = struct.pack("<4s5HIIIHH", b"PK\x03\x04", *fields, 0) + encoded
        directory.append(struct.pack("<4s6HIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset)
                         + encoded)
        records.append([header, *pieces])
        offset += len(header) + length
    listing = b"".join(directory)
    end = struct.pack("<4s4HIIH", b"PK\x05\x06", 0, 0, len(directory), len(directory), len(listing), offset, 0)
    if IN_MEMORY_FILES:
        descriptor = os.memfd_create("gridtool-half", os.MFD_CLOEXEC)
        with open(descriptor, "wb", closefd=False) as memory:  # a file object writes all of each piece
            for record in records:
                memory.writelines(record)
            memory.write(listing + end)
        return Half(f"/proc/self/fd/{descriptor}", descriptor)
    return Half(b"".join([piece for record in records for piece in record] + [listing, end]))


def joined(parts: Sequence[tuple[Any, list[int]]]) -> tuple[Any, list[int]]:
    """The halves' Arrow cells as one table, columns matched by their place in the sheet (a half may lack
    a column that is empty in its rows), and those places. Each column is made one array (30 ms for 1M rows
    of ten columns): pandas on two-chunk columns took 0.26 s longer over the day's checks."""
    import pyarrow as pa

    positions = sorted({position for _, places in parts for position in places})
    columns = []
    for position in positions:
        chunks = [cells.column(places.index(position)).cast(pa.string()) if position in places
                  else pa.nulls(cells.num_rows, pa.string()) for cells, places in parts]
        columns.append(pa.concat_arrays(chunks))
    return pa.table(columns, names=[str(position) for position in positions]), positions


def halved_sheet(archive: zipfile.ZipFile, sheet_parts: dict[str, str]) -> str | None:
    """The sheet to read in halves: one big enough, holding most of the workbook (the others are read
    beside it), on a machine with a second core."""
    if (os.cpu_count() or 1) < 2:
        return None
    sizes = {sheet: archive.NameToInfo[part].file_size for sheet, part in sheet_parts.items()
             if part in archive.NameToInfo}
    if not sizes:
        return None
    biggest = max(sizes, key=lambda sheet: sizes[sheet])
    size = sizes[biggest]
    return biggest if SPLIT_BYTES <= size <= _most() and size * 4 >= sum(sizes.values()) * 3 else None


def _most() -> int:
    return SPLIT_MOST if IN_MEMORY_FILES else SPLIT_MOST_COPIED
