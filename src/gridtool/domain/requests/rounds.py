"""Delivery rounds: open requests that need a visit, in walking order, cut into rounds of at most
`size` stops that keep each building whole where it fits, urgent stops first within a round, and
each round given to a volunteer (one who serves its buildings, else in turn).

The only loops run over buildings and rounds, never over requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gridtool.table.address import split_building


@dataclass(frozen=True)
class Volunteer:
    name: str
    phone: str = ""
    buildings: frozenset[str] = frozenset()
    available: str = ""


@dataclass
class Round:
    number: int
    volunteer: Volunteer | None
    buildings: list[str]
    stops: pd.DataFrame = field(repr=False)

    @property
    def urgent(self) -> int:
        return int(self.stops["urgent"].sum())


def parse_buildings(text: str) -> frozenset[str]:
    """`1栋、2栋`, `3-5号楼`, `1,2,7` -> the buildings named (a range is every building in it)."""
    found: set[str] = set()
    for part in re.split(r"[、,，;；/\s和及]+", text):
        span = re.fullmatch(r"(\d+)\s*[-~—至到]\s*(\d+)\D*", part)
        if span and int(span.group(2)) - int(span.group(1)) < 200:
            found |= {str(n) for n in range(int(span.group(1)), int(span.group(2)) + 1)}
        elif part:
            building = split_building(part)[0]
            if building:
                found.add(building)
    return frozenset(found)


def _number(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.astype(str).str.extract(r"(\d+)", expand=False), errors="coerce")


def walking_order(stops: pd.DataFrame, route: list[str]) -> pd.DataFrame:
    """Building (in the route's order, then by number), unit, floor, room."""
    rank = stops["building"].map({b: i for i, b in enumerate(route)}).astype(float)
    room_digits = stops["room"].astype(str).str.replace(r"\D", "", regex=True)
    room_number = pd.to_numeric(room_digits, errors="coerce").fillna(0)
    keys = pd.DataFrame({
        "_off_route": rank.isna(), "_rank": rank.fillna(0), "_building": _number(stops["building"]).fillna(1e9),
        "_b": stops["building"], "_unit": _number(stops["unit"]).fillna(0), "_u": stops["unit"],
        "_floor": np.where(room_digits.str.len() >= 3, room_number // 100, 0), "_room": room_number,
        "_r": stops["room"]}, index=stops.index)
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return stops.loc[order].reset_index(drop=True)


def round_numbers(buildings: pd.Series, size: int) -> np.ndarray:
    """Round index per stop (stops already in walking order): a building stays in one round when it fits."""
    codes, _ = pd.factorize(buildings)
    counts = np.bincount(codes) if len(codes) else np.array([], dtype=int)
    numbers = np.empty(len(codes), dtype=int)
    position, fill, current = 0, 0, -1
    for count in counts.tolist():
        if fill and fill + count > size:
            fill = 0
        while count:
            if fill == 0:
                current += 1
            take = min(size - fill, count)
            numbers[position:position + take] = current
            position, count, fill = position + take, count - take, (fill + take) % size
    return numbers


def assign(buildings: list[list[str]], volunteers: list[Volunteer]) -> list[Volunteer | None]:
    """Each round to the least busy volunteer who serves one of its buildings, else to the least busy of all."""
    if not volunteers:
        return [None] * len(buildings)
    load = dict.fromkeys(range(len(volunteers)), 0)
    chosen: list[Volunteer | None] = []
    for names in buildings:
        serving = [i for i, v in enumerate(volunteers) if v.buildings & set(names)] or list(load)
        pick = min(serving, key=lambda i: (load[i], i))
        load[pick] += 1
        chosen.append(volunteers[pick])
    return chosen


def plan_rounds(stops: pd.DataFrame, size: int, route: list[str], volunteers: list[Volunteer]) -> list[Round]:
    """Rounds of at most `size` stops; rounds with urgent stops first, urgent stops first within a round."""
    ordered = walking_order(stops, route)
    ordered["walk"] = np.arange(len(ordered))
    ordered["round"] = round_numbers(ordered["building"], size)
    urgent_rounds = ordered.groupby("round")["urgent"].any()
    ranking = sorted(urgent_rounds.index, key=lambda r: (not urgent_rounds[r], r))
    ordered["round"] = ordered["round"].map({old: new for new, old in enumerate(ranking, 1)})
    ordered = ordered.sort_values(["round", "urgent", "walk"], ascending=[True, False, True], kind="stable")
    ordered["stop"] = ordered.groupby("round").cumcount() + 1
    groups = [group.reset_index(drop=True) for _, group in ordered.groupby("round", sort=True)]
    names = [list(dict.fromkeys(group.sort_values("walk")["building"])) for group in groups]
    who = assign(names, volunteers)
    return [Round(number, person, buildings, group)
            for number, (person, buildings, group) in enumerate(zip(who, names, groups, strict=True), 1)]
