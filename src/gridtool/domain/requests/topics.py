"""Hot topics and time to close: counts per category overall, per building and per day (with the change
against the day before), and how long closed requests took, per category and per handler."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from gridtool.domain.requests.rules import Rules

COUNTS = ["total", "open", "urgent", "overdue", "closed", "deliver"]


def category_order(frame: pd.DataFrame, rules: Rules) -> list[str]:
    """The configured categories in priority order (其他 last), then any other category staff typed."""
    names = rules.names
    typed = sorted(set(frame["category"].unique().tolist()) - set(names))
    return names[:-1] + typed + names[-1:]


def by_category(frame: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    marked = frame.assign(total=1, open=frame["status"] != "closed", closed=frame["status"] == "closed")
    table = marked.groupby("category")[COUNTS].sum().astype(int)
    return table.reindex(category_order(frame, rules), fill_value=0).rename_axis("category").reset_index()


def by_building(frame: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Buildings x categories: how many requests each building made of each kind."""
    building = frame["building"].where(frame["building"] != "", "（未填）")
    table = pd.crosstab(building, frame["category"]).reindex(columns=category_order(frame, rules), fill_value=0)
    return table.rename_axis(index="building", columns=None)


def by_day(frame: pd.DataFrame, rules: Rules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Days x categories counts, and the change against the previous day (the first day has none)."""
    dated = frame[frame["day"] != ""]
    table = pd.crosstab(dated["day"], dated["category"]).reindex(columns=category_order(frame, rules), fill_value=0)
    if len(table):  # every calendar day in between, so a day without requests counts 0 and the change is day on day
        days = pd.date_range(min(table.index), max(table.index)).strftime("%Y-%m-%d")
        table = table.reindex(days, fill_value=0)
    table = table.rename_axis(index="day", columns=None).sort_index()
    return table, table.diff().fillna(0).astype(int)


def time_to_close(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Closed requests with a known waiting time: count, median and worst hours per category or handler."""
    closed = frame[(frame["status"] == "closed") & frame["waited_hours"].notna()]
    key = closed[by].where(closed[by] != "", "（未填）")
    grouped = closed.groupby(key)["waited_hours"]
    table = pd.DataFrame({"closed": grouped.size(), "median_hours": grouped.median().round(1),
                          "worst_hours": grouped.max().round(1)})
    return table.rename_axis(by).reset_index()


def day_and_change(frame: pd.DataFrame, rules: Rules, day: dt.date) -> tuple[pd.Series, pd.Series]:
    """Per category: requests logged on `day`, and the change against the calendar day before it (the
    same counts and change `by_day` gives `gridtool requests`)."""
    counts, _ = by_day(frame, rules)
    today, before = f"{day:%Y-%m-%d}", f"{day - dt.timedelta(days=1):%Y-%m-%d}"
    on_day = counts.loc[today] if today in counts.index else pd.Series(0, index=counts.columns)
    previous = counts.loc[before] if before in counts.index else pd.Series(0, index=counts.columns)
    return on_day.astype(int), (on_day - previous).astype(int)
