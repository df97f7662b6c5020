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
from gridtool.table.address import format_address


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
    if distance == 1 and len(a) == len(b) >= 2:  # one character replaced; 王强 / 王小强 may be two people
        return 80.0, "一字之差"
    return 100.0 * Levenshtein.normalized_similarity(a, b), "相似"


def address_relation(given: tuple[str, str, str], theirs: tuple[str, str, str]) -> str:
    """`same`, `partial` (every part given agrees, some left out), `missing` (none given) or `different`."""
    if not any(given):
        return "missing"
    if given == theirs:
        return "same"
    agrees = all(x == y or not x for x, y in zip(given, theirs, strict=True))
    anchored = (given[2] and given[2] == theirs[2]) or (given[0] and given[0] == theirs[0] and not given[2])
    return "partial" if agrees and anchored else "different"


# How much each kind of address evidence moves a name's likeness, and what it is called.
ADDRESS_WEIGHT = {"same": (0.0, "住址相同"), "partial": (-3.0, "住址写法不完整或不同"),
                  "missing": (-4.0, "未填住址"), "different": (-25.0, "住址不同")}
PHONE_BONUS = 10.0
CANDIDATE_FLOOR = 50.0
FAMILY_SCORE = 60.0


class RosterIndex:
    """Lookups over the roster for the few submissions that did not match exactly."""

    def __init__(self, roster: pd.DataFrame) -> None:
        self.roster = roster
        self.by_name = roster.groupby("name_key").indices
        self.by_room = roster.groupby("room").indices
        self.by_phone = roster[roster["phone"] != ""].groupby("phone").indices

    def label(self, index: int) -> str:
        row = self.roster.iloc[index]
        return f"{row['name']} {format_address(row['building'], row['unit'], row['room'])}".strip()

    def candidates(self, name: str, address: tuple[str, str, str], phone: str) -> list[Candidate]:
        """Roster entries this submission could be, best first, each with its evidence in words."""
        pool = set(self.by_name.get(name, ())) | set(self.by_phone.get(phone, ()) if phone else ())
        pool |= set(self.by_room.get(address[2], ()) if address[2] else ())
        found = [self._weigh(int(index), name, address, phone) for index in pool]
        return sorted((c for c in found if c.score >= CANDIDATE_FLOOR), key=lambda c: (-c.score, c.index))

    def _weigh(self, index: int, name: str, address: tuple[str, str, str], phone: str) -> Candidate:
        row = self.roster.iloc[index]
        likeness, how = name_score(name, str(row["name_key"]))
        relation = address_relation(address, (str(row["building"]), str(row["unit"]), str(row["room"])))
        shift, place = ADDRESS_WEIGHT[relation]
        same_phone = bool(phone) and row["phone"] == phone
        score = min(likeness + shift + (PHONE_BONUS if same_phone else 0.0), 99.0)
        if same_phone and relation in ("same", "partial"):
            score = max(score, FAMILY_SCORE)  # someone of the household reported on its phone: a person decides
        words = [f"姓名{'相同' if how == '同名' else how}", place]
        if same_phone:
            words.append("电话相同" if likeness >= 80 else "电话相同（可能是家人代填）")
        return Candidate(index, score, "，".join(words))


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
        found = index.candidates(name, (building, unit, room), phone)
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
                message = f"已匹配到名册：{index.label(best.index)}（{best.why}）"
                notes.append(MatchNote("matched", row=row, message=message, candidates=labels, score=best.score,
                                       **base))
            elif found:
                notes.append(MatchNote("doubtful", row=row, message="可能是以下名册居民之一，请人工核对",
                                       candidates=labels, score=found[0].score, **base))
            else:
                notes.append(MatchNote("not_on_roster", row=row, message="名册中没有此人（新住户或填错？）",
                                       candidates=(), **base))
    return matched, notes
