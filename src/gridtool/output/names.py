"""The names of the files gridtool writes: safe on Windows, macOS and Linux, short enough for every file
system, unique within a run and never an input's.

A name is made of parts joined by `_` (`待跟进_王芳_2026-11-21.xlsx`). `_` never appears inside a part, and
a part that had to be changed to be safe (a `/`, a space, an invisible character, a name cut short) carries
`~` and a short digest of the original, so two different workers can never share a file name.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

SEPARATOR = "_"
PART_CHARS = 40
PART_BYTES = 120  # UTF-8: a whole name stays far below the 255 bytes every file system allows
_UNSAFE = re.compile(r'[\\/:*?"<>|_\s]+')
# Control, format (zero-width, right-to-left override), surrogate, private-use and unassigned characters.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def strip_invisible(text: str) -> str:
    """Without the characters that do not show or that reorder what is shown (U+202E, U+200B …)."""
    if text.isprintable():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def _shorten(text: str) -> str:
    text = text[:PART_CHARS]
    while len(text.encode("utf-8")) > PART_BYTES:
        text = text[:-1]
    return text


def safe_filename(text: str) -> str:
    """One part of a file name made from a worker's, building's or template's name."""
    cleaned = _UNSAFE.sub("-", unicodedata.normalize("NFKC", strip_invisible(text)))
    name = _shorten(cleaned.strip("-. ")).rstrip("-. ")
    if not name:
        return "未命名" if not text.strip() else f"未命名~{digest(text)}"
    if name != text or name.upper() in _RESERVED:
        name = f"{name}~{digest(text)}"
    return name


def _same_name(name: str) -> str:
    """Names that a case-insensitive or normalising file system (Windows, macOS) treats as one file."""
    return unicodedata.normalize("NFC", name).casefold()


class OutputNames:
    """File names inside the output folder: made safe, unique within a run, and never an input's name,
    nor a folder's."""

    def __init__(self, folder: Path, inputs: Iterable[Path] = ()) -> None:
        self.folder = folder
        inputs = list(inputs)
        self.protected = {_same_name(os.path.normcase(p.resolve())) for p in inputs}
        self.identities = {(s.st_dev, s.st_ino) for s in map(_stat, inputs) if s is not None}
        self.taken: set[str] = set()

    def path(self, kind: str, *parts: str, suffix: str = ".xlsx") -> Path:
        """`待跟进_王芳_2026-11-21.xlsx` from ("待跟进", "王芳", "2026-11-21"); `_2`, `_3` … when taken."""
        stem = SEPARATOR.join([kind, *(safe_filename(p) for p in parts)])
        candidate, number = self.folder / f"{stem}{suffix}", 2
        while self._unavailable(candidate):
            candidate, number = self.folder / f"{stem}{SEPARATOR}{number}{suffix}", number + 1
        self.taken.add(_same_name(candidate.name))
        return candidate

    def is_input(self, path: Path) -> bool:
        if _same_name(os.path.normcase(path.resolve())) in self.protected:
            return True
        found = _stat(path)
        return found is not None and (found.st_dev, found.st_ino) in self.identities

    def _unavailable(self, candidate: Path) -> bool:
        if _same_name(candidate.name) in self.taken:
            return True
        return self.is_input(candidate) or candidate.is_dir()


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None
