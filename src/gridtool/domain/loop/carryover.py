"""The follow-up log feeding the next run: what was resolved is not handed out again, and what is still
open goes back on the worker's list, saying since when, the overdue ones first.

A resident's follow-ups form a chain: an item left open is carried to the next day's list as a
`carried` item; closing any link of the chain (even on a sheet returned late) closes the chain. A
resident flagged again after a closed chain starts a new one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridtool.domain.checkins.daystatus import UNASSIGNED
from gridtool.domain.checkins.flagged import REASONS, item_key
from gridtool.table.columnwise import records, texts_in

CARRIED_TIER = 5
ESCALATED_TIER = -1  # above even a high fever: the office promised an answer and it is overdue
FOLLOWUP_KINDS = ("followup", "carried")
OVERDUE_MARK = "【超时】"


@dataclass(frozen=True)
class Deadline:
    """When a run happens and how long an item may stay open before it is escalated."""

    now: dt.datetime
    hours: float


def resolved_today(flagged: pd.DataFrame, log: pd.DataFrame, target: dt.date) -> pd.Series:
    """The closing answer already logged today for each flagged resident, else ''."""
    done = log[(log["date"] == target.isoformat()) & log["closed"].astype(bool)
               & log["kind"].isin(FOLLOWUP_KINDS)]
    answers = dict(zip(done["person_key"], done["answer"].replace("", "已办结"), strict=True))
    return flagged["person_key"].map(answers).astype(object).fillna("").astype(str)


def carried_over(log: pd.DataFrame, target: dt.date, deadline: Deadline | None = None) -> pd.DataFrame:
    """One row per resident whose follow-up chain is still open before `target` (and not closed today):
    the latest entry, with `since` (the chain's first day), `origin` (its first reason), `first_issued`
    and `overdue`."""
    rows = log[(log["date"] < target.isoformat()) & log["kind"].isin(FOLLOWUP_KINDS) & (log["person_key"] != "")]
    rows = rows.sort_values(["person_key", "date"], kind="stable")
    chains: dict[str, list[object]] = {}
    for index, person, kind, date, closed, reason, issued, answer in zip(
            rows.index, rows["person_key"], rows["kind"], rows["date"], rows["closed"].astype(bool), rows["reason"],
            rows["issued_at"], rows["answer"], strict=True):
        chain = chains.get(person)
        if chain is None or (kind != "carried" and chain[0]):
            chains[person] = [closed, date, index, reason, issued, answer]
        else:
            chain[0], chain[2], chain[5] = bool(chain[0]) or closed, index, answer or chain[5]
    still_open = {p: c for p, c in chains.items() if not c[0]}
    today = log[(log["date"] == target.isoformat()) & log["closed"].astype(bool)]
    for person in set(today["person_key"]) & set(still_open):
        del still_open[person]
    carried = log.loc[[c[2] for c in still_open.values()]].copy()
    carried["since"] = [str(c[1]) for c in still_open.values()]
    carried["origin"] = [str(c[3]) for c in still_open.values()]
    carried["first_issued"] = [str(c[4]) for c in still_open.values()]
    carried["answer"] = [str(c[5]) for c in still_open.values()]  # the latest answer given, not a blank re-issue
    carried["overdue"] = _overdue(carried, deadline)
    carried["overdue_mark"] = np.where(carried["overdue"], "超时", "")
    return carried.sort_values(["overdue", "since", "worker", "building", "room"],
                               ascending=[False, True, True, True, True]).reset_index(drop=True)


def _overdue(carried: pd.DataFrame, deadline: Deadline | None) -> pd.Series:
    if deadline is None or carried.empty:
        return pd.Series(False, index=carried.index, dtype=bool)
    issued = pd.to_datetime(carried["first_issued"], errors="coerce", format="ISO8601")
    fallback = pd.to_datetime(carried["since"], errors="coerce", format="ISO8601")
    issued = issued.fillna(fallback)
    return (issued < pd.Timestamp(deadline.now) - pd.Timedelta(hours=deadline.hours)).astype(bool)


def carried_label(item: dict[str, object], target: dt.date) -> str:
    """11月20日未办结：未打卡（未联系上）, or 11月20日起未办结，第3天：… once carried more than once."""
    since = dt.date.fromisoformat(str(item["since"]))
    last = dt.date.fromisoformat(str(item["date"]))
    when = f"{since.month}月{since.day}日未办结" if since == last else \
        f"{since.month}月{since.day}日起未办结，第{(target - since).days + 1}天"
    mark = OVERDUE_MARK if item.get("overdue") else ""
    return f"{mark}{when}：{item['origin']}（{item['answer'] or '未填'}）"


def hand_out(flagged: pd.DataFrame, carried: pd.DataFrame, target: dt.date) -> pd.DataFrame:
    """The rows for the workers' lists: overdue leftovers first, today's flagged not yet resolved, then the
    other leftovers. A resident flagged again today keeps one row, with the leftover noted in its reason."""
    labels = {str(item["person_key"]): carried_label(item, target) for item in records(carried)}
    late = set(carried.loc[carried["overdue"].astype(bool), "person_key"]) if len(carried) else set()
    today = flagged[flagged["resolved"] == ""].copy()
    extra = today["person_key"].map(labels).astype(object).fillna("").astype(str)
    today["reason_text"] = np.where(extra != "", today["reason_text"].astype(str) + "；" + extra,
                                    today["reason_text"].astype(str))
    today.loc[today["person_key"].isin(late), "tier"] = ESCALATED_TIER
    rest = carried[~texts_in(carried["person_key"], flagged["person_key"])]
    rows = pd.DataFrame({
        "name": rest["name"], "building": rest["building"], "unit": rest["unit"], "room": rest["room"],
        "phone": rest["phone"], "worker": rest["worker"].replace("", UNASSIGNED), "person_key": rest["person_key"],
        "reason_text": [labels[str(k)] for k in rest["person_key"]], "temperature": np.nan, "missing_days": 0,
        "tier": np.where(rest["overdue"].astype(bool), ESCALATED_TIER, CARRIED_TIER), "kind": "carried",
        "key": [item_key(target, str(k)) for k in rest["person_key"]], "resolved": "",
        **{flag: False for flag in (*REASONS, "urgent")},
    })
    parts = [p for p in (rows[rows["tier"] == ESCALATED_TIER], today, rows[rows["tier"] != ESCALATED_TIER]) if len(p)]
    if not parts:
        return today.reset_index(drop=True)
    handout = pd.concat(parts, ignore_index=True)
    return handout.sort_values("tier", key=lambda t: t != ESCALATED_TIER, kind="stable").reset_index(drop=True)
