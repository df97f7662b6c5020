"""The hidden `_gridtool` sheet every to-do workbook carries, so it can be read back whatever was done
to the visible sheet: what the workbook is (kind, date, owner, when issued) and every item on it.

A building leader's task book and a volunteer's 配送单 are handed to neighbours, who can unhide the sheet:
their manifest holds only what the visible sheet shows (room, the name and the action as printed) under an
opaque key that `collect` looks up in the follow-up log; never a full name, a phone, the resident's key or
a reason the sheet hides.

Shared by the writer (output/) and the reader (domain/loop/followlog.py); standard library only. The item
columns are found by their header, never by position.
"""

from __future__ import annotations

import datetime as dt

SHEET = "_gridtool"
KEY_HEADER = "编号"
# field -> header, in the order the writer puts them
ITEMS = {
    "key": KEY_HEADER, "kind": "类型", "date": "日期", "person_key": "居民", "name": "姓名",
    "building": "楼栋", "unit": "单元", "room": "房号", "phone": "电话", "worker": "网格员", "reason": "原因",
}
REQUIRED = ("key", "kind", "date", "person_key", "name", "room", "worker")
# a building leader's book or a 配送单: the item as printed (name and action as shown), nothing more
LEADER_ITEMS = {"key": KEY_HEADER, "date": "日期", "building": "楼栋", "unit": "单元", "room": "房号",
                "name": "姓名", "reason": "事项"}
LEADER_REQUIRED = ("key", "date", "room", "name")
LEADER = "tasks"
DELIVERY = "delivery"
PRINTED_ONLY = (LEADER, DELIVERY)  # kinds whose manifest holds only what the sheet prints, under opaque keys
META = ("kind", "date", "owner", "issued_at")
RETURNABLE = ("followups", LEADER, "calls", DELIVERY)  # what a worker, building leader or volunteer sends back
OVERVIEW = "overview"
KINDS = (*RETURNABLE, OVERVIEW)
# A to-do workbook lists at most this many items; a manifest claiming more is not read (a forged or
# broken sheet must not cost minutes and gigabytes).
MAX_ITEMS = 200_000


class ManifestError(ValueError):
    """The manifest cannot be trusted to read the workbook back; the message says why, in Chinese."""


def parse(rows: list[list[str]]) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The metadata and the items of a manifest given as rows of cell texts."""
    if len(rows) > MAX_ITEMS + len(META) + 3:
        raise ManifestError(f"隐藏的清单有 {len(rows)} 行，超过上限 {MAX_ITEMS}，不像 gridtool 发出的表")
    top = next((i for i, row in enumerate(rows) if KEY_HEADER in row), None)
    if top is None:
        raise ManifestError(f"隐藏的清单缺少“{KEY_HEADER}”表头")
    meta = {row[0]: (row[1] if len(row) > 1 else "") for row in rows[:top] if row and row[0] in META}
    _check_meta(meta)
    fields = layout(meta["kind"])
    position = {header: i for i, header in enumerate(rows[top]) if header}
    required = LEADER_REQUIRED if meta["kind"] in PRINTED_ONLY else REQUIRED
    missing = [fields[f] for f in required if fields[f] not in position]
    if missing:
        raise ManifestError(f"隐藏的清单缺少列：{'、'.join(missing)}")
    columns = {field: position.get(fields[field]) if field in fields else None for field in ITEMS}
    items = [{field: (row[i] if i is not None and i < len(row) else "") for field, i in columns.items()}
             for row in rows[top + 1:]]
    return meta, [item for item in items if item["key"]]


def _check_meta(meta: dict[str, str]) -> None:
    if meta.get("kind") not in KINDS:
        raise ManifestError(f"隐藏的清单类型「{meta.get('kind', '')}」不是待跟进表或楼栋任务单")
    try:
        dt.date.fromisoformat(meta.get("date", ""))
    except ValueError:
        raise ManifestError(f"隐藏的清单日期「{meta.get('date', '')}」缺失或不对") from None


def layout(kind: str) -> dict[str, str]:
    """The item columns (field -> header) of a manifest of this kind."""
    return LEADER_ITEMS if kind in PRINTED_ONLY else ITEMS


def rows_for(items: list[dict[str, object]], kind: str) -> list[list[object]]:
    """Manifest rows in the writer's column order for this kind, from items given by field."""
    fields = layout(kind)
    return [[item.get(field, "") for field in fields] for item in items]
