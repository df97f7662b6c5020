"""What may be said in a building's WeChat group (楼栋群): who has not checked in, by room and masked
name (张*丽 1-101). Never a phone number, a temperature or a symptom: the group is the neighbours."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

_CJK = re.compile(r"[\u3400-\u9fff]")


def mask_name(name: str) -> str:
    """张伟 -> 张*, 张小丽 -> 张*丽, 欧阳娜娜 -> 欧**娜, Li Lei -> L***."""
    name = name.strip()
    if not name:
        return ""
    if not _CJK.search(name):
        return name[0] + "***"
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass
class GroupReminder:
    """One message for one building's group: the rooms and masked names of those not checked in."""

    building: str
    worker: str
    entries: list[tuple[str, str]]


def reminders(flagged: pd.DataFrame) -> list[GroupReminder]:
    """One reminder per building, for residents whose only business today is a missing check-in."""
    missing = flagged[flagged["missing"].astype(bool)]
    if "resolved" in missing.columns:
        missing = missing[missing["resolved"] == ""]
    found = []
    for building, group in missing.groupby("building", sort=True):
        ordered = group.sort_values(["unit", "room"])
        entries = [(f"{u}-{r}" if u else str(r), mask_name(str(n)))
                   for u, r, n in zip(ordered["unit"], ordered["room"], ordered["name"], strict=True)]
        workers = ordered["worker"].value_counts()
        found.append(GroupReminder(str(building), str(workers.index[0]) if len(workers) else "", entries))
    return found


def group_messages(flagged: pd.DataFrame) -> dict[str, list[GroupReminder]]:
    """One reminder per building group, named after the group it goes to (`1栋`): the same file whichever
    command (followups or tasks) writes it, so one group never gets two texts under two names."""
    return {f"{r.building}栋": [r] for r in reminders(flagged)}
