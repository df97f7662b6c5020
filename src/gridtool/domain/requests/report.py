"""`gridtool requests`: load the request log (and roster, volunteers, route, follow-up log), triage every
request, count the hot topics and plan the delivery rounds. Returns a result; prints and writes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gridtool.config import Settings
from gridtool.domain.findings import Finding, finding, reading_findings
from gridtool.domain.people.residents import field_text, people_frame, stack_tables
from gridtool.domain.requests import topics
from gridtool.domain.requests.rounds import Round, Volunteer, parse_buildings, plan_rounds
from gridtool.domain.requests.rules import OTHER, Rules, rules_from
from gridtool.domain.requests.triage import base_frame, judge, parse_moment
from gridtool.domain.sources import Loaded, Progress, kind_missing, load_sources
from gridtool.table.address import split_building
from gridtool.table.columnwise import map_unique
from gridtool.table.header import Table


@dataclass
class RequestResult:
    now: dt.datetime
    rules: Rules
    requests: pd.DataFrame
    by_category: pd.DataFrame
    by_building: pd.DataFrame
    by_day: pd.DataFrame
    day_change: pd.DataFrame
    close_by_category: pd.DataFrame
    close_by_handler: pd.DataFrame
    rounds: list[Round]
    volunteers: list[Volunteer]
    problems: list[Finding] = field(default_factory=list)

    @property
    def other(self) -> pd.DataFrame:
        """Requests no keyword caught: the list to grow the keywords from."""
        return self.requests[self.requests["category"] == OTHER]

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The counts the summary workbook shows, by name."""
        return {"by_category": self.by_category, "by_day": self.by_day, "by_building": self.by_building,
                "close_by_category": self.close_by_category, "close_by_handler": self.close_by_handler,
                "attention": self.attention}

    @property
    def stops(self) -> pd.DataFrame:
        """Every stop of every round, in round and stop order, with its volunteer."""
        if not self.rounds:
            return self.requests.head(0).assign(round=0, stop=0, volunteer="", volunteer_phone="")
        sizes = [r.size for r in self.rounds]  # the rounds share one frame; the volunteers repeated over it
        people = [r.volunteer or Volunteer("") for r in self.rounds]
        return self.rounds[0].every_stop.assign(
            volunteer=np.repeat(np.array([v.name for v in people], dtype=object), sizes),
            volunteer_phone=np.repeat(np.array([v.phone for v in people], dtype=object), sizes))

    @property
    def attention(self) -> pd.DataFrame:
        """Open requests that are urgent or overdue, urgent first, longest waiting first."""
        frame = self.requests
        hot = frame[(frame["status"] != "closed") & (frame["urgent"] | frame["overdue"])]
        return hot.sort_values(["urgent", "overdue", "waited_hours"], ascending=False, kind="stable")


def volunteer_list(tables: list[Table]) -> list[Volunteer]:
    """The volunteers who deliver: from the volunteer roster, those with 负责楼栋 when the roster names any,
    else every volunteer, each serving their own 所在楼栋."""
    if not tables:
        return []
    rows = stack_tables(tables)
    names, phones, hours = field_text(rows, "name"), field_text(rows, "phone"), field_text(rows, "available")
    served = field_text(rows, "served_buildings")
    delivering = served != "" if (served != "").any() else names != ""
    served = served.where(served != "", field_text(rows, "building"))
    found = [Volunteer(n, p, parse_buildings(s), h)
             for n, p, s, h, d in zip(names, phones, served, hours, delivering, strict=True) if n and d]
    return list({v.name: v for v in found}.values())


def route_list(tables: list[Table]) -> list[str]:
    """The buildings of a route sheet in the order it gives (by its 顺序 column)."""
    if not tables:
        return []
    rows = stack_tables(tables)
    order = pd.to_numeric(field_text(rows, "order").str.extract(r"(\d+)", expand=False), errors="coerce")
    buildings = map_unique(rows["building"], lambda t: split_building(t)[0])
    ranked = pd.DataFrame({"b": buildings, "o": order.fillna(1e9)}).sort_values("o", kind="stable")
    return list(dict.fromkeys(b for b in ranked["b"] if b))


def closed_requests(log_path: Path | None) -> pd.DataFrame | None:
    """Requests a returned 配送单 closed (from the follow-up log `gridtool collect` keeps): identity, worker, when."""
    if log_path is None:
        return None
    from gridtool.domain.loop.logread import load_log

    log, _ = load_log(log_path)
    closed = log[log["closed"].astype(bool) & (log["kind"] == "delivery")]
    answered = map_unique(closed["answered_at"], parse_moment)
    collected = map_unique(closed["collected_at"], lambda t: parse_moment(t.replace("T", " ")))
    return pd.DataFrame({"identity": closed["person_key"] + "|" + closed["reason"], "worker": closed["worker"],
                         "when": answered.where(answered.notna(), collected)})


def triage_requests(paths: list[Path], settings: Settings, now: dt.datetime, log_path: Path | None = None,
                    round_size: int | None = None, progress: Progress | None = None) -> RequestResult:
    loaded = load_sources(paths, settings, progress)
    if not loaded.tables["requests"]:
        raise kind_missing(loaded, paths, "居民诉求登记表", "诉求表需要「诉求内容」（或「诉求」「需求」「求助内容」）列。",
                           "列名不同时，可在 gridtool.toml 的 [columns] 中添加，例如 request = [\"反映事项\"]。")
    rules = rules_from(settings)
    frame, problems = base_frame(loaded.tables["requests"], rules)
    problems = reading_findings(loaded.read_notes) + problems
    frame = judge(frame, rules, now, closed_requests(log_path), _roster(loaded))
    volunteers = volunteer_list(loaded.tables["volunteer_roster"])
    stops = frame[frame["deliver"] & (frame["building"] != "")]
    problems += [finding("request_no_building", str(r.file), str(r.sheet), int(r.row), value=r.name, text=r.text)
                 for r in frame[frame["deliver"] & (frame["building"] == "")].itertuples()]
    rounds = plan_rounds(stops, round_size or rules.round_size, route_list(loaded.tables["route"]), volunteers)
    day_counts, day_change = topics.by_day(frame, rules)
    return RequestResult(
        now=now, rules=rules, requests=frame, by_category=topics.by_category(frame, rules),
        by_building=topics.by_building(frame, rules), by_day=day_counts, day_change=day_change,
        close_by_category=topics.time_to_close(frame, "category"),
        close_by_handler=topics.time_to_close(frame, "handler"), rounds=rounds, volunteers=volunteers,
        problems=problems)


def _roster(loaded: Loaded) -> pd.DataFrame | None:
    tables = loaded.tables["roster"]
    return people_frame(stack_tables(tables)) if tables else None


@dataclass
class RequestFigures:
    """What the command centre's page shows of the requests on one day: per category the totals, how many
    were logged that day and the change on the day before; the urgent open ones; open ones per place."""

    by_category: pd.DataFrame  # category, total, open, urgent, overdue, today, change
    urgent_open: int
    open_by_place: pd.DataFrame  # building, unit, open (open requests per building and unit)


def request_figures(tables: list[Table], settings: Settings, now: dt.datetime) -> RequestFigures:
    """The same triage as `gridtool requests` (categories, urgency, overdue as of `now`), counted for the day."""
    rules = rules_from(settings)
    frame, _ = base_frame(tables, rules)
    frame = judge(frame, rules, now, None)
    counts = topics.by_category(frame, rules)
    today, change = topics.day_and_change(frame, rules, now.date())
    counts["today"] = counts["category"].map(today).fillna(0).astype(int)
    counts["change"] = counts["category"].map(change).fillna(0).astype(int)
    still = frame[frame["status"] != "closed"]
    places = still.groupby(["building", "unit"], sort=True).size().rename("open").reset_index()
    return RequestFigures(counts, int(still["urgent"].sum()), places)
