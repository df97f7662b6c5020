"""Stock warnings: what is left, how many days it lasts at the current rate, what to reorder.

Inputs are an inventory sheet, a movement log (入库/出库), or both: the inventory's count is the stock
when given, the log supplies the balance otherwise and the daily use over a window of days.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gridtool.domain.findings import Finding, finding
from gridtool.table.address import normalize_building
from gridtool.table.columnwise import map_unique
from gridtool.table.distinct import Distinct
from gridtool.table.header import Table
from gridtool.table.values import clean_text, parse_date

STOCK_SYNONYMS: dict[str, tuple[str, ...]] = {
    "item": ("物资名称", "物资", "名称", "品名", "物品名称", "物品", "物资品名", "item"),
    "spec": ("规格", "型号", "规格型号", "spec"),
    "unit_of": ("单位", "计量单位", "uom"),
    "stock": ("当前库存", "库存", "库存数量", "现有库存", "结存", "结余", "余量", "stock"),
    "threshold": ("预警值", "安全库存", "最低库存", "警戒值", "预警线", "threshold"),
    "daily_use": ("日均消耗", "日均用量", "每日消耗", "日消耗", "dailyuse"),
    "lead_time": ("到货天数", "采购周期", "到货周期", "补货周期", "leadtime"),
    "pack": ("包装规格", "每箱数量", "每包数量", "箱规", "装箱数", "pack"),
    "date": ("日期", "出入库日期", "发生日期", "时间", "date"),
    "direction": ("类型", "出入库", "出/入库", "方向", "收发", "type"),
    "in_qty": ("入库", "入库数量", "收入"),
    "out_qty": ("出库", "出库数量", "领用数量", "发出"),
    "quantity": ("数量", "quantity"),
    "building": ("领用楼栋", "楼栋", "领用单位", "发放楼栋", "领用人楼栋"),
    "handler": ("经办人", "领用人", "handler"),
}
STATUS_LABELS = {"out_of_stock": "缺货", "below_threshold": "低于预警", "running_low": "即将不足", "ok": "正常"}
IN_WORDS = ("入库", "入", "收", "进", "采购", "调入", "捐赠", "到货")
OUT_WORDS = ("出库", "出", "领用", "发放", "发", "调出", "消耗", "使用")


@dataclass
class StockResult:
    date: dt.date
    items: pd.DataFrame
    movements: pd.DataFrame
    problems: list[Finding] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)


def item_key(name: str) -> str:
    """Names that are the same item: NFKC, no spaces or brackets, latin lower-cased."""
    text = unicodedata.normalize("NFKC", name).lower()
    return re.sub(r"[\s()（）\[\]【】]", "", text)


def duplicate_key(name: str) -> str:
    """Names made of the same parts in another order (口罩(N95) / N95口罩)."""
    return "".join(sorted(re.findall(r"[a-z0-9.]+|[^\sa-z0-9.]", item_key(name))))


def read_number(text: str) -> float | None:
    """`300`, `300个`, `1,200`, `３００` -> a number; blank or unreadable -> None."""
    text = clean_text(text).replace(",", "").replace("，", "")
    match = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*[^\d\s]{0,3}", text)
    return float(match.group(1)) if match else None


def _numbers(table: Table, field: str) -> tuple[pd.Series, pd.Series]:
    """(numbers, text) for a column; text kept to say what could not be read."""
    if field not in table.data.columns:
        empty = pd.Series("", index=table.data.index, dtype=object)
        return pd.Series(math.nan, index=table.data.index), empty
    text = map_unique(table.data[field], clean_text)
    return map_unique(table.data[field], read_number).astype(float), text


def _problem(table: Table, row: int, field: str, code: str, item: str, value: str, **details: str) -> Finding:
    return finding(code, table.path.name, table.sheet, row, table.letters.get(field, ""), value=value, item=item,
                   **details)


def inventory_items(table: Table) -> tuple[pd.DataFrame, list[Finding]]:
    """One row per item of an inventory sheet; an unreadable or negative stock is a problem, not a 0."""
    names = map_unique(table.data["item"], clean_text)
    stock, stock_text = _numbers(table, "stock")
    problems = []
    good = pd.Series(True, index=table.data.index)
    for row in table.data.index:
        name, value = names[row], stock_text[row]
        if not name:
            problems.append(_problem(table, int(row), "item", "stock_no_item", "", value))
        elif math.isnan(stock[row]):
            problems.append(_problem(table, int(row), "stock", "stock_not_a_number", name, value))
        elif stock[row] < 0:
            problems.append(_problem(table, int(row), "stock", "stock_negative", name, value))
        else:
            continue
        good[row] = False
    frame = pd.DataFrame({"item": names, "stock": stock}, index=table.data.index)
    for name in ("threshold", "daily_use", "lead_time", "pack"):
        frame[name], text = _numbers(table, name)
        bad = frame[name].isna() & (text != "")
        problems += [_problem(table, int(r), name, "stock_optional_not_a_number", names[r], text[r])
                     for r in bad[bad & good].index]
    for name in ("spec", "unit_of"):
        frame[name] = map_unique(table.data[name], clean_text) if name in table.data.columns else ""
    frame["source"] = f"{table.where}"
    return frame[good].reset_index(drop=True), problems


def sheet_direction(table: Table) -> str:
    """A register kept as one sheet per direction (入库登记 / 出库登记, no 类型 column): the sheet's name or
    title says which; '' when it does not, so every row is reported rather than guessed."""
    said = f"{table.sheet} {table.title}"
    found = {word for word, words in (("入库", ("入库", "采购", "到货", "捐赠", "调入", "收货")),
                                      ("出库", ("出库", "领用", "发放", "调出", "发出")))
             if any(w in said for w in words)}
    return found.pop() if len(found) == 1 else ""


def movement_rows(table: Table, year: int) -> tuple[pd.DataFrame, list[Finding]]:
    """Signed quantities (入库 +, 出库 −) with day, item and receiving building; bad rows reported.

    Each column is parsed once per distinct text and every row judged by picking from those values; only the
    rows found bad are visited, to word the problem."""
    data = table.data
    item, date, quantity, building = (_distinct(data, name) for name in ("item", "date", "quantity", "building"))
    kind = _distinct(data, "direction") if "direction" in data.columns \
        else Distinct.same(sheet_direction(table), len(data))
    names, days, directions = item.parsed(clean_text), date.parsed(lambda t: parse_date(t, year)), kind.parsed(clean_text)
    signs = np.array([direction_sign(d) for d in directions], dtype=float)[kind.codes]
    amount = quantity.rows(read_number, float)
    incoming, outgoing = (_distinct(data, name).rows(read_number, float) for name in ("in_qty", "out_qty"))
    split = ~np.isnan(incoming) | ~np.isnan(outgoing)  # separate 入库 and 出库 columns
    change = np.where(split, _zero_if_nan(incoming) - _zero_if_nan(outgoing), amount * signs)
    trouble = np.select(
        [(names == "")[item.codes], pd.isna(days)[date.codes], ~split & np.isnan(amount), ~split & (amount < 0),
         ~split & np.isnan(signs)], list(range(1, len(TROUBLE))), default=0)
    texts = ((names, item), (date.parsed(clean_text), date), (quantity.parsed(clean_text), quantity), (directions, kind))
    problems = [_movement_problem(table, int(data.index[at]), TROUBLE[trouble[at]],
                                  *(str(values[column.codes[at]]) for values, column in texts))
                for at in np.flatnonzero(trouble)]
    good = trouble == 0
    rows = pd.DataFrame({"item": pd.Series(names[item.codes[good]], dtype=object), "date": days[date.codes[good]],
                         "change": change[good], "building": pd.Series(
                             building.parsed(normalize_building)[building.codes[good]], dtype=object)})
    return rows, problems


TROUBLE = ("", "item", "date", "no_number", "negative", "direction")  # the order the checks are made in


def _distinct(data: pd.DataFrame, name: str) -> Distinct:
    return Distinct.of(data[name]) if name in data.columns else Distinct.blank(len(data))


def _zero_if_nan(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), 0.0, values)


def direction_sign(direction: str) -> float:
    """入库 (and its synonyms) +1, 出库 −1, anything else NaN: reported, never guessed."""
    if direction.startswith(IN_WORDS):
        return 1.0
    return -1.0 if direction.startswith(OUT_WORDS) else math.nan


def _movement_problem(table: Table, row: int, kind: str, name: str, date: str, quantity: str,
                      direction: str) -> Finding:
    if kind == "item":
        return _problem(table, row, "item", "stock_no_item", "", quantity)
    if kind == "date":
        return _problem(table, row, "date", "stock_bad_date", name, date)
    if kind == "direction":
        return _problem(table, row, "direction", "stock_bad_direction", name, quantity or direction, direction=direction)
    code = "stock_quantity_not_a_number" if kind == "no_number" else "stock_negative_quantity"
    return _problem(table, row, "quantity", code, name, quantity or direction)


def possible_duplicates(names: list[str]) -> list[tuple[str, str]]:
    """Pairs of differently written names that look like one item; reported, never merged."""
    seen: dict[str, str] = {}
    pairs = []
    for name in names:
        key = duplicate_key(name)
        if key in seen and item_key(seen[key]) != item_key(name):
            pairs.append((seen[key], name))
        seen.setdefault(key, name)
    return pairs
