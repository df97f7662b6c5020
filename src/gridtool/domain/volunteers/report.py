"""`gridtool volunteers`: read the volunteer sheets, check them, credit what may count, and total it up.

The balance is as of the end of the period (`--to`); hours, points and redemptions are those inside it
(`--from` to `--to`), which is what the leaderboard ranks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridtool.config import Settings
from gridtool.domain.findings import Finding, reading_findings
from gridtool.domain.sources import Progress, kind_missing, load_sources
from gridtool.domain.volunteers.checks import Roster, check_duplicates, check_names, check_overlaps, check_rounds
from gridtool.domain.volunteers.entries import Member, Redemption, Shift, read_members, read_redemptions, read_shifts
from gridtool.domain.volunteers.ledger import Entry, credit_shifts, post
from gridtool.domain.volunteers.rounds import rounds_from_log
from gridtool.domain.volunteers.rules import VolunteerRules, volunteer_rules
from gridtool.table.values import name_key

UNREGISTERED = "（未登记）"


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    def __contains__(self, day: object) -> bool:
        assert isinstance(day, dt.date)
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def label(self) -> str:
        if self.start is None and self.end is None:
            return "全部记录"
        return f"{self.start or '最早'} 至 {self.end or '最新'}"


EVERYTHING = Period()


@dataclass(frozen=True)
class Balance:
    """A volunteer's figures: served and redeemed inside the period, balance at its end."""

    name: str
    group: str
    building: str
    hours: float
    points: float
    redeemed_points: float
    redeemed_hours: float
    balance_points: float
    balance_hours: float
    shifts: int

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "hours": self.hours, "points": self.points,
                "redeemed_points": self.redeemed_points, "redeemed_hours": self.redeemed_hours,
                "balance_points": self.balance_points, "balance_hours": self.balance_hours,
                "group": self.group, "building": self.building, "shifts": self.shifts}


@dataclass
class VolunteerResult:
    period: Period
    rules: VolunteerRules
    volunteers: list[Balance]
    statements: dict[str, list[Entry]]
    problems: list[Finding]
    roster_given: bool = False
    files: list[str] = field(default_factory=list)

    @property
    def leaderboard(self) -> list[tuple[int, Balance]]:
        """Volunteers who served in the period, most points first; equal points and hours share a rank."""
        ranked = sorted((b for b in self.volunteers if b.hours > 0), key=lambda b: (-b.points, -b.hours, b.name))
        places: list[tuple[int, Balance]] = []
        for index, item in enumerate(ranked):
            same = places and (places[-1][1].points, places[-1][1].hours) == (item.points, item.hours)
            places.append((places[-1][0] if same else index + 1, item))
        return places

    def thanked(self, top: int | None, min_hours: float | None) -> list[tuple[int, Balance]]:
        """Who gets a thank-you letter: the first `top` places, and everyone with at least `min_hours`."""
        return [(rank, item) for rank, item in self.leaderboard
                if (top is not None and rank <= top) or (min_hours is not None and item.hours >= min_hours)]

    def span_label(self) -> str:
        """The period in words for a letter: its bounds, or the first and last day served."""
        days = [e.date for entries in self.statements.values() for e in entries if e.date in self.period]
        first, last = self.period.start or min(days, default=None), self.period.end or max(days, default=None)
        if first is None or last is None:
            return "近期"
        tail = f"{last.month}月{last.day}日" if last.year == first.year else f"{last.year}年{last.month}月{last.day}日"
        return f"{first.year}年{first.month}月{first.day}日至{tail}"

    def totals(self, by: str) -> list[dict[str, Any]]:
        """Volunteers, hours and points in the period per group (`group`) or per building (`building`)."""
        groups: dict[str, dict[str, Any]] = {}
        for item in self.volunteers:
            key = getattr(item, by) or UNREGISTERED
            row = groups.setdefault(key, {by: key, "volunteers": 0, "hours": 0.0, "points": 0.0})
            row["volunteers"] += 1
            row["hours"] = round(row["hours"] + item.hours, 2)
            row["points"] = round(row["points"] + item.points, 2)
        return sorted(groups.values(), key=lambda r: (r[by] == UNREGISTERED, r[by]))

    def to_dict(self) -> dict[str, object]:
        return {"period": {"from": _iso(self.period.start), "to": _iso(self.period.end)},
                "volunteers": [b.to_dict() for b in self.volunteers],
                "problems": [{"file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column, "value": p.value,
                              "name": p.item, "type": p.type, "message": p.message} for p in self.problems],
                "groups": self.totals("group"), "buildings": self.totals("building")}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class Sheets:
    shifts: list[Shift]
    redemptions: list[Redemption]
    members: list[Member]
    problems: list[Finding]
    files: list[str]
    logs: list[Path] = field(default_factory=list)  # follow-up logs holding collected 配送单


def read_volunteer_sheets(paths: Sequence[Path], settings: Settings, year: int,
                          progress: Progress | None = None) -> Sheets:
    loaded = load_sources(paths, settings, progress)
    if not any(loaded.tables[kind] for kind in ("service_log", "redemptions", "followlog")):
        raise kind_missing(loaded, paths, "志愿服务记录、积分兑换记录或收回了配送单的跟进记录",
                           "志愿服务记录需要「志愿者」「服务类型」「日期」列，以及「时长(小时)」或「开始时间」「结束时间」；"
                           "积分兑换记录需要「兑换人」「兑换内容」「日期」和「积分」或「小时」列。",
                           "列名不同时，可在 gridtool.toml 的 [columns] 中添加，例如 name = [\"服务人姓名\"]。")
    sheets = Sheets([], [], [], reading_findings(loaded.read_notes), sorted({s.file for s in loaded.sources}),
                    list(dict.fromkeys(t.path for t in loaded.tables["followlog"])))
    for table in loaded.tables["service_log"]:
        found, trouble = read_shifts(table, year)
        sheets.shifts += found
        sheets.problems += trouble
    for table in loaded.tables["redemptions"]:
        taken, trouble = read_redemptions(table, year)
        sheets.redemptions += taken
        sheets.problems += trouble
    for table in loaded.tables["volunteer_roster"]:
        sheets.members += read_members(table)
    return sheets


def volunteer_report(paths: Sequence[Path], settings: Settings, period: Period = EVERYTHING,
                     progress: Progress | None = None, today: dt.date | None = None) -> VolunteerResult:
    """The ledger of the given sheets; a follow-up log among them credits its collected 配送单 as rounds."""
    rules = volunteer_rules(settings)
    sheets = read_volunteer_sheets(paths, settings, (period.end or today or dt.date.today()).year, progress)
    rounds: list[Shift] = []
    for log in sheets.logs:
        found, trouble = rounds_from_log(log, rules)
        rounds += found
        sheets.problems += trouble
    return settle(sheets, rules, period, rounds)


def settle(sheets: Sheets, rules: VolunteerRules, period: Period, rounds: Sequence[Shift] = ()) -> VolunteerResult:
    """Checks first, then the ledger over what passed them; entries after the period are not read."""
    upto = Period(None, period.end)
    roster = Roster.of(sheets.members)
    shifts = [s for s in sheets.shifts if s.date in upto]
    redemptions = [r for r in sheets.redemptions if r.date in upto]
    credited_rounds = list({r.round_key: r for r in reversed([r for r in rounds if r.date in upto])}.values())
    shifts, redemptions, unknown = check_names(shifts, redemptions, roster)
    credited_rounds, _, unknown_rounds = check_names(credited_rounds, [], roster)
    shifts, duplicates = check_duplicates(shifts)
    shifts, twice = check_rounds(shifts, credited_rounds)
    shifts, overlaps = check_overlaps([*shifts, *credited_rounds])
    display = {name_key(m.name): m.name for m in sheets.members}
    statements, refused = post(credit_shifts(shifts, rules, display), redemptions, roster, rules, display)
    problems = sheets.problems + unknown + unknown_rounds + duplicates + twice + overlaps + refused
    problems.sort(key=lambda p: (p.file, p.sheet, p.row or 0))
    return VolunteerResult(period, rules, balances(statements, roster, period), statements, problems,
                           bool(roster), sheets.files)


def balances(statements: dict[str, list[Entry]], roster: Roster, period: Period) -> list[Balance]:
    """One balance per volunteer on the roster or with a statement, in roster order then by name."""
    keys = list(roster.members) + sorted(k for k in statements if k not in roster.members)
    result = []
    for key in keys:
        entries = statements.get(key, [])
        member = roster.members.get(key)
        inside = [e for e in entries if e.date in period]
        name = member.name if member else entries[0].name
        result.append(Balance(
            name, member.group if member else "", member.building if member else "",
            _sum(e.hours for e in inside), _sum(e.points for e in inside),
            _sum(e.redeemed_points for e in inside), _sum(e.redeemed_hours for e in inside),
            _sum(e.points - e.redeemed_points for e in entries), _sum(e.hours - e.redeemed_hours for e in entries),
            sum(1 for e in inside if e.kind == "service")))
    return result


def _sum(values: Iterable[float]) -> float:
    return round(sum(values, 0.0), 2)
