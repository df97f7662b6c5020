"""What `gridtool stock` shows and writes: the item levels, with households the allocation between buildings
and a plan for an incoming delivery, and whether an item reached the level that fails a scheduled run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gridtool.config import Settings
from gridtool.domain.sources import Progress
from gridtool.domain.stock.allocation import fairness, plan
from gridtool.domain.stock.check import SEVERITY, check_stock, households
from gridtool.domain.stock.levels import StockResult
from gridtool.errors import ExitCode, GridtoolError


@dataclass(frozen=True)
class StockRequest:
    """What the user asked for beyond the files: the day, the window of days, the households, a delivery."""

    date: dt.date | None = None
    window: int = 7
    roster: Path | None = None
    delivery: tuple[int, str] | None = None  # (quantity, item) to plan for


@dataclass
class StockReport:
    levels: StockResult
    allocation: pd.DataFrame | None = None  # only when households were given
    plan: pd.DataFrame | None = None  # only for a requested delivery

    @property
    def date(self) -> dt.date:
        return self.levels.date

    @property
    def worst(self) -> str:
        """The most severe status among the items (`ok` with no items)."""
        return min(self.levels.items["status"], key=SEVERITY.__getitem__, default="ok")

    def exit_code(self, fail_on: str | None) -> ExitCode:
        """THRESHOLD when an item reached the status `fail_on` (or a worse one), for scheduled runs."""
        return ExitCode.THRESHOLD if fail_on and SEVERITY[self.worst] <= SEVERITY[fail_on] else ExitCode.OK


def stock_report(paths: list[Path], settings: Settings, request: StockRequest,
                 progress: Progress | None = None) -> StockReport:
    levels = check_stock(paths, settings, request.date, request.window, progress)
    if request.roster is None:
        if request.delivery:
            raise GridtoolError("--plan 需要知道各楼栋的户数。", "请同时给出 --roster 居民名册（或楼栋户数表）。")
        return StockReport(levels)
    homes = households(request.roster, settings)
    allocation = fairness(levels.movements, homes, levels.date, request.window, settings.fair_share)
    proposal = None
    if request.delivery:
        quantity, item = request.delivery
        proposal = plan(quantity, item, levels.movements, homes, levels.date, request.window, levels.items["item"])
    return StockReport(levels, allocation, proposal)
