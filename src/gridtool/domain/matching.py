"""Matching submissions to roster residents, and saying why when the match is not exact.

Exact matches (same name and address, or same name and phone where no address was given) are one
vectorised join. Only the rows left over are examined one distinct submission at a time: a typo or
homophone in the name (张伟 / 张维, by pinyin and edit distance), the right name with a differently
written or incomplete address, or several roster entries it could be.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd
from rapidfuzz.distance import Levenshtein

from gridtool.domain.findings import MatchNote
from gridtool.table.values import format_address


@dataclass(frozen=True)
class Candidate:
    index: int
    score: float
    why: str


@lru_cache(maxsize=65536)
def pinyin_key(name: str) -> str:
    from pypinyin import lazy_pinyin  # 0.25 s to import; only needed when a name does not match exactly

    return " ".join(lazy_pinyin(name))


def name_score(a: str, b: str) -> tuple[float, str]:
    """How alike two names are (0-100) and in what way: same sound, or one character off."""
    if a == b:
        return 100.0, "同名"
    if len(a) == len(b) and pinyin_key(a) == pinyin_key(b):
        return 95.0, "同音"
    distance = Levenshtein.distance(a, b)
    if distance == 1 and min(len(a), len(b)) >= 2:
        return 80.0, "一字之差"
    return 100.0 * Levenshtein.normalized_similarity(a, b), "相似"


def _address_compatible(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """Every part given on both sides agrees, and at least the room or the building is given."""
    if not any(a) or not any(b):
        return False
    return all(x == y or not x or not y for x, y in zip(a, b, strict=True)) and bool(
        (a[2] and a[2] == b[2]) or (a[0] and a[0] == b[0] and not a[2])
    )


class RosterIndex:
    """Lookups over the roster for the few submissions that did not match exactly."""

    def __init__(self, roster: pd.DataFrame) -> None:
        self.roster = roster
        self.by_name = roster.groupby("name_key").indices
        self.by_room = roster.groupby("room").indices
        self.by_phone = roster[roster["phone"] != ""].groupby("phone").indices

    def address(self, index: int) -> tuple[str, str, str]:
        row = self.roster.iloc[index]
        return str(row["building"]), str(row["unit"]), str(row["room"])

    def label(self, index: int) -> str:
        row = self.roster.iloc[index]
        return f"{row['name']} {format_address(row['building'], row['unit'], row['room'])}".strip()

    def candidates(self, name: str, address: tuple[str, str, str], phone: str,
                   threshold: float) -> list[Candidate]:
        found: dict[int, Candidate] = {}

        def offer(index: int, score: float, why: str) -> None:
            if index not in found or found[index].score < score:
                found[index] = Candidate(index, score, why)

        for index in self.by_name.get(name, ()):
            theirs = self.address(int(index))
            if not any(address):
                offer(int(index), 96.0, "未填地址，按姓名")
            elif _address_compatible(address, theirs):
                offer(int(index), 97.0, "地址写法不完整或不同")
            elif phone and self.roster.iloc[int(index)]["phone"] == phone:
                offer(int(index), 95.0, "地址不同但电话相同")
            else:
                offer(int(index), 60.0, "同名但地址不同")
        for index in self.by_room.get(address[2], ()) if address[2] else ():
            theirs = self.address(int(index))
            if not _address_compatible(address, theirs):
                continue
            other = self.roster.iloc[int(index)]
            score, how = name_score(name, str(other["name_key"]))
            if score >= 60 and phone and other["phone"] == phone:
                offer(int(index), min(score + 10, 99.0), f"地址、电话相同，姓名{how}")
            elif score >= 60:
                offer(int(index), score, f"地址相同，姓名{how}")
        for index in self.by_phone.get(phone, ()) if phone else ():
            other = str(self.roster.iloc[int(index)]["name_key"])
            score, how = name_score(name, other)
            if score >= threshold:
                offer(int(index), score, f"电话相同，姓名{how}")
            else:
                offer(int(index), 70.0, "电话相同但姓名不同（可能是家人代填）")
        return sorted(found.values(), key=lambda c: -c.score)


def explain_unmatched(rows: pd.DataFrame, roster: pd.DataFrame,
                      threshold: float) -> tuple[pd.Series, list[MatchNote]]:
    """For rows with no exact match: the roster position of a confident match (or -1), and notes.

    A confident match is one candidate at or above the threshold, clearly ahead of the next one.
    """
    index = RosterIndex(roster)
    matched = pd.Series(-1, index=rows.index, dtype="int64")
    notes: list[MatchNote] = []
    groups = rows.groupby(["name_key", "building", "unit", "room", "phone"], sort=False).indices
    for (name, building, unit, room, phone), positions in groups.items():
        found = index.candidates(name, (building, unit, room), phone, threshold)
        strong = [c for c in found if c.score >= threshold]
        first = rows.iloc[positions[0]]
        base: dict[str, Any] = dict(file=str(first["file"]), sheet=str(first["sheet"]), name=str(first["name"]),
                                    address=format_address(building, unit, room), phone=str(phone))
        labels = tuple(f"{index.label(c.index)}（{c.why}，{c.score:.0f}分）" for c in found[:3])
        for position in positions:
            row = int(rows.iloc[position]["row"])
            if len(strong) == 1 or (strong and strong[0].score - strong[1].score >= 10):
                best = strong[0]
                matched.iloc[position] = best.index
                message = f"已按{best.why}匹配到名册：{index.label(best.index)}"
                notes.append(MatchNote("matched", row=row, message=message, candidates=labels, score=best.score,
                                       **base))
            elif found:
                notes.append(MatchNote("doubtful", row=row, message="可能是以下名册居民之一，请人工核对",
                                       candidates=labels, score=found[0].score, **base))
            else:
                notes.append(MatchNote("not_on_roster", row=row, message="名册中没有此人（新住户或填错？）",
                                       candidates=(), **base))
    return matched, notes
