"""Worksheet names made from people's names: what Excel accepts, and each one distinct.

Excel refuses a name longer than 31 characters, one holding any of ``[ ] : * ? / \\``, one starting or
ending with an apostrophe, a blank one, and `History`; names differing only in case clash.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from gridtool.table.invisible import shown

LIMIT = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_PART_MARKER = re.compile(r"〔(?:U(?:\+[0-9A-F]{0,6})?)?$")


def _key(name: str) -> str:
    return name.casefold()


def sheet_name(text: str, limit: int = LIMIT) -> str:
    """One name made acceptable to Excel (not yet made unique); a hidden character shows as its marker, as
    in the cells (`王〔U+202E〕五`), and one cut off by the length limit is left out whole."""
    name = _FORBIDDEN.sub("_", shown(unicodedata.normalize("NFKC", text))).strip().strip("'").strip()
    if len(name) > limit:
        name = _PART_MARKER.sub("", name[:limit])
    name = name.rstrip("'").strip()
    if not name or _key(name) == "history":
        name = f"_{name}" if name else "未命名"
    return name


def unique_sheet_names(texts: Iterable[str], reserved: Iterable[str] = ()) -> list[str]:
    """A distinct acceptable name for every text, in order: `张伟`, `张伟(2)` …, never a reserved one."""
    taken = {_key(r) for r in reserved}
    names = []
    for text in texts:
        base = sheet_name(text)
        candidate, number = base, 2
        while _key(candidate) in taken:
            suffix = f"({number})"
            candidate, number = sheet_name(base, LIMIT - len(suffix)) + suffix, number + 1
        taken.add(_key(candidate))
        names.append(candidate)
    return names


def quoted(name: str) -> str:
    """The name as a formula refers to it: `'张 伟'!A1`."""
    return "'" + name.replace("'", "''") + "'"
