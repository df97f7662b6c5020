"""`gridtool stock`: per item stock, daily use, days left, status and reorder; allocation between buildings."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from gridtool.config import Settings
from gridtool.domain.findings import Finding, reading_findings
from gridtool.domain.sources import PEOPLE_KINDS, STOCK_LABELS, Loaded, Progress, kind_missing, load_sources
from gridtool.domain.stock.levels import (
    StockResult,
    inventory_items,
    item_key,
    movement_rows,
    possible_duplicates,
    read_number,
)
from gridtool.errors import GridtoolError
from gridtool.table.header import Table

ITEM_FIELDS = ["item", "spec", "unit_of", "stock", "threshold", "daily_use", "days_left", "lead_time", "pack",
               "status", "reorder"]
SEVERITY = {"out_of_stock": 0, "below_threshold": 1, "running_low": 2, "ok": 3}


def stock_tables(loaded: Loaded, paths: list[Path]) -> tuple[list[Table], list[Table]]:
    """Inventory sheets and movement logs among the loaded sheets of the given files."""
    inventories, logs = loaded.tables["inventory"], loaded.tables["movements"]
    if not inventories and not logs:
        raise kind_missing(
            loaded, paths, "库存表或出入库记录",
            f"库存表需要「{STOCK_LABELS['item']}」和「库存」列；"
            "出入库记录需要「日期」「物资名称」「类型」「数量」列（或「入库」「出库」两列）。",
            "列名不同时，可在 gridtool.toml 的 [columns] 中添加，例如 stock = [\"现存数量\"]。")
    return inventories, logs


def evaluate_items(inventory: pd.DataFrame, movements: pd.DataFrame, date: dt.date, window: int,
                   settings: Settings) -> pd.DataFrame:
    """Stock, daily use, days left, status and reorder for every item."""
    balance, outflow, logged = logged_totals(movements, date, window)
    names = pd.concat([inventory["item"], logged]).drop_duplicates(keep="first")
    table = pd.DataFrame({"item": names, "key": names.map(item_key)}).drop_duplicates("key").set_index("key")
    known = inventory.assign(key=inventory["item"].map(item_key)).drop_duplicates("key").set_index("key")
    for field in ("spec", "unit_of", "stock", "threshold", "daily_use", "lead_time", "pack"):
        table[field] = known[field].reindex(table.index) if field in known.columns else np.nan
    table["stock"] = table["stock"].where(table["stock"].notna(), balance.reindex(table.index))
    from_log = (-outflow.reindex(table.index).fillna(0.0) / window).where(table.index.isin(balance.index))
    table["daily_use"] = table["daily_use"].where(table["daily_use"].notna(), from_log).round(2)
    table["lead_time"] = table["lead_time"].fillna(settings.lead_time)
    use = table["daily_use"]
    table["days_left"] = (table["stock"] / use.where(use > 0)).round(1)
    table["status"] = np.select(
        [table["stock"] <= 0, table["stock"] < table["threshold"], table["days_left"] < table["lead_time"]],
        ["out_of_stock", "below_threshold", "running_low"], default="ok")
    table["reorder"] = [reorder(u, lead, settings.cover_days, s, p, t) for u, lead, s, p, t in
                        zip(use, table["lead_time"], table["stock"], table["pack"], table["threshold"], strict=True)]
    table["spec"] = table["spec"].fillna("")
    table["unit_of"] = table["unit_of"].fillna("")
    ordered = table.reset_index(drop=True).assign(rank=table["status"].map(SEVERITY).to_numpy())
    return ordered.sort_values(["rank", "days_left", "item"], na_position="last").drop(columns="rank")[ITEM_FIELDS]


def logged_totals(movements: pd.DataFrame, date: dt.date, window: int) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per item key, the balance logged up to `date` and the outflow over the window before it; and the names
    logged up to `date` in the order they first appear. Items and days are worked out per distinct value (a
    few dozen names and days in a million rows) and the rows summed by integer codes; a blank cell has code -1,
    which picks the value appended last."""
    item_codes, items = pd.factorize(movements["item"])
    key_of_item, keys = pd.factorize(pd.Index([item_key(str(name)) for name in [*items, ""]], dtype=object))
    day_codes, days = pd.factorize(movements["date"])
    past = np.append(np.asarray(days <= date, dtype=bool), False)[day_codes]
    recent = np.append(np.asarray(days > date - dt.timedelta(days=window), dtype=bool), False)[day_codes] & past
    change = movements["change"].to_numpy(dtype=float)
    row_keys = key_of_item[item_codes]
    outgoing = recent & (change < 0)
    balance = pd.Series(change[past]).groupby(row_keys[past]).sum()
    outflow = pd.Series(change[outgoing]).groupby(row_keys[outgoing]).sum()
    balance.index, outflow.index = keys[balance.index], keys[outflow.index]
    rows = np.flatnonzero(past)
    first = rows[pd.Series(item_codes[rows]).drop_duplicates().index.to_numpy()]
    return balance, outflow, movements["item"].iloc[first]


def reorder(use: float, lead_time: float, cover_days: float, stock: float, pack: float,
            threshold: float = math.nan) -> float | None:
    """daily use × (lead time + cover days) − stock, not below 0, up to whole packs (or whole units).

    With no known daily use, enough to reach the threshold; with neither, no suggestion."""
    if use is None or math.isnan(use):
        if threshold is None or math.isnan(threshold):
            return None
        need = max(0.0, threshold - stock)
    else:
        need = max(0.0, round(use * (lead_time + cover_days) - stock, 6))
    if pack and not math.isnan(pack) and pack > 0:
        return float(math.ceil(need / pack) * pack)
    return float(math.ceil(need))


def check_stock(paths: list[Path], settings: Settings, date: dt.date | None = None, window: int = 7,
                progress: Progress | None = None, today: dt.date | None = None) -> StockResult:
    return stock_from(load_sources(paths, settings, progress), paths, settings, date, window, today)


def stock_from(loaded: Loaded, paths: list[Path], settings: Settings, date: dt.date | None = None, window: int = 7,
               today: dt.date | None = None) -> StockResult:
    """Stock warnings from sheets already loaded (`paths` only name the files in messages)."""
    if window < 1:
        raise GridtoolError(f"--window {window} 不对：统计天数至少为 1 天。")
    year = (date or today or dt.date.today()).year
    inventories, logs = stock_tables(loaded, paths)
    problems: list[Finding] = []
    parts = []
    for table in inventories:
        found, trouble = inventory_items(table)
        parts.append(found)
        problems += trouble
    inventory = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["item", "stock", "threshold", "daily_use", "lead_time", "pack", "spec", "unit_of"])
    moves = []
    for table in logs:
        found, trouble = movement_rows(table, year)
        moves.append(found)
        problems += trouble
    movements = pd.concat(moves, ignore_index=True) if moves else pd.DataFrame(
        columns=["item", "date", "change", "building"])
    target = date or (max(movements["date"]) if len(movements) else (today or dt.date.today()))
    items = evaluate_items(inventory, movements, target, window, settings)
    if items.empty and problems:  # every row rejected: a report with no items would say nothing is wrong
        first = "；".join(f"{p.place}：{p.message}" for p in problems[:3])
        raise GridtoolError(f"物资表中的 {len(problems)} 行都无法读取，没有任何物资可以统计。例如：{first}",
                            "请检查物资名称、数量、类型（入库/出库）列；可运行 gridtool check 查看读到的内容。")
    duplicates = possible_duplicates(items["item"].tolist())
    return StockResult(target, items, movements, reading_findings(loaded.read_notes) + problems, duplicates)


def households(path: Path, settings: Settings) -> pd.Series:
    """Households per building, from a sheet with 楼栋 and 户数, or counted from a resident roster."""
    from gridtool.domain.people.residents import people_frame, stack_tables
    from gridtool.domain.stock.allocation import households_from_roster

    loaded = load_sources([path], settings)
    for table in loaded.tables["households"]:
        frame = people_frame(stack_tables([table]))
        counts = table.data["households"].map(lambda t: read_number(str(t)) if t == t else None)
        known = pd.Series(counts.to_numpy(), index=frame["building"].to_numpy()).dropna()
        return known[known > 0].groupby(level=0).sum().astype(int)
    roster_tables = [t for t in loaded.of(*PEOPLE_KINDS) if set(t.fields) & {"building", "address", "room"}]
    if not roster_tables:
        raise kind_missing(loaded, [path], "户数", "需要一张有「楼栋」「户数」两列的表，或带楼栋、房号的居民名册。",
                           "请检查 --roster 是否选错了文件。")
    return households_from_roster(people_frame(stack_tables(roster_tables)))
