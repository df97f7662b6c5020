"""`gridtool check`: what the reader understood of each file, and the values it could not read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gridtool.config import Settings
from gridtool.domain.checkins import observations
from gridtool.domain.findings import Finding
from gridtool.domain.sources import KIND_LABELS, Progress, SourceInfo, classify, source_info
from gridtool.domain.stock import STOCK_SYNONYMS, inventory_items, movement_rows
from gridtool.table.columns import FIELD_LABELS, merge_synonyms
from gridtool.table.header import Table, locate_table
from gridtool.table.read import read_sheets
from gridtool.table.values import MISSING_MARKERS, clean_text

STOCK_LABELS = {"item": "物资名称", "stock": "库存", "threshold": "预警值", "daily_use": "日均消耗",
                "lead_time": "到货天数", "pack": "包装规格", "quantity": "数量", "direction": "类型",
                "in_qty": "入库", "out_qty": "出库", "building": "领用楼栋", "date": "日期", "spec": "规格",
                "unit_of": "单位", "handler": "经办人"}


@dataclass
class CheckReport:
    sources: list[SourceInfo]
    unmapped: dict[tuple[str, str], list[str]]
    problems: list[Finding] = field(default_factory=list)
    kind_labels: dict[str, str] = field(default_factory=lambda: {**KIND_LABELS, "inventory": "物资库存表",
                                                                 "movements": "出入库记录"})


def _stock_kind(table: Table) -> str | None:
    fields = set(table.fields)
    if "item" not in fields:
        return None
    if "date" in fields and fields & {"quantity", "in_qty", "out_qty"}:
        return "movements"
    return "inventory" if "stock" in fields else None


def inspect_files(paths: list[Path], settings: Settings, progress: Progress | None = None,
                  today: dt.date | None = None) -> CheckReport:
    today = today or dt.date.today()
    residents = merge_synonyms(settings.columns)
    stock = merge_synonyms({k: v for k, v in settings.columns.items() if k in STOCK_SYNONYMS}, STOCK_SYNONYMS)
    report = CheckReport([], {})
    for path in paths:
        if progress:
            progress(f"读取 {path.name}")
        for raw in read_sheets(path):
            table = locate_table(raw, residents)
            kind = classify(table) if table is not None else "skipped"
            labels = FIELD_LABELS
            if kind == "skipped":
                stock_table = locate_table(raw, stock)
                stock_kind = _stock_kind(stock_table) if stock_table is not None else None
                if stock_table is not None and stock_kind:
                    table, kind, labels = stock_table, stock_kind, STOCK_LABELS
            if table is None or kind == "skipped":
                report.sources.append(SourceInfo(path.name, raw.name, "skipped"))
                continue
            report.sources.append(source_info(table, kind, labels))
            used = {c.index for c in table.columns}
            report.unmapped[(path.name, raw.name)] = [h for i, h in enumerate(table.headers) if h and i not in used]
            report.problems += _problems(table, kind, today)
    return report


def _skipped_rows(table: Table) -> list[Finding]:
    """Rows under the header that were not taken as records: notes, totals, repeated headers."""
    return [Finding("skipped_row", table.path.name, table.sheet, row, "", "", "按说明、合计或重复的表头处理，未计入")
            for row in table.dropped_rows[:50]]


def _problems(table: Table, kind: str, today: dt.date) -> list[Finding]:
    return _skipped_rows(table) + _value_problems(table, kind, today)


def _value_problems(table: Table, kind: str, today: dt.date) -> list[Finding]:
    if kind == "inventory":
        return inventory_items(table)[1]
    if kind == "movements":
        return movement_rows(table, today.year)[1]
    if kind != "people":
        return []
    frame, problems = observations([table], today.year, today)
    if "checked_at" in table.data.columns:
        raw = table.data["checked_at"].map(clean_text)
        odd = frame["time"].isna().to_numpy() & frame["checked_in"].to_numpy() & \
            ~raw.str.lower().isin(MISSING_MARKERS).to_numpy()
        problems += [Finding("unreadable_time", table.path.name, table.sheet, int(row), table.letters["checked_at"],
                             raw.loc[row], f"打卡时间「{raw.loc[row]}」不是时间，按“已打卡”处理")
                     for row in raw.index[odd][:200]]
    phones = frame.set_index("row")["phone"].astype(str)
    bad = phones.ne("") & ~phones.str.fullmatch(r"\d{7,12}")
    problems += [Finding("bad_phone", table.path.name, table.sheet, int(row), table.letters.get("phone", ""),
                         phone, f"电话「{phone}」不像电话号码") for row, phone in phones[bad].iloc[:200].items()]
    return problems
