"""Delivery rounds credited as service: the 配送单 a volunteer took out, collected back into the follow-up log.

A volunteer's 配送单 of one day is one round of service (`gridtool requests` writes one per volunteer and
day; `gridtool collect` enters each ticked stop in the log as done). It is credited as the round service
type ([volunteers] round_service, default 送菜) for `minutes_per_stop` of every delivered stop (default 10):
a sheet of 15 stops all delivered is 2.5 hours. The log holds each stop once however often the sheet is
collected, and the round's key (day and volunteer) holds it once in the ledger.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gridtool import logformat
from gridtool.domain.findings import Finding
from gridtool.domain.loop.logread import load_log
from gridtool.domain.volunteers.entries import Origin, Shift, problem
from gridtool.domain.volunteers.rules import VolunteerRules
from gridtool.table.address import format_address, natural_key
from gridtool.table.values import parse_date

DELIVERY = "delivery"
NOBODY = "未分配"


def round_key(day: str, volunteer: str) -> str:
    return f"{day} {volunteer} 配送单"


def rounds_from_log(path: Path, rules: VolunteerRules) -> tuple[list[Shift], list[Finding]]:
    """One shift per volunteer and day with at least one delivered stop; a sheet that was never given to
    a volunteer (未分配) is reported, since nobody can be credited for it."""
    rows, _ = load_log(path)
    delivered = rows[(rows["kind"] == DELIVERY) & rows["closed"]]
    shifts: list[Shift] = []
    problems: list[Finding] = []
    for (day, volunteer), stops in delivered.groupby(["date", "worker"], sort=True):
        origin = Origin(path.name, logformat.LOG_SHEET, int(stops.index[0]) + 2)
        date = parse_date(str(day))
        if date is None:
            continue  # the log writes ISO dates; a row edited into nonsense is the log reader's to report
        if not volunteer.strip() or volunteer == NOBODY:
            problems.append(problem(origin, "volunteer_round_unassigned", "配送单", value=str(day),
                                    count=len(stops)))
            continue
        shifts.append(Shift(origin, volunteer, date, rules.round_service, _hours(len(stops), rules),
                            building=_buildings(stops), round_key=round_key(str(day), volunteer),
                            served=tuple(stops["name"].tolist())))
    return shifts, problems


def _hours(stops: int, rules: VolunteerRules) -> float:
    return stops * rules.minutes_per_stop / 60


def _buildings(stops: pd.DataFrame) -> str:
    return "、".join(sorted({format_address(b, "", "") or b for b in stops["building"] if b}, key=natural_key))
