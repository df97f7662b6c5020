"""How much room printed text needs: column widths and row heights from the content, for A4.

Widths are measured in em (the font size): a Chinese character, a full-width mark and the symbols
East Asian fonts draw full-width (℃, √, ①, East Asian Width W, F and A) are 1 em, everything else
about 0.55 em, as in the Noto CJK, SimSun and Microsoft YaHei fonts LibreOffice, WPS and Excel print
with. Spreadsheet column widths are in characters of the default font (Calibri 11: 7 px, plus 5 px of
padding), so the same text needs a wider column at 14 pt than at 11 pt.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

NARROW_EM = 0.55
LINE_EM = 1.45  # line pitch of the CJK fonts (ascent + descent), as LibreOffice lays wrapped lines
CELL_PADDING_PX = 8  # the spreadsheet's inner margins left and right of the text
PX_PER_PT = 96 / 72
# A column width unit is one digit of the workbook's default font: 7 px in Excel and WPS (Calibri,
# SimSun), but about 9.4 px in a LibreOffice that lacks Calibri and measures DejaVu Sans instead. Widths
# are made for the first and checked against the page with the second, so both print at the size meant.
PX_PER_UNIT = 7.0
WIDEST_PX_PER_UNIT = 9.4
WIDEST_PADDING_PX = 11.0  # measured: LibreOffice adds the 5/7 unit xlsx widths carry, and rounds up
A4_MM = (210.0, 297.0)
MARGIN_IN = 0.4  # left and right page margins (print_setup)


@cache
def _wide_ranges() -> list[tuple[int, int]]:
    """Every run of wide code points of the Basic Multilingual Plane, found once."""
    ranges, start = [], None
    for code in range(0x10000):
        wide = unicodedata.east_asian_width(chr(code)) in "WFA" and not unicodedata.category(chr(code)).startswith("C")
        if wide and start is None:
            start = code
        elif not wide and start is not None:
            ranges.append((start, code - 1))
            start = None
    return ranges


@cache
def _wide() -> re.Pattern[str]:
    """One character class of every wide code point: the Basic Multilingual Plane's and U+20000-U+3FFFF."""
    parts = "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in _wide_ranges())
    return re.compile(f"[{parts}\U00020000-\U0003ffff]")


def text_em(text: str) -> float:
    """Width of one line of `text` in em: a Chinese character 1, a Latin letter or digit 0.55."""
    if text.isascii():
        return NARROW_EM * len(text)
    wide = len(_wide().findall(text))
    return wide + NARROW_EM * (len(text) - wide)


def longest_line_em(text: str) -> float:
    return max(text_em(line) for line in text.split("\n"))


def column_width(em: float, font_size: float) -> float:
    """The spreadsheet column width that shows `em` of text at `font_size` on one line."""
    px = em * font_size * PX_PER_PT + CELL_PADDING_PX
    return round(max(px - 5, 7) / 7, 2)


def column_px(width: float) -> float:
    return width * PX_PER_UNIT + 5


def widest_column_px(width: float) -> float:
    """The most a column `width` wide takes on paper (LibreOffice measuring DejaVu Sans digits)."""
    return width * WIDEST_PX_PER_UNIT + WIDEST_PADDING_PX


def capacity_em(width: float, font_size: float) -> float:
    """How much text fits on one line of a column `width` wide."""
    return max(column_px(width) - CELL_PADDING_PX, 1) / (font_size * PX_PER_PT)


SLACK_EM = 0.05  # a line this much wider than the room is still taken to fit
ROUNDING_EM = 1e-9  # what adding up 0.55 em character by character may leave over


def on_one_line(em: Any, room: float) -> Any:
    """Whether a line `em` wide (a number, or an array of them) stays on one line in `room`. A character is
    at most 1 em wide, so a text's length in characters bounds its width (`fit_on_one_line`, the fast paths).
    Widths are sums of 0.55 em: eleven digits are 6.050000000000001 em, and must fit where 6.05 does."""
    return em <= room + SLACK_EM + ROUNDING_EM


def lines_needed(text: str, width: float, font_size: float) -> int:
    """Lines a wrapped cell takes; Chinese breaks anywhere, so a line holds what fits (less 5 % for
    Latin words carried whole to the next line)."""
    room = capacity_em(width, font_size)
    if on_one_line(len(text), room) and "\n" not in text:  # fast path: even all-wide text fits
        return 1
    widths = [text_em(line) for line in text.split("\n")]
    return sum(1 if on_one_line(em, room) else math.ceil(em / (room * 0.95)) for em in widths)


def lines_needed_many(texts: Sequence[str], width: float, font_size: float) -> np.ndarray:
    """`lines_needed` of each text, worked out over all of them at once (a column of 100,000 distinct
    addresses). Only a text that may not fit is measured character by character: a line of ASCII is 0.55 em
    a character, and a text of one line no longer than the room fits whatever its characters (1 em at most)."""
    room = capacity_em(width, font_size)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    one_ascii_line = np.fromiter((text.isascii() and "\n" not in text for text in texts), dtype=bool, count=len(texts))
    lines = np.where(one_ascii_line, _wrapped(NARROW_EM * lengths, room), 1)
    measured = np.flatnonzero(~one_ascii_line & (~on_one_line(lengths, room) | np.fromiter(
        ("\n" in text for text in texts), dtype=bool, count=len(texts))))
    if len(measured):
        em, of_text = _line_ems([texts[i] for i in measured.tolist()])
        lines[measured] = np.bincount(of_text, weights=_wrapped(em, room), minlength=len(measured))
    return lines.astype(np.int64)


def _wrapped(em: np.ndarray, room: float) -> np.ndarray:
    """The lines a line of text `em` wide takes, wrapped in `room` (as lines_needed counts them)."""
    return np.where(on_one_line(em, room), 1, np.ceil(em / (room * 0.95))).astype(np.int64)


def longest_line_em_many(texts: Sequence[str]) -> float:
    """The widest line of all the texts, in em (0 for none)."""
    em, _ = _line_ems(texts)
    return float(em.max(initial=0.0))


def _line_ems(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The width in em of every line of every text, as `text_em` measures it, and the text each line is
    of: each character's width looked up by its code point in a table, summed per line."""
    if not texts:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    codes = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
    breaks = codes == 10
    line = np.cumsum(breaks)[~breaks]  # the line (of all texts) each character is on
    count = int(np.count_nonzero(breaks)) + 1
    table = _wide_table()
    wide = np.bincount(line, weights=table[np.minimum(codes[~breaks], len(table) - 1)], minlength=count)
    chars = np.bincount(line, minlength=count)
    of_text = np.repeat(np.arange(len(texts)), [text.count("\n") + 1 for text in texts])
    return wide + NARROW_EM * (chars - wide), of_text


@cache
def _wide_table() -> np.ndarray:
    """1 for each wide code point up to U+3FFFF (the last entry, 0, stands for every code point above)."""
    table = np.zeros(0x40001, dtype=np.float64)
    for start, end in _wide_ranges():
        table[start:end + 1] = 1.0
    table[0x20000:0x40000] = 1.0
    return table


def row_height(lines: int, font_size: float) -> float:
    """Points a row needs for `lines` lines of text."""
    return round(lines * font_size * LINE_EM + 4, 1)


def printable_px(landscape: bool) -> float:
    """The width between the margins of an A4 page, in the 96-per-inch pixels column widths use."""
    across_mm = A4_MM[1] if landscape else A4_MM[0]
    return (across_mm / 25.4 - 2 * MARGIN_IN) * 96


def fit_widths(natural: Sequence[float], floor: Sequence[float], budget_px: float,
               fixed_px: float = 0.0) -> list[float]:
    """Widths no wider than the content needs, the widest narrowed first (down to `floor`) until the
    columns fit in `budget_px` even where a width unit is widest; when even the floors do not fit, the
    floors."""
    def total(cap: float) -> float:
        return fixed_px + sum(widest_column_px(max(f, min(n, cap))) for n, f in zip(natural, floor, strict=True))

    if not natural or total(max(natural)) <= budget_px:
        return list(natural)
    low, high = 0.0, max(natural)
    for _ in range(30):
        middle = (low + high) / 2
        low, high = (middle, high) if total(middle) <= budget_px else (low, middle)
    return [round(max(f, min(n, low)), 2) for n, f in zip(natural, floor, strict=True)]
