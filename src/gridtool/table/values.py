"""Small pure parsers for the cell values staff type: temperatures, yes/no, times, dates, phones, addresses.

Each parser takes one cell's text and returns a plain value; `map_unique` applies one to a whole column
by parsing each distinct value once, which is what keeps a million-row export fast: a check-in column
holds a few thousand distinct texts at most.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

# Parsers are pure, so results are remembered across the sheets of one run: seven daily sheets of the
# same residents parse each name, phone and address once.
memo = lru_cache(maxsize=1 << 20)

EXCEL_EPOCH = dt.datetime(1899, 12, 30)

# Markers staff put in the check-in time column when a resident has not reported.
MISSING_MARKERS = frozenset(
    {"", "未打卡", "未填报", "未填", "未上报", "未提交", "未报", "无", "缺", "缺报", "未", "否",
     "-", "--", "—", "——", "/", "\\", "×", "x", "X", "nan", "none", "null", "n/a", "#n/a"}
)
_NO_WORDS = frozenset(
    {"否", "无", "没有", "正常", "无症状", "均无", "良好", "健康", "no", "n", "0", "false", "f", "×",
     "以上都没有", "以上均无", "都没有", "未见异常", "身体健康", "一切正常", "无异常", "不是"}
)
_YES_WORDS = frozenset({"是", "有", "yes", "y", "1", "true", "t", "√", "✓", "✔", "是的", "有症状", "异常"})
_NO_PREFIXES = ("无", "没有", "否", "未见", "未出现", "不")

_TEMPERATURE = re.compile(r"^(?:体温)?[:：]?\s*(\d{2,3}(?:[.,。]\d{1,3})?)\s*(?:°\s*c|℃|度|°|c)?$")
_TIME = re.compile(r"(\d{1,2})\s*[:：时点]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?)?")
_FULL_DATE = re.compile(r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*[日号]?(?!\d)")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_SPACES = re.compile(r"\s+")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def clean_text(value: Any) -> str:
    """NFKC (full-width to half-width), stray spaces removed at the ends and folded inside."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _clean(str(value))


@memo
def _clean(text: str) -> str:
    if text.isascii() and " " not in text and "\t" not in text and "\n" not in text:
        return text
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def _parse_distinct(series: pd.Series, parse: Callable[[str], Any]) -> tuple[np.ndarray, list[Any]]:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    parsed = [parse(u) for u in uniques.tolist()]
    parsed.append(parse(""))  # the value for missing cells, picked by code -1
    return codes, parsed


def map_unique(series: pd.Series, parse: Callable[[str], Any]) -> pd.Series:
    """Apply a scalar parser to a column, parsing each distinct text once."""
    codes, parsed = _parse_distinct(series, parse)
    values = np.empty(len(parsed), dtype=object)
    values[:] = parsed
    return pd.Series(values.take(codes), index=series.index, dtype=object)


def map_unique_columns(series: pd.Series, parse: Callable[[str], tuple[Any, ...]],
                       names: list[str]) -> pd.DataFrame:
    """Like map_unique for a parser that returns a tuple: one column per part."""
    codes, parsed = _parse_distinct(series, parse)
    columns = {}
    for position, name in enumerate(names):
        values = np.empty(len(parsed), dtype=object)
        values[:] = [item[position] for item in parsed]
        columns[name] = values.take(codes)
    return pd.DataFrame(columns, index=series.index)


@memo
def parse_temperature(text: str) -> float | None:
    """`36.5`, `36.5℃`, `36.8 ℃`, `37.5度`, `３７．６` -> float; blank -> None; unreadable -> NaN."""
    text = clean_text(text).lower()
    if text in MISSING_MARKERS:
        return None
    match = _TEMPERATURE.match(text)
    if not match:
        return math.nan
    return float(match.group(1).replace(",", ".").replace("。", "."))


@memo
def parse_yes_no(text: str) -> tuple[bool | None, str]:
    """A symptoms answer -> (answered yes?, detail). A described symptom counts as yes and is kept."""
    text = clean_text(text)
    key = text.lower().rstrip("。.!！")
    if not key or key in {"-", "--", "—", "/", "nan"}:
        return None, ""
    if key in _NO_WORDS or key.startswith(_NO_PREFIXES):
        return False, ""
    if key in _YES_WORDS:
        return True, ""
    detail = re.sub(r"^(?:是|有)[,，:：、\s]*", "", text)
    return True, detail


def _time_of_day(fraction: float) -> dt.time:
    seconds = round((fraction % 1) * 86400) % 86400
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


@memo
def parse_timestamp(text: str) -> tuple[dt.date | None, dt.time | None]:
    """A check-in time as text, Excel time or timestamp -> (date or None, time or None).

    `0.354` is an Excel time; `45982.35` an Excel date and time; `1899-12-31 08:30:00` is how a
    time-only cell arrives from the reader.
    """
    text = clean_text(text)
    if _NUMBER.match(text):
        number = float(text)
        if number < 1:
            return None, _time_of_day(number)
        if 20000 < number < 80000:
            serial_day = (EXCEL_EPOCH + dt.timedelta(days=int(number))).date()
            return serial_day, (_time_of_day(number) if number % 1 else None)
        return None, None
    day = parse_date(text)
    if day is not None and day.year < 1901:  # a time-only cell arrives dated 1899-12-31
        day = None
    match = _TIME.search(text)
    moment: dt.time | None = None
    if match:
        hour, minute, second = (int(g) if g else 0 for g in match.groups())
        if hour < 24 and minute < 60 and second < 60:
            moment = dt.time(hour, minute, second)
    return day, moment


@memo
def parse_date(text: str, default_year: int | None = None) -> dt.date | None:
    """`2026-11-21`, `2026/11/21 08:00`, `2026年11月21日`, `20261121`, `45982`, and with a default
    year `11月21日`, `11.21`, `11-21`. Searches inside longer text such as a sheet name."""
    text = clean_text(text)
    if not text:
        return None
    if _NUMBER.match(text):
        number = float(text)
        if 20000 < number < 80000:
            return (EXCEL_EPOCH + dt.timedelta(days=int(number))).date()
        text = text.split(".")[0]
    for pattern in (_FULL_DATE, _COMPACT_DATE):
        match = pattern.search(text)
        if match:
            return _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if default_year is not None:
        match = _MONTH_DAY.search(text)
        if match:
            return _make_date(default_year, int(match.group(1)), int(match.group(2)))
    return None


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@memo
def normalize_phone(text: str) -> str:
    """`13800138000.0`, `138 0013 8000`, `+86-138...` -> digits; keeps what cannot be read as it was."""
    if text.isascii() and text.isdigit() and not (len(text) == 13 and text.startswith("86")):
        return text
    text = clean_text(text)
    if not text:
        return ""
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    digits = re.sub(r"[\s\-()（）]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if digits.isdigit() else text


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


@memo
def parse_address(text: str) -> tuple[str, str, str]:
    """`3-2-502`, `3栋2单元502室`, `3号楼2单元502`, `1-101`, `幸福里3幢二单元502` -> (building, unit, room).

    Parts not present are empty strings; a text with no recognisable structure gives ("", "", "").
    """
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


@memo
def name_key(text: str) -> str:
    """The form of a name used for matching: NFKC, no spaces or middle dots, latin lower-cased."""
    return re.sub(r"[\s·•・.]", "", clean_text(text)).lower()


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


_AGE = re.compile(r"^(\d{1,3})(?:\.0+)?\s*(?:岁|周岁)?$")
_YEAR_MONTH = re.compile(r"^((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*月?$")


@memo
def parse_age(text: str) -> int | None:
    """`72`, `72岁`, `72.0` -> 72; anything else -> None."""
    match = _AGE.match(clean_text(text))
    return int(match.group(1)) if match and int(match.group(1)) <= 130 else None


@memo
def parse_birth(text: str) -> dt.date | None:
    """A birth date (`1950-03-08`, `1950年3月`, an Excel date) or the one inside a resident ID number."""
    text = clean_text(text).upper()
    if re.fullmatch(r"\d{17}[\dX]", text):
        return _make_date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    if re.fullmatch(r"\d{15}", text):
        return _make_date(1900 + int(text[6:8]), int(text[8:10]), int(text[10:12]))
    match = _YEAR_MONTH.match(text)
    if match:
        return _make_date(int(match.group(1)), int(match.group(2)), 1)
    day = parse_date(text)
    return day if day is not None and 1890 < day.year else None


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
