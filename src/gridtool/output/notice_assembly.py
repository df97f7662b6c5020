"""A volume of household pages put together from typst's layouts, not laid out page by page.

A household page is its group's two shared parts (head and rest, `notice_shared.py`) around its own salutation.
typst lays out a volume's salutations once, one under the other on one tall sheet (`notice_page.typ`, mode
"lines": 26 µs a line), and each page is then put together as PDF objects with pikepdf (20 µs): the group's parts
as forms, and the salutation's text as typst wrote it (the same glyphs at the same distances, in the same fonts),
moved to the salutation's place. typst laying out the whole page took 120 µs.

The sheet is read as typst writes a text run (`q 1 0 0 -1 X Y cm … BT … ET Q`; every run of a line on the line's
baseline). Every run must be on the baseline of one of the lines; a sheet that is not as expected (a line that
wrapped, a run elsewhere, another typst) raises NotAssembled, and typst lays out the volume's pages instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

RUN = re.compile(rb"q 1 0 0 -1 (\S+) (\S+) cm(.*?\nET\n)Q(?:\n|\Z)", re.S)  # a text run; strings escape newlines
PITCH = 36.0  # pt from one line's top to the next on the sheet: more than a 22 pt line, less than two
FIRST = "中"  # the sheet's first line: where a line's baseline is
NPAGES = re.compile(rb"<xmpTPg:NPages>\d+</xmpTPg:NPages>")  # the page count in the XMP metadata typst writes


class NotAssembled(Exception):
    """The sheet of salutations is not what this module reads: lay the volume out with typst."""


def assemble(notices: list[dict[str, Any]], groups: list[dict[str, Any]], sheet: bytes, parts: Path,
             whole: tuple[bytes, list[int]] | None) -> tuple[bytes, list[int]]:
    """The volume's PDF and each notice's sheet count. `notices`: the typst data of the volume's notices; a shared
    one (`{"group", "line"}`) is drawn from `groups` (where its parts are in the PDF `parts`, and the top `y` of its
    salutation) and its line of `sheet`, the others are taken in order from `whole` (their PDF and sheet counts)."""
    import pikepdf

    source = pikepdf.open(BytesIO(sheet))
    runs, baseline = _lines(source, sum("group" in notice for notice in notices))
    out = pikepdf.new()
    text = {key: _copied(out, source, value) for key, value in source.pages[0].Resources.items()}
    kept = _Whole(out, whole)
    drawn: dict[int, tuple[Any, Any, bytes]] = {}
    kids, sheets, lines = [], [], iter(runs)
    for notice in notices:
        if "group" not in notice:
            pages = kept.next_notice()
            kids += pages
            sheets.append(len(pages))
            continue
        if notice["group"] not in drawn:
            drawn[notice["group"]] = _group(out, groups[notice["group"]], parts, text, baseline)
        page_resources, box, y = drawn[notice["group"]]
        body = b"".join(b"q 1 0 0 -1 %s %s cm%sQ\n" % (x, y, operators) for x, operators in next(lines))
        content = out.make_stream(b"q /x0 Do Q\n" + body + b"q /x1 Do Q\n")
        kids.append(out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=box,
                                                         Resources=page_resources, Contents=content)))
        sheets.append(1)
    tree = out.Root.Pages
    for kid in kids:
        kid.Parent = tree
    tree.Kids = pikepdf.Array(kids)
    tree.Count = len(kids)
    _describe(out, source, len(kids))
    written = BytesIO()
    # the pages' own few operators are left uncompressed (deflating each took 14 of 35 µs a page); what came from
    # typst (fonts, forms) is copied as typst compressed it
    out.save(written, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
             object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version=source.pdf_version)
    return written.getvalue(), sheets


def sheet_data(lines: list[str], document: str) -> dict[str, Any]:
    """The typst data of the sheet of `lines` (notice_page.typ, mode "lines")."""
    return {"mode": "lines", "first": FIRST, "lines": lines, "pitch": PITCH, "document": document, "footer": ""}


def _lines(sheet: Any, count: int) -> tuple[list[list[tuple[bytes, bytes]]], float]:
    """The text runs (x, what draws them) of each of the `count` lines of the sheet, and where a line's baseline is
    below its top: every run must be on the baseline of one of the lines (a line that wrapped is not)."""
    if len(sheet.pages) != 1 or "/XObject" in sheet.pages[0].Resources:
        raise NotAssembled("not one sheet of text")
    page = sheet.pages[0]
    found = _runs(page.Contents.read_bytes())
    if not found:
        raise NotAssembled("no text on the sheet")
    height = float(page.MediaBox[3])
    baseline = height - float(found[0][1])  # the first line's, at the sheet's top
    lines: list[list[tuple[bytes, bytes]]] = [[] for _ in range(count + 1)]
    for x, y, operators in found:
        place = (height - baseline - float(y)) / PITCH
        line = round(place)
        if abs(place - line) > 1e-3 or not 0 <= line <= count:
            raise NotAssembled(f"a text run at {y!r}")
        lines[line].append((x, operators))
    return lines[1:], baseline


def _runs(content: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """The sheet's text runs (x, y, what draws them), which must be all it draws: anything else (another typst's
    way of writing them, a shape) is not moved to the pages, so the sheet is refused."""
    runs, end = [], 0
    for match in RUN.finditer(content):
        if match.start() != end:
            raise NotAssembled(f"something else on the sheet at byte {end}")
        runs.append((match.group(1), match.group(2), match.group(3)))
        end = match.end()
    if end != len(content):
        raise NotAssembled(f"something else on the sheet at byte {end}")
    return runs


def _group(out: Any, group: dict[str, Any], parts: Path, text: dict[str, Any], baseline: float) -> tuple[Any, Any, bytes]:
    """A group's page resources (its head and rest as forms x0 and x1, the sheet's fonts), its page's box, and the
    baseline of its salutation as PDF writes it."""
    import pikepdf

    document, forms = _parts(str(parts), *_stamp(parts))
    for part in ("head", "rest"):
        if group[part] not in forms:
            forms[group[part]] = document.make_indirect(document.pages[group[part] - 1].as_form_xobject())
    drawn = pikepdf.Dictionary({"/x0": out.copy_foreign(forms[group["head"]]),
                                "/x1": out.copy_foreign(forms[group["rest"]])})
    box = [float(side) for side in document.pages[group["rest"] - 1].MediaBox]
    resources = out.make_indirect(pikepdf.Dictionary({"/XObject": drawn, **text}))
    return resources, out.make_indirect(pikepdf.Array(box)), _number(box[3] - group["y"] - baseline)


def _stamp(path: Path) -> tuple[int, int]:
    found = path.stat()
    return found.st_mtime_ns, found.st_size


@lru_cache(maxsize=2)
def _parts(path: str, mtime: int, size: int) -> tuple[Any, dict[int, Any]]:
    """The parts PDF, read once per process (the same parts serve every volume; read from memory, so that the
    file is not held open), and its pages as forms, made as they are needed."""
    import pikepdf

    return pikepdf.open(BytesIO(Path(path).read_bytes())), {}


def _number(value: float) -> bytes:
    return f"{value:.5f}".rstrip("0").rstrip(".").encode()


class _Whole:
    """The pages of the notices laid out whole, notice by notice, copied into `out`."""

    def __init__(self, out: Any, whole: tuple[bytes, list[int]] | None) -> None:
        import pikepdf

        self.out = out
        self.source = pikepdf.open(BytesIO(whole[0])) if whole else None
        self.sheets = iter(whole[1] if whole else [])
        self.at = 0

    def next_notice(self) -> list[Any]:
        import pikepdf

        count = next(self.sheets, None)
        if self.source is None or count is None or self.at + count > len(self.source.pages):
            raise NotAssembled("fewer notices laid out whole than expected")
        pages = []
        for page in self.source.pages[self.at:self.at + count]:
            if "/MediaBox" not in page.obj or "/Resources" not in page.obj:  # inherited: not what typst writes
                raise NotAssembled("a page without its own box or resources")
            fields = pikepdf.Dictionary({key: value for key, value in page.obj.items() if key != "/Parent"})
            pages.append(_copied(self.out, self.source, fields))
        self.at += count
        return pages


def _describe(out: Any, sheet: Any, pages: int) -> None:
    """The volume's title, language and metadata as typst wrote them for the sheet (the same document fields), its
    page count in the metadata made the volume's."""
    import pikepdf

    out.trailer.Info = _copied(out, sheet, sheet.trailer.Info)
    for key in ("/Lang", "/ViewerPreferences"):
        if key in sheet.Root:
            out.Root[key] = _copied(out, sheet, sheet.Root[key])
    if "/Metadata" in sheet.Root:
        xmp = NPAGES.sub(b"<xmpTPg:NPages>%d</xmpTPg:NPages>" % pages, sheet.Root.Metadata.read_bytes())
        out.Root.Metadata = out.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)


def _copied(out: Any, source: Any, value: Any) -> Any:
    """`value` of the PDF `source` (with what it refers to) as an object of `out`."""
    return out.copy_foreign(value if value.is_indirect else source.make_indirect(value))
