"""Fair allocation between buildings: how much each building received per household, which fell
behind the community average, and how to split an incoming delivery so that the shares even out."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from gridtool.domain.stock.levels import item_key
from gridtool.errors import GridtoolError


def households_from_roster(roster: pd.DataFrame) -> pd.Series:
    """Households per building: distinct unit and room numbers on the roster."""
    known = roster[(roster["building"] != "") & (roster["room"] != "")]
    return known.drop_duplicates(["building", "unit", "room"]).groupby("building").size()


def received(movements: pd.DataFrame, date: dt.date, window: int) -> pd.DataFrame:
    """Quantity of each item handed to each building over the window."""
    recent = movements[(movements["date"] > date - dt.timedelta(days=window)) & (movements["date"] <= date)
                       & (movements["change"] < 0) & (movements["building"] != "")]
    table = recent.assign(quantity=-recent["change"], key=recent["item"].map(item_key))
    return table.groupby(["key", "building"], as_index=False).agg(item=("item", "first"), quantity=("quantity", "sum"))


def fairness(movements: pd.DataFrame, households: pd.Series, date: dt.date, window: int,
             share: float) -> pd.DataFrame:
    """Per item and building: received, households, per household, share of the community average, flag.

    Buildings with households but nothing received are included (share 0)."""
    got = received(movements, date, window)
    rows = []
    for _, group in got.groupby("key", sort=True):
        name = str(group["item"].iloc[0])
        by_building = group.set_index("building")["quantity"].reindex(households.index, fill_value=0.0)
        average = by_building.sum() / households.sum() if households.sum() else math.nan
        for building, quantity in by_building.items():
            per = quantity / households[building] if households[building] else math.nan
            ratio = per / average if average else math.nan
            rows.append({"item": name, "building": str(building), "households": int(households[building]),
                         "quantity": float(quantity), "per_household": round(per, 3), "share": round(ratio, 3),
                         "below": bool(ratio < share)})
    return pd.DataFrame(rows, columns=["item", "building", "households", "quantity", "per_household", "share",
                                       "below"])


def plan(quantity: int, item: str, movements: pd.DataFrame, households: pd.Series, date: dt.date,
         window: int, known: pd.Series | None = None) -> pd.DataFrame:
    """Split an incoming `quantity` so that per-household totals even out: the lowest are filled first
    (water-filling), whole units, the remainder to the largest fractions. An item not among `known`
    (the items of the stock sheets) is an input error: a typo would otherwise plan from nothing."""
    names = {item_key(str(n)): str(n) for n in (known if known is not None else movements["item"])}
    if item_key(item) not in names:
        raise GridtoolError(f"--plan 的物资「{item}」在库存表和出入库记录中都没有。",
                            f"已有的物资：{'、'.join(sorted(names.values())[:20])}。")
    got = received(movements, date, window)
    mine = got[got["key"] == item_key(item)].set_index("building")["quantity"]
    have = mine.reindex(households.index, fill_value=0.0).astype(float)
    sizes = households.astype(float)
    per = have / sizes
    level = _level(per, sizes, float(quantity))
    share = ((level - per).clip(lower=0) * sizes)
    whole = share.round(9).apply(math.floor)
    left = int(quantity - whole.sum())
    # the remainder to the largest fractions; a tie to the building left with less per household
    ranking = pd.DataFrame({"fraction": (share - whole).round(9), "after": ((have + whole) / sizes).round(9),
                            "order": range(len(share))}, index=share.index)
    for building in ranking.sort_values(["fraction", "after", "order"], ascending=[False, True, True]).index[:left]:
        whole[building] += 1
    return pd.DataFrame({"building": [str(b) for b in households.index], "households": households.astype(int).values,
                         "received": have.values, "planned": whole.astype(int).values,
                         "per_household_after": ((have + whole) / sizes).round(3).values})


def _level(per: pd.Series, sizes: pd.Series, quantity: float) -> float:
    """The per-household level L with sum(size × max(0, L − per)) = quantity: raise the lowest buildings
    together until the delivery is used up."""
    order = per.sort_values()
    values: list[float] = [float(v) for v in order.tolist()]
    filled = 0.0
    for index, value in enumerate(values):
        width = float(sizes[order.index[: index + 1]].sum())
        following = values[index + 1] if index + 1 < len(values) else math.inf
        room = (following - value) * width
        if filled + room >= quantity:
            return value + (quantity - filled) / width
        filled += room
    return values[-1]
