"""Household notices laid out once per group, not once per household.

A street's household notices differ in one line: the salutation (`尊敬的 3栋2单元502室 住户：`, the first paragraph).
Everything else on the page (title, the other paragraphs, the boxed facts with the grid worker, signature, footer)
is the same for every household of a group. typst lays out a full page in about 0.4 ms and does not reuse the
layout of a repeated paragraph, so each group's page is laid out once, in two parts (`notice_page.typ`, mode
"parts"): its head (the title) and its rest (everything after the salutation), with the salutation's place kept
free. Every household's page is then those two parts drawn as PDF forms (the text stays text, the fonts stay
embedded subsets) around its own salutation, laid out as the paragraph it is: typst lays out a volume's
salutations together on one sheet and each page is put together from them (`compile_volume`,
notice_assembly.py; 50 µs a page, where typst drawing the parts around each salutation took 0.12 ms). The page
prints and reads the same: same characters, same positions, same sizes.

A notice keeps its full layout when its salutation might not fit on one line (it would push the rest down; a line
break kept in it, too), when
its group's page runs onto a second sheet, or when fewer than SHARED_MIN notices share it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from gridtool.output.notice_assembly import NotAssembled, assemble, sheet_data
from gridtool.output.pdf import FontChoice, compile_document, compile_notices, layout_compiler, typst_failure
from gridtool.table.invisible import shown

if TYPE_CHECKING:
    import numpy as np

SHARED_MIN = 2  # a group's two parts cost about two pages: shared from two households on
PARTS_FILE = "parts.pdf"  # in the folder the compiler is rooted at
PLACEHOLDER = "中"  # the hidden salutation on a group's parts: any one line takes the same height
BREAKS = re.compile("[\n\r\u2028\u2029]")  # what typst starts a new line at, kept in a text as staff wrote it


class Notice(Protocol):
    title: str
    body: list[str]
    facts: list[tuple[str, str]]
    signature: str


def notice_data(notice: Notice) -> dict[str, Any]:
    """A notice laid out whole, as typst data: every text as staff read it (pdf.shown_data)."""
    return {"title": shown(notice.title), "body": [shown(p) for p in notice.body],
            "facts": [[shown(label), shown(value)] for label, value in notice.facts], "signature": shown(notice.signature)}


def share_pages(notices: Sequence[Notice], footer: str, layout: str, font: FontChoice, folder: Path) -> dict[str, Any]:
    """The typst data of `notices` (`notices`, `groups`, `parts`): a shared notice is `{"group": g, "line": its
    salutation}`, the others `notice_data`; `groups` says where each group's parts and salutation are; the parts
    are written to `folder`/parts.pdf."""
    keys = [_group_key(notice) for notice in notices]
    sizes = Counter(key for key in keys if key is not None)
    first = dict(zip(reversed(keys), reversed(notices), strict=True))
    candidates = {key: notice_data(first[key]) for key, size in sizes.items() if size >= SHARED_MIN}
    if not candidates:
        return {"notices": [notice_data(notice) for notice in notices]}
    lines = [shown(notice.body[0]) if key in candidates else "" for key, notice in zip(keys, notices, strict=True)]
    parts = {"footer": footer, "groups": list(candidates.values()), "chars": sorted(set("".join(lines)))}
    placed, widths, room = _lay_out_parts(parts, layout, font, folder)
    groups = {key: index for index, (key, place) in enumerate(zip(candidates, placed, strict=True))
              if place is not None}
    fits = (_line_widths(lines, widths) <= room).tolist()
    fits = [fit and not BREAKS.search(line) for fit, line in zip(fits, lines, strict=True)]
    shared = [
        {"group": groups[key], "line": line}
        if key in groups and fit else notice_data(notice)
        for key, notice, line, fit in zip(keys, notices, lines, fits, strict=True)
    ]
    return {"notices": shared, "groups": [place or {} for place in placed], "parts": "/" + PARTS_FILE}


def compile_volume(layout: str, data: dict[str, Any], font: FontChoice, root: str) -> tuple[bytes, list[int]]:
    """The PDF of a volume (`data`: the document's fields and its notices as `share_pages` gave them; `root`: the
    folder of the parts) and each notice's sheet count. Its household pages are put together from a sheet of
    their salutations (notice_assembly.py) and the other notices laid out whole; when that sheet is not as
    expected, typst lays out every page (each household's page drawing its group's parts around its salutation)."""
    lines = [notice["line"] for notice in data["notices"] if "group" in notice]
    if not lines:
        return compile_notices(layout, data, font, root)
    whole = [notice for notice in data["notices"] if "group" not in notice]
    sheet = compile_document(layout, sheet_data(lines, data.get("document", "")), font, root)
    laid_out = compile_notices(layout, {**data, "notices": whole}, font, root) if whole else None
    try:
        return assemble(data["notices"], data["groups"], sheet, Path(root) / PARTS_FILE, laid_out)
    except NotAssembled:
        return compile_notices(layout, data, font, root)


def _line_widths(lines: list[str], widths: dict[str, float]) -> np.ndarray:
    """Each line's width, its characters' widths added left to right (as Python 3.11's `sum`), over all lines at
    once (a street's 78,768 salutations: 0.1 s one by one)."""
    import numpy as np

    if not widths:
        return np.zeros(len(lines))
    chars = sorted(widths)  # by code point, as searchsorted needs
    codes = np.frombuffer("".join(lines).encode("utf-32-le"), dtype=np.uint32)
    found = np.searchsorted(np.array([ord(c) for c in chars], dtype=np.uint32), codes)
    line_of = np.repeat(np.arange(len(lines)), [len(line) for line in lines])
    return np.bincount(line_of, weights=np.array([widths[c] for c in chars])[found], minlength=len(lines))


def _group_key(notice: Notice) -> tuple[Any, ...] | None:
    """What every page of a group shares: all but the first paragraph (None without one)."""
    if not notice.body:
        return None
    return notice.title, tuple(notice.body[1:]), tuple(map(tuple, notice.facts)), notice.signature


def _lay_out_parts(parts: dict[str, Any], layout: str, font: FontChoice,
                   folder: Path) -> tuple[list[dict[str, Any] | None], dict[str, float], float]:
    """Write the parts of `parts["groups"]` (a notice of each); for each group where its parts and salutation
    are (None when its page ran onto a second sheet), the width of each of `parts["chars"]` and the room a
    salutation has (the text width less one character, a margin for kerning)."""
    groups = [{**notice, "body": [PLACEHOLDER, *notice["body"][1:]]} for notice in parts["groups"]]
    data = {**parts, "mode": "parts", "marks": False, "fonts": [font.family], "footer": shown(parts["footer"]),
            "groups": groups}
    compiler = layout_compiler(layout, font.paths, str(folder))
    try:
        pdf = compiler.compile(format="pdf", sys_inputs={"data": json.dumps(data, ensure_ascii=False)}, pdf_tags=False)
        found = {label: json.loads(compiler.query(f"<{label}>", field="value"))
                 for label in ("head", "slot", "end", "char-width", "room")}
    except typst_failure() as exc:  # a layout bug, not bad input
        raise RuntimeError(f"typst: {getattr(exc, 'message', exc)}") from exc
    (folder / PARTS_FILE).write_bytes(pdf)
    heads, slots, ends = ({m["index"]: m for m in found[label]} for label in ("head", "slot", "end"))
    placed: list[dict[str, Any] | None] = []
    for index in range(len(groups)):
        head, slot, end = heads[index]["page"], slots[index], ends[index]["page"]
        one_sheet = slot["page"] == end == head + 1
        placed.append({"head": head, "rest": end, "y": slot["y"]} if one_sheet else None)
    return placed, dict(zip(parts["chars"], found["char-width"], strict=True)), float(found["room"][0])
