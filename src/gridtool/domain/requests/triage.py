"""Request tables -> one frame, a row per request: who and where, category, urgency, status, waiting time.

Every step is a column operation; each distinct text (a time, a status, a request) is parsed once.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gridtool.domain.checkins.flagged import item_key
from gridtool.domain.findings import Finding, finding
from gridtool.domain.people.residents import ages_on, field_text, people_frame, raw_column, stack_tables
from gridtool.domain.requests.categories import categorise, urgent_word
from gridtool.domain.requests.rules import CLOSED_REQUEST, IN_PROGRESS, Rules
from gridtool.table.columnwise import map_unique
from gridtool.table.header import Table
from gridtool.table.values import parse_timestamp

CARE = ("药品", "就医")  # a vulnerable resident asking for these is urgent
CLOSED_BY_LOG = "已办结（配送单收回）"


def parse_moment(text: str) -> dt.datetime | None:
    """A logged or completed time with its date (`2026-11-21 09:10`, `2026/11/21`, an Excel serial), else None."""
    day, moment = parse_timestamp(text)
    return dt.datetime.combine(day, moment or dt.time()) if day else None


def delivery_key(day: dt.date, person_key: str, reason: str) -> str:
    """A 配送单 row's key: the day, the resident and the request (its words and when it was logged), like
    every key gridtool issues; the resident and the reason say it is the same request on another day."""
    return item_key(day, f"delivery|{person_key}|{reason}")


PLAIN_MOMENT = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"  # 2026-11-21 09:10: read in bulk, as parse_moment reads it


def _moments(rows: pd.DataFrame, field: str) -> pd.Series:
    """Each row's time; the plain `2026-11-21 09:10` form in bulk, every other text by parse_moment once."""
    column = raw_column(rows, field)
    plain = column.astype(object).astype(str).str.fullmatch(PLAIN_MOMENT) & column.notna()
    moments = pd.to_datetime(column.where(plain), format="%Y-%m-%d %H:%M", errors="coerce")
    left = moments.isna()  # not plain, or plain with an hour past 23 (parse_moment keeps its day)
    if left.any():
        moments[left] = pd.to_datetime(map_unique(column[left], parse_moment), errors="coerce")
    return moments


def _status(status: pd.Series) -> pd.Series:
    """closed, in_progress or open, from the status staff typed (已办结, 处理中, 是否办结 = 是 …)."""
    closed = status.str.startswith(CLOSED_REQUEST) | status.isin(("是", "已", "yes"))
    busy = status.str.contains("|".join(IN_PROGRESS), regex=True)
    return pd.Series(np.where(closed, "closed", np.where(busy, "in_progress", "open")), index=status.index)


def base_frame(tables: list[Table], rules: Rules) -> tuple[pd.DataFrame, list[Finding]]:
    """Who asked what, when, in what state, and under which category; rows without a request are findings."""
    rows = stack_tables(tables)
    people = people_frame(rows)
    text = field_text(rows, "request")
    status_text = field_text(rows, "status")
    frame = people[["name", "name_key", "building", "unit", "room", "phone", "person_key", "birth", "age_given",
                    "alone", "chronic", "file", "sheet", "row"]].assign(
        text=text, status_text=status_text, status=_status(status_text), handler=field_text(rows, "handler"),
        logged_at=_moments(rows, "logged_at"), closed_at=_moments(rows, "closed_at"))
    frame = frame.join(categorise(text, rules, field_text(rows, "category")))
    frame["urgent_word"] = urgent_word(text, rules)
    empty = frame["text"] == ""
    problems = [finding("empty_request", r.file, r.sheet, int(r.row), value=r.name)
                for r in frame[empty & (frame["name"] != "")].itertuples()]
    unlogged = frame[~empty & frame["logged_at"].isna()]
    if "logged_at" in rows.columns and len(unlogged):
        first = unlogged.iloc[0]
        problems.append(finding("no_logged_time", str(first.file), str(first.sheet), int(first.row),
                                value=first["name"], count=len(unlogged)))
    frame = frame[~empty].reset_index(drop=True)
    logged = frame["logged_at"].dt.strftime("%m月%d日%H:%M").fillna("")
    frame["reason"] = frame["text"] + ("（" + logged + "登记）").where(logged != "", "")
    frame["identity"] = frame["person_key"] + "|" + frame["reason"]
    return frame, problems


def vulnerable(frame: pd.DataFrame, roster: pd.DataFrame | None, day: dt.date, elderly_age: int) -> pd.Series:
    """Why a requester is vulnerable (78岁、独居、慢性病), from the request row and the roster; '' when not."""
    profile = frame[["birth", "age_given", "alone", "chronic"]]
    if roster is not None and len(roster):
        cols = ["person_key", "birth", "age_given", "alone", "chronic"]
        known = roster[cols].drop_duplicates("person_key").set_index("person_key")
        from_roster = known.reindex(frame["person_key"]).set_index(frame.index)
        profile = from_roster.where(from_roster["alone"].notna(), profile)
    ages = ages_on(profile, day)
    parts = [np.where(ages >= elderly_age, ages.fillna(0).astype(int).astype(str) + "岁", ""),
             np.where(profile["alone"].fillna(False).astype(bool), "独居", ""),
             np.where(profile["chronic"].fillna("").astype(str) != "", "慢性病", "")]
    return pd.Series(["、".join(p for p in row if p) for row in zip(*parts, strict=True)], index=frame.index)


def judge(frame: pd.DataFrame, rules: Rules, now: dt.datetime, closed_log: pd.DataFrame | None,
          roster: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add done-by-log, urgency, waiting hours, overdue and whether a volunteer should deliver it."""
    frame = frame.copy()
    frame["key"] = [delivery_key(now.date(), p, r) for p, r in zip(frame["person_key"], frame["reason"], strict=True)]
    if closed_log is not None and len(closed_log):
        done = closed_log.drop_duplicates("identity", keep="last").set_index("identity")
        hit = frame["identity"].isin(done.index) & (frame["status"] != "closed")
        found = done.reindex(frame.loc[hit, "identity"])
        frame.loc[hit, "status"] = "closed"
        frame.loc[hit, "status_text"] = CLOSED_BY_LOG
        frame.loc[hit, "handler"] = found["worker"].to_numpy()
        frame.loc[hit, "closed_at"] = pd.to_datetime(found["when"], errors="coerce").to_numpy()
    reason = vulnerable(frame, roster, now.date(), rules.elderly_age)
    asks_care = frame["category"].isin(CARE) | frame["second"].isin(CARE)
    frame["urgent"] = (frame["urgent_word"] != "") | ((reason != "") & asks_care)
    frame["urgent_reason"] = frame["urgent_word"].where(frame["urgent_word"] != "",
                                                        np.where(frame["urgent"], reason + "，" + frame["category"], ""))
    closed = frame["status"] == "closed"
    end = frame["closed_at"].where(closed, pd.Timestamp(now))
    hours = (end - frame["logged_at"]).dt.total_seconds() / 3600
    limit = np.where(frame["urgent"], rules.urgent_overdue_hours, rules.overdue_hours)
    frame["overdue"] = ~closed & (hours > limit)
    frame["waited_hours"] = hours.round(1)
    frame["deliver"] = ~closed & (frame["category"].isin(rules.deliver) | frame["second"].isin(rules.deliver))
    frame["day"] = frame["logged_at"].dt.strftime("%Y-%m-%d").fillna("")
    return frame
