"""Every kind of sheet gridtool understands, declared once, and the one way commands load them.

A kind is a vocabulary (fields and their column names), a recognition rule over the fields a header
names, and a Chinese label. Declaration order decides ties: the first kind that recognises a sheet takes
it. A new kind is one more `Kind(...)` in `KINDS`; `gridtool check` and every command then see it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from gridtool import logformat, manifest
from gridtool.config import Settings
from gridtool.domain.requests.fields import REQUEST_LABELS, REQUEST_SYNONYMS, ROUTE_LABELS, ROUTE_SYNONYMS
from gridtool.domain.stock.levels import STOCK_SYNONYMS
from gridtool.domain.volunteers.fields import (
    VOLUNTEER_LABELS,
    VOLUNTEER_SYNONYMS,
    is_redemption_log,
    is_service_log,
    is_volunteer_roster,
)
from gridtool.errors import GridtoolError
from gridtool.table.columns import FIELD_LABELS, SYNONYMS
from gridtool.table.kinds import Kind, Loaded, Progress, SourceInfo, Vocabulary, load

__all__ = ["KINDS", "KIND_LABELS", "Loaded", "Progress", "SourceInfo", "kind_missing", "load_sources"]

STOCK_LABELS = {"item": "物资名称", "stock": "库存", "threshold": "预警值", "daily_use": "日均消耗",
                "lead_time": "到货天数", "pack": "包装规格", "quantity": "数量", "direction": "类型",
                "in_qty": "入库", "out_qty": "出库", "building": "领用楼栋", "date": "日期", "spec": "规格",
                "unit_of": "单位", "handler": "经办人"}
HOUSEHOLD_SYNONYMS = {"households": ("户数", "住户数", "户数量", "居民户数", "总户数", "households")}

PEOPLE = Vocabulary("people", SYNONYMS, FIELD_LABELS)
STOCK = Vocabulary("stock", STOCK_SYNONYMS, STOCK_LABELS)
REQUESTS = Vocabulary("requests", REQUEST_SYNONYMS, REQUEST_LABELS)
VOLUNTEERS = Vocabulary("volunteers", VOLUNTEER_SYNONYMS, VOLUNTEER_LABELS)
ROUTE = Vocabulary("route", ROUTE_SYNONYMS, ROUTE_LABELS)
HOUSEHOLDS = Vocabulary("households", {**SYNONYMS, **HOUSEHOLD_SYNONYMS}, {**FIELD_LABELS, "households": "户数"})
FOLLOWLOG = Vocabulary("followlog", {name: (header,) for name, header in logformat.HEADERS.items()}, logformat.HEADERS)
LAYOUT = Vocabulary("layout", {"building": SYNONYMS["building"], "grid_row": ("行", "排", "行号", "第几行"),
                               "grid_col": ("列", "列号", "第几列")}, {"building": "楼栋", "grid_row": "行", "grid_col": "列"})

# A table of people is a check-in table when it records something about the day; otherwise a roster.
CHECKIN_FIELDS = frozenset({"temperature", "temperature_2", "temperature_3", "fever_answer", "health_code", "temperature_ok",
                            "checked_at", "checked", "symptoms"})


def _is_checkins(fields: frozenset[str]) -> bool:
    return "name" in fields and bool(fields & CHECKIN_FIELDS)


KINDS: tuple[Kind, ...] = (
    # gridtool's own follow-up log (collect writes it): before check-ins, whose vocabulary would take 跟进时间
    Kind("followlog", "跟进记录", FOLLOWLOG, lambda f: {"key", "closed", "issued_at"} <= f, claims_workbook=True),
    Kind("layout", "楼栋布局表", LAYOUT, lambda f: {"building", "grid_row", "grid_col"} <= f),
    # Volunteer sheets first: each needs a column no resident sheet has (服务类型, 兑换内容, 组别).
    Kind("service_log", "志愿服务记录", VOLUNTEERS, is_service_log),
    Kind("redemptions", "积分兑换记录", VOLUNTEERS, is_redemption_log),
    Kind("volunteer_roster", "志愿者名册", VOLUNTEERS, is_volunteer_roster),
    Kind("exemptions", "免打卡登记", PEOPLE, lambda f: {"name", "reason"} <= f and bool(f & {"start", "end"})),
    Kind("assignments", "网格分工表", PEOPLE, lambda f: "building" in f and bool(f & {"worker", "leader"})
         and "name" not in f),
    Kind("requests", "居民诉求", REQUESTS, lambda f: "request" in f),
    Kind("households", "楼栋户数表", HOUSEHOLDS, lambda f: {"households", "building"} <= f and "name" not in f),
    Kind("checkins", "打卡表", PEOPLE, _is_checkins),
    Kind("roster", "居民名册", PEOPLE, lambda f: "name" in f),
    Kind("movements", "出入库记录", STOCK, lambda f: {"item", "date"} <= f and bool(f & {"quantity", "in_qty", "out_qty"})),
    Kind("inventory", "物资库存表", STOCK, lambda f: {"item", "stock"} <= f),
    Kind("route", "配送路线", ROUTE, lambda f: {"building", "order"} <= f),
    # Workbooks gridtool wrote itself (to-do, building and call sheets): read back by `collect` only.
    Kind("gridtool_output", "gridtool 生成的表格", PEOPLE, lambda f: False, marker_sheet=manifest.SHEET),
)
KIND_LABELS = {kind.name: kind.label for kind in KINDS}
PEOPLE_KINDS = ("checkins", "roster")


def load_sources(paths: Iterable[Path], settings: Settings, progress: Progress | None = None) -> Loaded:
    """Every sheet of these files and folders, sorted into the declared kinds."""
    return load(paths, KINDS, settings.columns, progress)


def kind_missing(loaded: Loaded, paths: Iterable[Path], wanted: str, needs: str, hint: str) -> GridtoolError:
    """The error for a command that did not find the kind of sheet it needs: what it found instead."""
    names = "、".join(p.name for p in paths)
    recognised = [s for s in loaded.sources if s.kind != "skipped"]
    if recognised:
        found = "、".join(f"{s.where}是{s.label}" for s in recognised)
        return GridtoolError(f"{names}：没有找到{wanted}。读到的是：{found}。{needs}", hint)
    return GridtoolError(f"{names}：没有找到{wanted}。表格是空的，或前 30 行中没有可识别的表头。{needs}", hint)
