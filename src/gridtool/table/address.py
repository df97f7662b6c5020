"""Addresses as staff write them: `3-2-502`, `3栋2单元502室`, `3号楼2单元502`, separate 楼栋/单元/房号
columns, Chinese numerals; all reduced to (building, unit, room) so the same flat matches everywhere."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gridtool.table.values import clean_text, memo

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> str:
    """`三` -> `3`, `十二` -> `12`; other text is returned unchanged."""
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return text
    if "十" in text:
        tens, _, ones = text.partition("十")
        return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0))
    return "".join(str(_CN_DIGITS[ch]) for ch in text)


_PART = r"([0-9一二三四五六七八九十两]+|[A-Za-z])"
_BUILDING = re.compile(_PART + r"\s*(?:号楼|号栋|栋楼|栋|幢|座|号|楼|#)")
_UNIT = re.compile(_PART + r"\s*(?:单元|门|单)")
_ROOM = re.compile(r"(\d{2,5}|[A-Za-z]?\d{2,5})\s*(?:室|号|房)?$")
_DASHED = re.compile(
    r"(?:^|[^0-9A-Za-z])([0-9A-Za-z]+)\s*[-－_/]\s*([0-9A-Za-z]+)(?:\s*[-－_/]\s*([0-9A-Za-z]+))?\s*(?:室|号)?$"
)


# The two ways most rosters write a flat, in ASCII digits, read without the general patterns below (a roster of
# 200,000 residents holds 146,000 distinct addresses: 1.1 s the general way, 0.25 s this way, and 0.05 s for a
# whole column in Arrow's regex kernels, `plain_addresses`). Same result.
PLAIN_FORMS = (r"^(?P<b>[0-9]+)-(?P<u>[0-9]+)-(?P<r>[0-9]+)$",
               r"^(?P<b>[0-9]+)栋(?P<u>[0-9]+)单元(?P<r>[0-9]{2,5})室$")
_PLAIN = tuple(re.compile(form) for form in PLAIN_FORMS)


@memo
def parse_address(text: str) -> tuple[str, str, str]:
    """`3-2-502`, `3栋2单元502室`, `3号楼2单元502`, `1-101`, `幸福里3幢二单元502` -> (building, unit, room).

    Parts not present are empty strings; a text with no recognisable structure gives ("", "", "").
    """
    for form in _PLAIN if isinstance(text, str) else ():
        plain = form.fullmatch(text)
        if plain:
            return tuple(part.lstrip("0") or part for part in plain.groups())  # type: ignore[return-value]
    return _parse_address(text)


def plain_addresses(texts: Any) -> tuple[np.ndarray, list[Any]]:
    """For `map_unique_columns`: which Arrow texts are written in a plain form, and their building, unit and
    room, as parse_address gives them."""
    import numpy as np
    import pyarrow.compute as pc

    found = [pc.extract_regex(texts, form) for form in PLAIN_FORMS]
    kept = pc.or_(*(pc.is_valid(parts) for parts in found))
    columns = []
    for name in ("b", "u", "r"):
        part = pc.coalesce(*(pc.struct_field(parts, name) for parts in found))
        trimmed = pc.utf8_ltrim(part, characters="0")
        columns.append(pc.if_else(pc.equal(trimmed, ""), part, trimmed))
    return np.asarray(kept.to_numpy(zero_copy_only=False), dtype=bool), columns


def _parse_address(text: str) -> tuple[str, str, str]:
    text = clean_text(text).replace(" ", "")
    if not text:
        return "", "", ""
    dashed = _DASHED.search(text)
    if dashed and not _UNIT.search(text):
        first, second, third = dashed.groups()
        prefix = _BUILDING.search(text[: dashed.start(1)] or "")
        if third:
            return _norm_part(first), _norm_part(second), _norm_part(third)
        if prefix:
            return _norm_part(prefix.group(1)), _norm_part(first), _norm_part(second)
        return _norm_part(first), "", _norm_part(second)
    building = _BUILDING.search(text)
    rest = text[building.end():] if building else text
    unit = _UNIT.search(rest)
    rest = rest[unit.end():] if unit else rest
    room = _ROOM.search(rest)
    if not (building or unit or room):
        return "", "", ""
    return (
        _norm_part(building.group(1)) if building else "",
        _norm_part(unit.group(1)) if unit else "",
        _norm_part(room.group(1)) if room else "",
    )


def _norm_part(part: str) -> str:
    part = chinese_number(part.upper())
    return part.lstrip("0") or part


_BARE_PART = re.compile(r"[0-9A-Za-z一二三四五六七八九十两]+")


def _address_part(text: str, labelled: re.Pattern[str]) -> str:
    """`3栋` or a bare `3` -> `3`; text that is neither stays as it was."""
    text = clean_text(text).replace(" ", "")
    match = labelled.search(text)
    if match:
        return _norm_part(match.group(1))
    return _norm_part(text) if _BARE_PART.fullmatch(text) else text


@memo
def normalize_building(text: str) -> str:
    """A 楼栋 cell: `3栋`, `3号楼`, `三幢`, `3` -> `3`."""
    return _address_part(text, _BUILDING)


@memo
def normalize_unit(text: str) -> str:
    """A 单元 cell: `2单元`, `二单元`, `2` -> `2`."""
    return _address_part(text, _UNIT)


@memo
def normalize_room(text: str) -> str:
    """A 房号 cell: `502室`, `502`, `0502` -> `502`."""
    text = clean_text(text).replace(" ", "")
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    match = _ROOM.search(text)
    if match and match.start() == 0:
        return _norm_part(match.group(1))
    return text


def natural_key(text: str) -> tuple[int, str]:
    """Sort key that puts 2栋 before 10栋 and names without a number (商铺) last."""
    digits = re.sub(r"\D", "", text)
    return (int(digits) if digits else 10**9, text)


def format_address(building: str, unit: str, room: str) -> str:
    """The address as staff write it: `3栋2单元502室`."""
    parts = []
    if building:
        parts.append(f"{building}栋")
    if unit:
        parts.append(f"{unit}单元")
    if room:
        parts.append(f"{room}室")
    return "".join(parts)


def format_addresses(building: pd.Series, unit: pd.Series, room: pd.Series) -> pd.Series:
    """`format_address` of every row, as column operations (each part blank or with its word)."""
    parts = [part.fillna("").astype(str) for part in (building, unit, room)]
    worded = [part.where(part == "", part + word) for part, word in zip(parts, ("栋", "单元", "室"), strict=True)]
    return worded[0] + worded[1] + worded[2]


@memo
def split_building(text: str) -> tuple[str, str]:
    """A 楼栋 cell that may carry the unit too: `1栋` -> ('1', ''), `1栋2单元` -> ('1', '2')."""
    clean = clean_text(text).replace(" ", "")
    if _UNIT.search(clean):
        building, unit, _ = parse_address(clean)
        if building:
            return building, unit
    return normalize_building(text), ""


@memo
def split_room(text: str) -> tuple[str, str]:
    """A 房号 cell that may carry the unit: `1单元101` -> ('1', '101'), `101` -> ('', '101')."""
    clean = clean_text(text).replace(" ", "")
    unit = _UNIT.search(clean)
    if unit and not _BUILDING.search(clean[: unit.start()]):
        room = normalize_room(clean[unit.end():])
        if room:
            return _norm_part(unit.group(1)), room
    return "", normalize_room(text)
