"""Small pure parsers for the cell values staff type: temperatures, yes/no, times, dates, phones, addresses.

Each parser takes one cell's text and returns a plain value; `table.columnwise.map_unique` applies one to
a whole column by parsing each distinct value once, which is what keeps a million-row export fast: a
check-in column holds a few thousand distinct texts at most.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

# Parsers are pure, so results are remembered across the sheets of one run: seven daily sheets of the
# same residents parse each name, phone and address once.
memo = lru_cache(maxsize=1 << 20)

EXCEL_EPOCH = dt.datetime(1899, 12, 30)

# Markers staff put in the check-in time column when a resident has not reported.
MISSING_MARKERS = frozenset(
    {"", "未打卡", "未填报", "未填", "未上报", "未提交", "未报", "无", "缺", "缺报", "未", "否",
     "-", "--", "—", "——", "/", "\\", "×", "x", "X", "nan", "none", "null", "n/a", "#n/a",
     "(跳过)", "(空)"}  # 问卷星 writes (跳过) for a question skipped by logic, (空) for one left blank
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


_DEGREES = r"(\d{2}(?:\.\d{1,2})?)\s*(?:°c|°|度|c)?"
_RANGE = re.compile(rf"^{_DEGREES}\s*(?:-|~|〜|至|到|—|–)\s*{_DEGREES}$")
_UP = r"(≥|>=|>|高于|超过|大于|不低于)"
_DOWN = r"(≤|<=|<|低于|小于|未超过|不超过|不高于)"
_ABOVE = re.compile(rf"^(?:{_UP[1:]}?\s*{_DEGREES}\s*(及|或|和)?以上$|^{_UP}\s*{_DEGREES}$")
_BELOW = re.compile(rf"^(?:{_DOWN[1:]}?\s*{_DEGREES}\s*(及|或|和)?以下$|^{_DOWN}\s*{_DEGREES}$")
_NOTE = re.compile(r"\(([^()]*)\)")
UNREADABLE_BAND = (math.nan, math.nan)


@memo
def parse_temperature_band(text: str) -> tuple[float, float] | None:
    """A temperature as a number or as the option a form offered -> its (low, high) bounds in ℃.

    `36.6` -> (36.6, 36.6); `36.5-37.2℃`, `37.3℃-37.9℃` -> (36.5, 37.2), (37.3, 37.9); `37.3℃及以上`,
    `38℃以上` -> (37.3, inf), (38.0, inf); `37.2℃及以下` -> (-inf, 37.2); `37.3℃以下` -> (-inf, just under 37.3).
    A note in brackets (`（请及时就医…）`) is ignored. 以上 counts its own number in, bare 以下 leaves it out, as
    forms that offer `37.3℃以下` next to `37.3℃及以上` mean. Blank -> None; unreadable -> (nan, nan).
    """
    exact = parse_temperature(text)
    if exact is None or not math.isnan(exact):
        return None if exact is None else (exact, exact)
    key = clean_text(text).lower().replace("(含)", "及").replace(" ", "")
    outside = _NOTE.sub("", key).strip("。.，,;；")
    band = _band(key) or _band(outside)
    if band is None and not re.search(r"\d", outside):  # `正常（37.3℃以下）`: the bracket holds the band
        band = next((b for b in map(_band, _NOTE.findall(key)) if b is not None), None)
    return band or UNREADABLE_BAND


_INTERVAL = re.compile(r"^([(\[])(-inf|\d{2}(?:\.\d{1,2})?),(\+?inf|\d{2}(?:\.\d{1,2})?)([)\]])$")


def _band(key: str) -> tuple[float, float] | None:
    if match := _INTERVAL.match(key):  # `(36.5, 36.9]`, `(-inf, 36]`, `(40, +inf)`
        low, high = float(match.group(2)), float(match.group(3))
        low = low if match.group(1) == "[" or math.isinf(low) else math.nextafter(low, math.inf)
        return low, high if match.group(4) == "]" or math.isinf(high) else math.nextafter(high, -math.inf)
    if match := _RANGE.match(key):
        low, high = sorted((float(match.group(1)), float(match.group(2))))
        return low, high
    if match := _ABOVE.match(key):
        return float(match.group(1) or match.group(4)), math.inf
    if match := _BELOW.match(key):
        high = float(match.group(1) or match.group(4))
        inclusive = bool(match.group(2)) or (match.group(3) or "").startswith(("≤", "<=", "不"))
        return -math.inf, high if inclusive else math.nextafter(high, -math.inf)
    return None


@memo
def parse_yes_no(text: str) -> tuple[bool | None, str]:
    """A symptoms answer -> (answered yes?, detail). A described symptom counts as yes and is kept."""
    text = clean_text(text)
    key = text.lower().rstrip("。.!！")
    if not key or key in {"-", "--", "—", "/", "nan", "(跳过)", "(空)"}:
        return None, ""
    if key in _NO_WORDS or key.startswith(_NO_PREFIXES):
        return False, ""
    if key in _YES_WORDS:
        return True, ""
    detail = re.sub(r"^(?:是|有)[,，:：、\s]*", "", text)
    return True, re.sub(r"\s*[┋|｜;；]\s*", "、", detail)  # multi-choice answers of form exports


@memo
def parse_normal_answer(text: str) -> bool | None:
    """A `体温是否正常` answer: 正常/是 -> True, 异常/不正常/否/发热 -> False, blank or other -> None."""
    key = clean_text(text).lower()
    if key.startswith(("不正常", "异常", "否", "发热", "发烧", "偏高")):
        return False
    if key.startswith(("正常", "是")):
        return True
    return None


_COLOURS = {"绿": "绿码", "黄": "黄码", "红": "红码", "灰": "灰码", "橙": "橙码", "green": "绿码", "yellow": "黄码",
            "red": "红码", "grey": "灰码", "gray": "灰码", "orange": "橙码"}
_COLOUR = re.compile("|".join(_COLOURS))


@memo
def parse_code_colour(text: str) -> str:
    """A health-code answer -> `绿码` `黄码` `红码` `灰码` `橙码`; blank -> ''; anything else -> '?'.

    `绿码`, `绿色`, `绿`, `黄码（请立即报告）`, `灰码（请在到威海后第1、第2、第4天各完成1次核酸检测）`.
    """
    key = _NOTE.sub("", clean_text(text).lower()) or clean_text(text).lower()
    if key in MISSING_MARKERS or key in {"(跳过)", "(空)"}:
        return ""
    match = _COLOUR.search(key)
    return _COLOURS[match.group(0)] if match else "?"


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
        if hour < 12 and re.search(r"下午|晚上|傍晚|pm", text, re.I):
            hour += 12
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


# ASCII digits that normalize_phone gives back as they are (all but 13 digits starting 86)
PLAIN_PHONE = r"^(?:\d{1,12}|\d{14,}|[0-79]\d{12}|8[0-57-9]\d{11})$"


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


# Names written in CJK Unified Ideographs alone (nearly all): NFKC leaves them as they are, they hold no
# space or dot and no letter to lower-case, so their clean text and their key are the name itself.
PLAIN_NAME = r"^[\x{4e00}-\x{9fff}]+$"


@memo
def name_key(text: str) -> str:
    """The form of a name used for matching: NFKC, no spaces or middle dots, latin lower-cased."""
    return re.sub(r"[\s·•・.]", "", clean_text(text)).lower()


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
