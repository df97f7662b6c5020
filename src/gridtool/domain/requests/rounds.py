"""Delivery rounds: open requests that need a visit, in walking order, cut into rounds of at most
`size` stops that keep each building whole where it fits, urgent stops first within a round, and
each round given to a volunteer (the least busy who serves its buildings; the rounds nobody serves then to
the least busy of all, a tie to the one whose own buildings are nearest in walking order, then by name).

The only loops run over buildings and rounds, never over requests.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gridtool.table.address import natural_key, split_building


@dataclass(frozen=True)
class Volunteer:
    name: str
    phone: str = ""
    buildings: frozenset[str] = frozenset()
    available: str = ""


@dataclass
class Round:
    """A round: its volunteer, its buildings in walking order, and where its stops lie in `every_stop` (the
    stops of all rounds in round and stop order, shared by every round rather than cut into a frame each)."""

    number: int
    volunteer: Volunteer | None
    buildings: list[str]
    every_stop: pd.DataFrame = field(repr=False)
    first: int = 0
    size: int = 0

    @property
    def stops(self) -> pd.DataFrame:
        return self.every_stop.iloc[self.first:self.first + self.size].reset_index(drop=True)

    @property
    def urgent(self) -> int:
        return int(self.every_stop["urgent"].iloc[self.first:self.first + self.size].sum())


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


def walking_place(route: list[str]) -> Callable[[str], float]:
    """A building's place in walking order: its place on the route, else after the route by its number
    (2栋 next to 3栋), a building without a number last."""
    on_route = {b: i for i, b in enumerate(route)}
    return lambda b: float(on_route[b]) if b in on_route else float(len(route) + natural_key(b)[0])


def _distance(volunteer: Volunteer, buildings: list[str], place: Callable[[str], float]) -> float:
    """How far, in walking order, the volunteer's own buildings are from the round's (none: infinitely)."""
    return min((abs(place(o) - place(b)) for o in volunteer.buildings for b in buildings), default=math.inf)


def _by_name(people: list[Volunteer]) -> Volunteer:
    """The first by name as a Chinese list is ordered (by pinyin: 吴磊 before 周婷), then as written."""
    if len(people) == 1:
        return people[0]
    from gridtool.domain.people.matching import pinyin_key

    return min(people, key=lambda v: (pinyin_key(v.name), v.name))


def assign(rounds: list[tuple[list[str], int]], volunteers: list[Volunteer],
           route: list[str] | None = None) -> list[Volunteer | None]:
    """Each round (its buildings and stop count) to the least busy volunteer who serves one of its buildings;
    then each round nobody serves to the least busy of all, counting what they already have. Least busy:
    fewest stops, then fewest rounds; a tie goes to the one whose own buildings are nearest in walking
    order, then to the one who serves fewest buildings (张伟 of 1栋 before 孙浩然 of 1栋、2栋, who stays free
    for the others), then by name, so the same rounds go to the same people whatever the roster's order."""
    if not volunteers:
        return [None] * len(rounds)
    place = walking_place(route or [])
    serving = [[i for i, v in enumerate(volunteers) if v.buildings & set(names)] for names, _ in rounds]
    stops, given = [0] * len(volunteers), [0] * len(volunteers)
    chosen: dict[int, Volunteer] = {}
    for number in sorted(range(len(rounds)), key=lambda n: (not serving[n], n)):
        names, size = rounds[number]
        pool = serving[number] or range(len(volunteers))
        keys = {i: (stops[i], given[i], _distance(volunteers[i], names, place), len(volunteers[i].buildings))
                for i in pool}
        best = min(keys.values())
        pick = volunteers.index(_by_name([volunteers[i] for i in pool if keys[i] == best]))
        stops[pick] += size
        given[pick] += 1
        chosen[number] = volunteers[pick]
    return [chosen[n] for n in range(len(rounds))]


def plan_rounds(stops: pd.DataFrame, size: int, route: list[str], volunteers: list[Volunteer]) -> list[Round]:
    """Rounds of at most `size` stops; rounds with urgent stops first, urgent stops first within a round."""
    ordered = walking_order(stops, route)
    ordered["walk"] = np.arange(len(ordered))
    ordered["round"] = round_numbers(ordered["building"], size)
    urgent_rounds = ordered.groupby("round")["urgent"].any()
    ranking = sorted(urgent_rounds.index, key=lambda r: (not urgent_rounds[r], r))
    ordered["round"] = ordered["round"].map({old: new for new, old in enumerate(ranking, 1)})
    ordered = ordered.sort_values(["round", "urgent", "walk"], ascending=[True, False, True], kind="stable")
    ordered = ordered.reset_index(drop=True)
    ordered["stop"] = ordered.groupby("round").cumcount() + 1
    sizes = ordered.groupby("round", sort=True).size()
    firsts = (np.cumsum(sizes.to_numpy()) - sizes.to_numpy()).tolist()
    names = _round_buildings(ordered)
    who = assign([(names[n], int(k)) for n, k in sizes.items()], volunteers, route)
    return [Round(int(number), person, names[number], ordered, first, int(count))
            for (number, count), first, person in zip(sizes.items(), firsts, who, strict=True)]


def _round_buildings(ordered: pd.DataFrame) -> dict[int, list[str]]:
    """Each round's buildings in walking order."""
    walked = ordered.sort_values("walk", kind="stable").drop_duplicates(["round", "building"])
    found: dict[int, list[str]] = {}
    for number, building in zip(walked["round"].tolist(), walked["building"].tolist(), strict=True):
        found.setdefault(number, []).append(building)
    return found
