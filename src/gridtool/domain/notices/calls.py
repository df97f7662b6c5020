"""Who a grid worker phones today and what their situation is. The words of each call (共情倾听 →
清晰解释 → 提供方案) live in templates/calls; this module only says which situations apply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from gridtool.config import Settings
from gridtool.domain.checkins.followups import FollowupResult
from gridtool.domain.findings import Finding
from gridtool.domain.notices.pages import resident_groups

FLAG_LABELS = (("fever", "体温偏高"), ("symptoms", "有症状"), ("bad_temperature", "体温填写有误"))
HOUSEHOLD_LABELS = {(True, True): "独居老人", (True, False): "老人", (False, True): "独居"}  # (elderly, alone)


@dataclass
class CallList:
    """The residents a grid worker phones on `date` (today's follow-ups and yesterday's leftovers), each with
    its `situation` labels."""

    date: dt.date
    calls: pd.DataFrame
    problems: list[Finding] = field(default_factory=list)  # what reading the check-ins and roster found

    def by_worker(self) -> dict[str, int]:
        return {str(w): int(n) for w, n in self.calls.groupby("worker").size().items()}


def situation_labels(row: dict[str, object]) -> list[str]:
    days = int(str(row.get("missing_days") or 0))
    labels = []
    if row.get("missing"):
        labels.append(f"连续{days}天未打卡" if days >= 2 else "今天未打卡")
    labels += [label for flag, label in FLAG_LABELS if row.get(flag)]
    household = HOUSEHOLD_LABELS.get((bool(row.get("elderly")), bool(row.get("alone"))))
    labels += [household] if household else []
    if row.get("chronic"):
        labels.append("慢性病")
    if row.get("kind") == "carried":
        labels.append("前一天未办结")
    return labels


def call_list(result: FollowupResult, settings: Settings) -> CallList:
    """The residents to phone (today's follow-ups and yesterday's leftovers), with their situation."""
    handout, people, day = result.handout, result.people, result.date
    profile = pd.concat([people[["person_key"]], resident_groups(people, day, settings)[["elderly", "alone",
                                                                                          "chronic"]]], axis=1)
    calls = handout.drop(columns=[c for c in ("elderly", "alone", "chronic") if c in handout.columns])
    calls = calls.merge(profile.drop_duplicates("person_key"), on="person_key", how="left")
    for column in ("elderly", "alone", "chronic"):
        calls[column] = calls[column].fillna(False).astype(bool)
    calls["situation"] = [situation_labels(r) for r in calls.to_dict("records")]
    return CallList(day, calls, list(result.problems))
