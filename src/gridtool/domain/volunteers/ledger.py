"""Crediting shifts (rate, multipliers, daily cap) and posting them with redemptions to each volunteer's
statement, in date order, so a redemption is judged against the balance it finds on its day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gridtool.domain.findings import Finding
from gridtool.domain.volunteers.checks import Roster
from gridtool.domain.volunteers.entries import Origin, Redemption, Shift, problem
from gridtool.domain.volunteers.rules import VolunteerRules
from gridtool.table.values import name_key

SERVICE, REDEMPTION = "service", "redemption"


@dataclass(frozen=True)
class Entry:
    """One line of a volunteer's statement: what was earned or drawn, and why, with the row it came from."""

    name: str
    date: dt.date
    kind: str
    what: str
    origin: Origin
    hours: float = 0.0
    points: float = 0.0
    redeemed_points: float = 0.0
    redeemed_hours: float = 0.0
    note: str = ""


def _fmt(value: float) -> str:
    return f"{round(value, 2):g}"


def night_hours(shift: Shift, rules: VolunteerRules) -> float:
    """Hours of the shift inside the night window (22:00–06:00 by default); 0 without start and end."""
    span = shift.interval()
    if span is None or rules.night_start == rules.night_end:
        return 0.0
    begin, end = span
    total = 0.0
    for offset in range(-1, (end.date() - begin.date()).days + 1):
        day = begin.date() + dt.timedelta(days=offset)
        wraps = rules.night_start > rules.night_end
        night_from = dt.datetime.combine(day, rules.night_start)
        night_to = dt.datetime.combine(day + dt.timedelta(days=1 if wraps else 0), rules.night_end)
        overlap = (min(end, night_to) - max(begin, night_from)).total_seconds() / 3600
        total += max(0.0, overlap)
    return total


def shift_points(shift: Shift, hours: float, rules: VolunteerRules) -> tuple[float, list[str]]:
    """Points for `hours` of this shift (fewer than it lasted when the daily cap cut it), and the rules applied."""
    night = night_hours(shift, rules) * hours / shift.hours if rules.night != 1 else 0.0
    factor = 1.0
    notes = []
    if night:
        notes.append(f"夜间 {_fmt(night)} 小时 ×{_fmt(rules.night)}")
    if rules.weekend != 1 and shift.date.weekday() >= 5:
        factor *= rules.weekend
        notes.append(f"周末 ×{_fmt(rules.weekend)}")
    if rules.urgent != 1 and shift.urgent:
        factor *= rules.urgent
        notes.append(f"紧急 ×{_fmt(rules.urgent)}")
    points = rules.rate(shift.service) * (hours - night + night * rules.night) * factor
    return round(points, 2), notes


def credit_shifts(shifts: Sequence[Shift], rules: VolunteerRules, display: dict[str, str]) -> list[Entry]:
    """A statement entry per shift; past the daily cap a person's later shifts that day earn nothing more."""
    used: dict[tuple[str, dt.date], float] = {}
    entries = []
    for shift in sorted(shifts, key=lambda s: (s.date, s.start or dt.time.min, s.origin.file, s.origin.row)):
        day = (name_key(shift.name), shift.date)
        hours = shift.hours
        notes = []
        if rules.daily_cap_hours:
            hours = max(0.0, min(shift.hours, rules.daily_cap_hours - used.get(day, 0.0)))
            used[day] = used.get(day, 0.0) + hours
            if hours < shift.hours:
                notes.append(f"超出每日上限 {_fmt(rules.daily_cap_hours)} 小时，{_fmt(shift.hours - hours)} 小时未计入")
        points, applied = shift_points(shift, hours, rules)
        what = f"{shift.service}（{shift.client or shift.building}）" if shift.client or shift.building else shift.service
        if shift.round_key:
            notes.insert(0, f"配送轮次 {shift.round_key}")
        entries.append(Entry(display.get(day[0], shift.name), shift.date, SERVICE, what, shift.origin,
                             round(hours, 2), points, note="；".join(applied + notes)))
    return entries


def post(services: Iterable[Entry], redemptions: Sequence[Redemption], roster: Roster, rules: VolunteerRules,
         display: dict[str, str]) -> tuple[dict[str, list[Entry]], list[Finding]]:
    """Every volunteer's statement in date order; a redemption that would take a balance below zero, or
    hours drawn by someone who is not a registered family member, is a finding and is not posted."""
    # a stable sort: a day's service in the order it was credited (by start time), then its redemptions by row
    events: list[Entry | Redemption] = [*services, *sorted(redemptions, key=lambda r: (r.origin.file, r.origin.row))]
    statements: dict[str, list[Entry]] = {}
    balance: dict[str, list[float]] = {}
    findings = []
    for event in sorted(events, key=lambda e: (e.date, isinstance(e, Redemption))):
        key = name_key(event.name)
        points, hours = balance.setdefault(key, [0.0, 0.0])
        if isinstance(event, Entry):
            balance[key] = [points + event.points, hours + event.hours]
            statements.setdefault(key, []).append(event)
            continue
        trouble = _refused(event, points, hours, roster, rules)
        if trouble:
            findings.append(trouble)
            continue
        balance[key] = [points - event.points, hours - event.hours]
        note = f"由家属 {event.redeemer} 使用" if event.redeemer and name_key(event.redeemer) != key else ""
        statements.setdefault(key, []).append(Entry(
            display.get(key, event.name), event.date, REDEMPTION, event.reward or "兑换", event.origin,
            redeemed_points=event.points, redeemed_hours=event.hours, note=note))
    return statements, findings


def _refused(item: Redemption, points: float, hours: float, roster: Roster,
             rules: VolunteerRules) -> Finding | None:
    who = item.name
    if item.hours and item.redeemer and name_key(item.redeemer) != name_key(who):
        member = roster.member(who)
        family = {name_key(f) for f in member.family} if member else set()
        if not rules.transfer_to_family:
            return problem(item.origin, "volunteer_transfer_closed", who, value=item.redeemer)
        if name_key(item.redeemer) not in family:
            return problem(item.origin, "volunteer_not_family", who, value=item.redeemer)
    short = []
    if item.points > points + 1e-9:
        short.append(f"积分余额 {_fmt(points)}，兑换 {_fmt(item.points)}")
    if item.hours > hours + 1e-9:
        short.append(f"小时余额 {_fmt(hours)}，兑换 {_fmt(item.hours)}")
    if short:
        return problem(item.origin, "volunteer_below_zero", who, value=item.reward, day=f"{item.date:%m月%d日}",
                       short="；".join(short))
    return None
