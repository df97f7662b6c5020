"""Characters that do not show, or that change how the text around them shows, kept visible as a marker.

A name like `王\u202e五` (U+202E, right-to-left override) or `李\u200b四` (a zero-width space) reads as
something else, or as someone else, on a screen or a printout. gridtool never passes such a character on
silently: file names drop it (output/names.py), and every text a person reads (a cell, a sheet's tab, a
page, a message, the terminal) shows it as a marker, `王〔U+202E〕五`. JSON keeps the exact text.

Hidden here means: control characters (Unicode category Cc) other than tab and line breaks, format
characters (Cf: the bidi controls U+202A–202E, U+2066–2069, U+200E/200F, U+061C; zero-width characters
U+200B–200D, U+2060, U+FEFF; the soft hyphen; tag characters …) and lone surrogates (Cs).

The marker `〔U+202E〕` uses the brackets 〔〕 because they are allowed in a sheet name and mean nothing to
Excel, HTML, rich or typst. gridtool reads its own workbooks back (the follow-up log, the hidden manifest,
a returned sheet's names) with `unmarked`, so the exact text survives the round trip.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_KEPT = frozenset("\t\n\r")  # they show as what they are: a gap, a new line
_MARKER = re.compile(r"〔U\+([0-9A-F]{4,6})〕")


def is_hidden(char: str) -> bool:
    return char not in _KEPT and unicodedata.category(char) in _CATEGORIES


def marker(char: str) -> str:
    return f"〔U+{ord(char):04X}〕"


def hidden_characters(text: str) -> list[str]:
    """The hidden characters in `text`, each once, in order of appearance."""
    if text.isprintable():
        return []
    return list(dict.fromkeys(ch for ch in text if not ch.isprintable() and is_hidden(ch)))


def shown(text: str) -> str:
    """The text with every hidden character replaced by its marker: `王\u202e五` -> `王〔U+202E〕五`."""
    if text.isprintable():
        return text
    return "".join(marker(ch) if not ch.isprintable() and is_hidden(ch) else ch for ch in text)


def _unmark(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code <= 0x10FFFF and is_hidden(chr(code)) else match.group(0)


def unmarked(text: str) -> str:
    """The exact text behind `shown`: a gridtool workbook read back. A marker of a visible character stays."""
    if "〔U+" not in text:
        return text
    return _MARKER.sub(_unmark, text)


def hidden_rows(column: pd.Series) -> list[object]:
    """The index labels of the cells whose text holds a hidden character.

    Printable text (nearly every cell) is passed over in bulk, Arrow's own check for an Arrow column, so a
    million-row sheet costs a few tenths of a second; only the rest is looked at character by character."""
    if getattr(column.dtype, "storage", None) == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        printable = pc.fill_null(pc.utf8_is_printable(pa.array(column.array)), True)  # a blank cell hides nothing
        values = column[~printable.to_numpy(zero_copy_only=False)]
    else:
        values = column.dropna()
    if values.empty:
        return []
    texts = [str(text) for text in values.tolist()]
    if "".join(texts).isprintable():
        return []
    return [row for row, text in zip(values.index, texts, strict=True) if hidden_characters(text)]
