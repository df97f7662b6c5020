"""The follow-up log feeding the next run: what was resolved today is not handed out twice, and what
was left open the day before goes back on the worker's list."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gridtool.domain.flagged import REASONS, item_key

CARRIED_TIER = 5


def resolved_today(flagged: pd.DataFrame, log: pd.DataFrame, target: dt.date) -> pd.Series:
    """The closing answer already logged today for each flagged resident, else ''."""
    done = log[(log["date"] == target.isoformat()) & log["closed"].astype(bool)]
    answers = dict(zip(done["person_key"], done["answer"].replace("", "已办结"), strict=True))
    return flagged["person_key"].map(answers).astype(object).fillna("").astype(str)


def carried_over(log: pd.DataFrame, target: dt.date) -> pd.DataFrame:
    """Items still open on the last logged day before `target`, unless closed today since."""
    earlier = log[log["date"] < target.isoformat()]
    if earlier.empty:
        return log.iloc[0:0]
    last = earlier["date"].max()
    closed_today = log[(log["date"] == target.isoformat()) & log["closed"].astype(bool)]["person_key"]
    carried = earlier[(earlier["date"] == last) & ~earlier["closed"].astype(bool)]
    return carried[~carried["person_key"].isin(set(closed_today))].drop_duplicates("person_key")


def carried_label(item: dict[str, object]) -> str:
    day = dt.date.fromisoformat(str(item["date"]))
    return f"{day.month}月{day.day}日未办结：{item['reason']}（{item['answer'] or '未填'}）"


def hand_out(flagged: pd.DataFrame, carried: pd.DataFrame, target: dt.date) -> pd.DataFrame:
    """The rows for the workers' lists: today's flagged not yet resolved, then yesterday's leftovers.

    A resident flagged again today keeps one row, with the leftover noted in its reason.
    """
    labels = {str(item["person_key"]): carried_label(item) for item in carried.to_dict("records")}
    today = flagged[flagged["resolved"] == ""].copy()
    extra = today["person_key"].map(labels).fillna("")
    today["reason_text"] = np.where(extra != "", today["reason_text"] + "；" + extra, today["reason_text"])
    rest = carried[~carried["person_key"].isin(set(flagged["person_key"]))]
    rows = pd.DataFrame({
        "name": rest["name"], "building": rest["building"], "unit": rest["unit"], "room": rest["room"],
        "phone": rest["phone"], "worker": rest["worker"], "person_key": rest["person_key"],
        "reason_text": [labels[str(k)] for k in rest["person_key"]], "temperature": np.nan, "missing_days": 0,
        "tier": CARRIED_TIER, "kind": "carried", "key": [item_key(target, str(k)) for k in rest["person_key"]],
        **{flag: False for flag in (*REASONS, "urgent")},
    })
    return pd.concat([today, rows], ignore_index=True) if len(rows) else today.reset_index(drop=True)
