"""The hidden `_gridtool` sheet every to-do workbook carries, so it can be read back whatever was done
to the visible sheet: what the workbook is (kind, date, owner, when issued) and every item on it.

Shared by the writer (output/) and the reader (domain/followlog.py); standard library only.
"""

from __future__ import annotations

SHEET = "_gridtool"
KEY_HEADER = "编号"
# field -> header, in column order
ITEMS = {
    "key": KEY_HEADER, "kind": "类型", "date": "日期", "person_key": "居民", "name": "姓名",
    "building": "楼栋", "unit": "单元", "room": "房号", "phone": "电话", "worker": "网格员", "reason": "原因",
}
META = ("kind", "date", "owner", "issued_at")
