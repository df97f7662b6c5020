"""Who a grid worker phones today and what their situation is. The words of each call (共情倾听 →
清晰解释 → 提供方案) live in templates/calls; this module only says which situations apply."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from gridtool.config import Settings
from gridtool.domain.notices.pages import resident_groups


def situation_labels(row: dict[str, object]) -> list[str]:
    days = int(str(row.get("missing_days") or 0))
    labels = []
    if row.get("missing"):
        labels.append(f"连续{days}天未打卡" if days >= 2 else "今天未打卡")
    if row.get("fever"):
        labels.append("体温偏高")
    if row.get("symptoms"):
        labels.append("有症状")
    if row.get("bad_temperature"):
        labels.append("体温填写有误")
    if row.get("elderly") and row.get("alone"):
        labels.append("独居老人")
    elif row.get("elderly"):
        labels.append("老人")
    elif row.get("alone"):
        labels.append("独居")
    if row.get("chronic"):
        labels.append("慢性病")
    if row.get("kind") == "carried":
        labels.append("前一天未办结")
    return labels


def call_list(handout: pd.DataFrame, people: pd.DataFrame, day: dt.date, settings: Settings) -> pd.DataFrame:
    """The residents to phone (today's follow-ups and yesterday's leftovers), with their situation."""
    profile = pd.concat([people[["person_key"]], resident_groups(people, day, settings)[["elderly", "alone",
                                                                                          "chronic"]]], axis=1)
    calls = handout.drop(columns=[c for c in ("elderly", "alone", "chronic") if c in handout.columns])
    calls = calls.merge(profile.drop_duplicates("person_key"), on="person_key", how="left")
    for column in ("elderly", "alone", "chronic"):
        calls[column] = calls[column].fillna(False).astype(bool)
    calls["situation"] = [situation_labels(r) for r in calls.to_dict("records")]
    return calls
