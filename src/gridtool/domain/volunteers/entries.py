"""Rows of the volunteer sheets as shifts, redemptions and roster members; rows that cannot count are findings.

Every record keeps its origin (file, sheet, row) so any problem points at the row to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from gridtool.domain.findings import Finding, finding
from gridtool.domain.stock.levels import read_number
from gridtool.table.address import format_address, normalize_building
from gridtool.table.header import Table
from gridtool.table.values import clean_text, name_key, normalize_phone, parse_date, parse_timestamp, parse_yes_no

T = TypeVar("T")
# A duration and its start/end may differ by rounding (1.5 h written for 08:00-09:40) but not more.
TOLERANCE_HOURS = 0.25
EARLY_MORNING = dt.time(12, 0)
_NUMBER = r"(\d+(?:\.\d+)?)"
_HOUR_UNIT = r"(?:小时|个小时|h|hr|hrs|hour|hours)"
_MINUTE_UNIT = r"(?:分钟|分|min|mins)"
_HOURS = re.compile(rf"^{_NUMBER}{_HOUR_UNIT}?$")
_MINUTES = re.compile(rf"^{_NUMBER}{_MINUTE_UNIT}$")
_HOURS_MINUTES = re.compile(rf"^{_NUMBER}(?:{_HOUR_UNIT}|时){_NUMBER}{_MINUTE_UNIT}?$")


@dataclass(frozen=True)
class Origin:
    file: str
    sheet: str
    row: int

    @property
    def place(self) -> str:
        where = f"{self.file}「{self.sheet}」" if self.sheet else self.file
        return f"{where} 第{self.row}行"


@dataclass(frozen=True)
class Shift:
    """One stretch of service: who, when, what, and the hours it lasted (from the duration or start/end)."""

    origin: Origin
    name: str
    date: dt.date
    service: str
    hours: float
    start: dt.time | None = None
    end: dt.time | None = None
    client: str = ""
    building: str = ""
    reviewer: str = ""
    urgent: bool = False
    round_key: str = ""  # the delivery round it was credited from, for shifts taken from the follow-up log
    served: tuple[str, ...] = ()  # the residents a delivery round served

    @property
    def key(self) -> tuple[object, ...]:
        """What makes two rows the same entry typed twice."""
        return (name_key(self.name), self.date, self.service, self.start, self.end, round(self.hours, 2),
                self.client, self.building)

    def interval(self) -> tuple[dt.datetime, dt.datetime] | None:
        """Start and end as moments; a shift past midnight ends on the next day."""
        if self.start is None or self.end is None:
            return None
        begin = dt.datetime.combine(self.date, self.start)
        return begin, begin + dt.timedelta(hours=self.hours)


@dataclass(frozen=True)
class Redemption:
    """Points or time-bank hours drawn from a volunteer's account, perhaps by a family member."""

    origin: Origin
    name: str
    date: dt.date
    reward: str
    points: float = 0.0
    hours: float = 0.0
    redeemer: str = ""
    handler: str = ""


@dataclass(frozen=True)
class Member:
    name: str
    phone: str = ""
    group: str = ""
    building: str = ""
    family: tuple[str, ...] = ()


def parse_hours(text: str) -> float | None:
    """`2`, `2小时`, `1.5h`, `90分钟`, `1小时30分`, `-1` -> hours; blank or unreadable -> None."""
    text = clean_text(text).lower().replace(" ", "")
    unsigned = text.removeprefix("-")
    if match := _HOURS.match(unsigned):
        hours = float(match.group(1))
    elif match := _MINUTES.match(unsigned):
        hours = float(match.group(1)) / 60
    elif match := _HOURS_MINUTES.match(unsigned):
        hours = float(match.group(1)) + float(match.group(2)) / 60
    else:
        return None
    return -hours if text.startswith("-") else hours


def building_label(text: str) -> str:
    """`1`, `1号楼`, `一栋` -> `1栋`: one spelling per building, so totals per building add up."""
    return format_address(normalize_building(text), "", "")


def is_urgent(text: str) -> bool:
    text = clean_text(text)
    return ("急" in text and "不急" not in text) or parse_yes_no(text) == (True, "")


def problem(origin: Origin, code: str, name: str, column: str = "", value: object = "", **details: object) -> Finding:
    """The finding `code` for this row; its message comes from the findings catalogue."""
    return finding(code, origin.file, origin.sheet, origin.row, column, value=value, item=name,
                   **details)


def _rows(table: Table) -> list[tuple[Origin, dict[str, str]]]:
    records = table.data.to_dict("index")
    return [(Origin(table.path.name, table.sheet, int(row)), {k: clean_text(v) for k, v in values.items()})
            for row, values in records.items()]


def read_members(table: Table) -> list[Member]:
    members = []
    for _origin, cells in _rows(table):
        if cells.get("name"):
            family = tuple(n for n in re.split(r"[、,，;；/\s]+", cells.get("family", "")) if n)
            members.append(Member(cells["name"], normalize_phone(cells.get("phone", "")), cells.get("group", ""),
                                  building_label(cells.get("building", "")), family))
    return members


def _read(table: Table, year: int, read: Callable[[Origin, dict[str, str], int, dict[str, str]], T | Finding]
          ) -> tuple[list[T], list[Finding]]:
    """Every row read; the records, and the findings for rows that cannot count."""
    records: list[T] = []
    problems: list[Finding] = []
    for origin, cells in _rows(table):
        found = read(origin, cells, year, table.letters)
        if isinstance(found, Finding):
            problems.append(found)
        else:
            records.append(found)
    return records, problems


def read_shifts(table: Table, year: int) -> tuple[list[Shift], list[Finding]]:
    return _read(table, year, read_shift)


def read_shift(origin: Origin, cells: dict[str, str], year: int, letters: dict[str, str]) -> Shift | Finding:
    """One service-log row as a shift, or the finding that says why it cannot count."""
    name = cells.get("name", "")
    start_day, start = parse_timestamp(cells["start"]) if cells.get("start") else (None, None)
    _, end = parse_timestamp(cells["end"]) if cells.get("end") else (None, None)
    day = parse_date(cells.get("date", ""), year) or start_day
    if not name:
        return problem(origin, "volunteer_no_name", "", letters.get("name", ""))
    if day is None:
        return _no_date(origin, name, cells.get("date", ""), letters)
    hours = _shift_hours(origin, name, cells, start, end, letters)
    if isinstance(hours, Finding):
        return hours
    return Shift(origin, name, day, cells.get("service", "") or "未填类型", hours, start, end,
                 cells.get("client", ""), building_label(cells.get("building", "")), cells.get("reviewer", ""),
                 is_urgent(cells.get("urgent", "")) or is_urgent(cells.get("service", "")))


def _no_date(origin: Origin, name: str, text: str, letters: dict[str, str]) -> Finding:
    if text:
        return problem(origin, "volunteer_bad_date", name, letters.get("date", ""), text)
    return problem(origin, "volunteer_no_date", name, letters.get("date", ""))


def _shift_hours(origin: Origin, name: str, cells: dict[str, str], start: dt.time | None, end: dt.time | None,
                 letters: dict[str, str]) -> float | Finding:
    """Hours from the duration or from start and end; an impossible value is a finding, never a guess."""
    text = cells.get("duration", "")
    duration = parse_hours(text) if text else None
    column = letters.get("duration", "")
    if text and duration is None:
        return problem(origin, "volunteer_bad_duration", name, column, text, why="无法识别")
    if duration is not None and not 0 < duration <= 24:
        word = "为负数" if duration < 0 else "为 0" if duration == 0 else "超过 24 小时"
        return problem(origin, "volunteer_bad_duration", name, column, text, why=word)
    if start is None or end is None:
        if duration is None:
            return problem(origin, "volunteer_no_duration", name)
        return duration
    return _span_hours(origin, name, start, end, duration, letters)


def _span_hours(origin: Origin, name: str, start: dt.time, end: dt.time, duration: float | None,
                letters: dict[str, str]) -> float | Finding:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    shown = f"{start:%H:%M}–{end:%H:%M}"
    if minutes < 0:  # past midnight only when the end is early morning and the duration says so
        overnight = (minutes + 24 * 60) / 60
        if duration is not None and end <= EARLY_MORNING and abs(duration - overnight) <= TOLERANCE_HOURS:
            return duration
        return problem(origin, "volunteer_end_before_start", name, letters.get("end", ""), shown)
    if minutes == 0 and duration is None:
        return problem(origin, "volunteer_same_start_end", name, letters.get("end", ""), shown)
    if duration is not None and abs(duration - minutes / 60) > TOLERANCE_HOURS:
        return problem(origin, "volunteer_duration_mismatch", name, letters.get("duration", ""), f"{duration:g}", span=shown,
                       hours=f"{minutes / 60:g}")
    return duration if duration is not None else minutes / 60


def read_redemptions(table: Table, year: int) -> tuple[list[Redemption], list[Finding]]:
    return _read(table, year, read_redemption)


def read_redemption(origin: Origin, cells: dict[str, str], year: int,
                    letters: dict[str, str]) -> Redemption | Finding:
    name = cells.get("name", "") or cells.get("redeemer", "")
    day = parse_date(cells.get("date", ""), year)
    if not name:
        return problem(origin, "volunteer_no_name", "", letters.get("redeemer", letters.get("name", "")))
    if day is None:
        return _no_date(origin, name, cells.get("date", ""), letters)
    amounts = {}
    for field, word in (("points", "积分"), ("hours", "小时")):
        text = cells.get(field, "")
        value = (read_number(text) if field == "points" else parse_hours(text)) if text else None
        if text and (value is None or value < 0):
            why = "无法识别" if value is None else "为负数"
            return problem(origin, "volunteer_bad_amount", name, letters.get(field, ""), text, what=word, why=why)
        amounts[field] = value or 0.0
    if not amounts["points"] and not amounts["hours"]:
        return problem(origin, "volunteer_no_amount", name)
    redeemer = cells.get("redeemer", "") if cells.get("name") else ""
    return Redemption(origin, name, day, cells.get("reward", ""), amounts["points"], amounts["hours"],
                      redeemer, cells.get("handler", ""))
