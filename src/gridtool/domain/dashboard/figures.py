"""`gridtool dashboard`: the command centre's one page, built from the morning's download folder.

Every figure comes from the code the other commands run: the day status of `followups` (counts per
building and unit, the per-day history), the warnings of `stock`, the completion of `collect`. This
module loads the folder once, hands each kind of sheet to its domain code, and arranges what comes back
into tiles, strips and series. It holds counts and building/unit codes only: no name, phone or
temperature of any resident.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gridtool.config import Settings
from gridtool.domain.checkins.followups import FollowupResult, Inputs, judge_day
from gridtool.domain.checkins.tallies import group_counts
from gridtool.domain.findings import Finding
from gridtool.domain.loop.collect import completion
from gridtool.domain.loop.logread import load_log
from gridtool.domain.requests.report import request_figures
from gridtool.domain.sources import Loaded, Progress, kind_missing, load_sources
from gridtool.domain.stock.check import stock_from
from gridtool.errors import GridtoolError
from gridtool.table.address import natural_key
from gridtool.table.columnwise import map_unique
from gridtool.table.kinds import SourceInfo
from gridtool.table.values import clean_text

# measure -> (label, unit, upper bounds of colour levels 0..2; above the last is level 3)
MEASURES: dict[str, tuple[str, str, tuple[float, ...]]] = {
    "missing_rate": ("未打卡率", "%", (0.0, 0.05, 0.15)),
    "fever": ("发热人数", "人", (0.0, 1.0, 3.0)),
    "open_requests": ("未办结诉求", "件", (0.0, 2.0, 5.0)),
}
STRIP_LOW = 0.8  # a building-day below this check-in rate is red; below 100 % amber
STRIP_STATES = {"full": "全部打卡", "partial": "部分未打卡", "low": f"打卡率低于{STRIP_LOW:.0%}", "none": "无数据"}


@dataclass
class Section:
    """Where a section's figures come from, said on the page."""

    sources: list[str]
    date: str


@dataclass
class DashboardResult:
    date: dt.date
    measure: str
    headline: dict[str, float | int | None]
    buildings: pd.DataFrame
    units: pd.DataFrame
    strips: pd.DataFrame
    trend: pd.DataFrame
    stock: pd.DataFrame | None = None
    followup: pd.DataFrame | None = None
    requests: pd.DataFrame | None = None  # per category: total, open, urgent, overdue, today, change
    sections: dict[str, Section] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    sources: list[SourceInfo] = field(default_factory=list)


def dashboard(paths: list[Path], settings: Settings, date: dt.date | None = None, days: int = 7,
              measure: str = "missing_rate", progress: Progress | None = None) -> DashboardResult:
    """The page's content from every sheet in these files and folders."""
    if measure not in MEASURES:
        raise GridtoolError(f"--measure「{measure}」不对。", f"可选：{'、'.join(MEASURES)}。")
    if not 1 <= days <= 60:
        raise GridtoolError(f"--days {days} 不对：应为 1 到 60 天。")
    loaded = load_sources(paths, settings, progress)
    if not loaded.tables["checkins"]:
        raise kind_missing(loaded, paths, "打卡表", "指挥看板至少需要当天的打卡表（或收集表的提交记录）。",
                           "请把当天下载的打卡表放进文件夹后再试。")
    day = judge_day(Inputs(loaded, load_sources([], settings)), settings, date, progress=progress)
    asked = request_figures(loaded.tables["requests"], settings, dt.datetime.combine(day.date, dt.time(23, 59))) \
        if loaded.tables["requests"] else None
    result = checkin_figures(day, measure, days, layout(loaded), asked.open_by_place if asked else None)
    result.sources = loaded.sources
    result.sections["checkins"] = _section(loaded, ("checkins", "roster"), day.date)
    if asked is not None:
        result.requests = asked.by_category
        result.headline["urgent_requests"] = asked.urgent_open
        result.sections["requests"] = _section(loaded, ("requests",), day.date)
    if loaded.tables["inventory"] or loaded.tables["movements"]:
        stock = stock_from(loaded, paths, settings, day.date, today=day.date)
        result.stock, result.problems = stock.items, result.problems + stock.problems
        result.headline["below_threshold"] = int(stock.items["status"].isin(["out_of_stock", "below_threshold"]).sum())
        result.sections["stock"] = _section(loaded, ("inventory", "movements"), stock.date)
    if loaded.tables["followlog"]:
        log = loaded.tables["followlog"][0].path
        now = dt.datetime.combine(day.date, dt.time(23, 59))
        result.followup, done = followup_figures(log, now, settings.overdue_hours, day.date)
        result.headline["done_yesterday"] = done
        result.sections["followup"] = _section(loaded, ("followlog",), day.date)
    return result


def checkin_figures(day: FollowupResult, measure: str, days: int, grid: pd.DataFrame | None,
                    open_requests: pd.DataFrame | None = None) -> DashboardResult:
    """Headline figures, building and unit tiles, day strips and the trend, from one day's status; each tile
    also carries its open requests (from the requests domain's figures) for the `open_requests` measure."""
    counts = day.counts
    active = counts["residents"] - counts["exempt"]
    headline: dict[str, float | int | None] = {
        "residents": counts["residents"], "rate": counts["checked_in"] / active if active else None,
        "missing": counts["missing"], "fever": counts["fever"], "urgent": counts["urgent"]}
    people = day.people[day.people["missing"] | day.people["checked_in"] | day.people["exempt"]]
    asked = open_requests if open_requests is not None else pd.DataFrame(columns=["building", "unit", "open"])
    by_building = asked.groupby("building")["open"].sum()
    buildings = group_counts(people, "building")
    buildings["open_requests"] = buildings["building"].map(by_building).fillna(0).astype(int)
    buildings = place_tiles(with_measure(buildings, measure), grid)
    places = people.assign(place=people["building"].astype(str) + "|" + people["unit"].astype(str))
    units = group_counts(places, "place")
    by_unit = asked.set_index(asked["building"].astype(str) + "|" + asked["unit"].astype(str))["open"]
    units["open_requests"] = units["place"].map(by_unit).fillna(0).astype(int)
    units[["building", "unit"]] = units["place"].str.split("|", n=1, expand=True)
    units = with_measure(units.drop(columns="place"), measure)
    window = sorted(set(day.history["date"]))[-days:]
    strips = day.history[day.history["date"].isin(window)].reset_index(drop=True)
    strips["state"] = np.select([~strips["reported"].to_numpy(bool), strips["rate"] >= 1.0, strips["rate"] >= STRIP_LOW],
                                ["none", "full", "partial"], default="low")
    trend = strips[strips["reported"]].groupby("date", sort=True)[["expected", "checked_in"]].sum().reset_index()
    trend["rate"] = (trend["checked_in"] / trend["expected"].where(trend["expected"] > 0)).round(4)
    return DashboardResult(day.date, measure, headline, buildings, units, strips, trend, problems=list(day.problems))


def with_measure(counts: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The measure's value and colour level (0-3) per place, in estate order (2栋 before 10栋)."""
    active = counts["residents"] - counts["exempt"]
    counts["missing_rate"] = (counts["missing"] / active.where(active > 0)).fillna(0.0).round(4)
    counts["value"] = counts[measure].astype(float)
    counts["level"] = np.searchsorted(np.asarray(MEASURES[measure][2]), counts["value"].to_numpy(), side="left")
    keys = [tuple(natural_key(str(v)) for v in row) for row in counts[[c for c in ("building", "unit")
                                                                       if c in counts.columns]].itertuples(index=False)]
    order = sorted(range(len(counts)), key=lambda i: keys[i])
    return counts.iloc[order].reset_index(drop=True)


def place_tiles(tiles: pd.DataFrame, grid: pd.DataFrame | None) -> pd.DataFrame:
    """Grid positions: from the layout sheet where it names the building, the rest row by row below it."""
    width = max(1, math.ceil(math.sqrt(len(tiles))))
    position = grid.set_index("building") if grid is not None else pd.DataFrame(columns=["grid_row", "grid_col"])
    known = tiles["building"].isin(position.index).to_numpy()
    below = int(position["grid_row"].max()) if known.any() else 0
    free = np.cumsum(~known) - 1
    tiles["grid_row"] = np.where(known, tiles["building"].map(position["grid_row"]).fillna(0), below + 1 + free // width)
    tiles["grid_col"] = np.where(known, tiles["building"].map(position["grid_col"]).fillna(0), 1 + free % width)
    tiles[["grid_row", "grid_col"]] = tiles[["grid_row", "grid_col"]].astype(int)
    return tiles


def layout(loaded: Loaded) -> pd.DataFrame | None:
    """The optional layout sheet (楼栋, 行, 列) as building -> grid position; rows outside 1-50 ignored."""
    from gridtool.domain.people.residents import people_frame, stack_tables

    if not loaded.tables["layout"]:
        return None
    rows = stack_tables(loaded.tables["layout"])
    frame = pd.DataFrame({"building": people_frame(rows)["building"].to_numpy()})
    for name in ("grid_row", "grid_col"):
        frame[name] = pd.to_numeric(map_unique(rows[name], clean_text), errors="coerce").to_numpy()
    frame = frame.dropna()
    inside = frame["grid_row"].between(1, 50) & frame["grid_col"].between(1, 50) & (frame["building"] != "")
    return frame[inside].drop_duplicates("building").astype({"grid_row": int, "grid_col": int})


def followup_figures(log: Path, now: dt.datetime, hours: float, day: dt.date) -> tuple[pd.DataFrame, int]:
    """Completion per worker from the follow-up log (done, open, overdue), and how many closed yesterday."""
    rows, _ = load_log(log)
    yesterday = f"{day - dt.timedelta(days=1):%Y-%m-%d}"
    done = int((rows["closed"].astype(bool) & (rows["date"].astype(str) == yesterday)).sum())
    return completion(rows, "worker", now, hours), done


def _section(loaded: Loaded, kinds: tuple[str, ...], day: dt.date) -> Section:
    return Section([table.where for table in loaded.of(*kinds) if len(table.data)], f"{day:%Y年%m月%d日}")
