"""What a building leader's task sheet may say about a resident.

A 楼栋长 is a neighbour volunteer and the sheet hangs in stairwells and WeChat groups, so by default it
names a resident by room and masked name (张*丽), asks the same neutral thing for every follow-up
(whether the resident has a fever or only forgot to check in), and names a request by its category
("代购药品"), never in the resident's words. A community that decides otherwise sets `full_names`.

Nor does the sheet carry the item's key: that key is a hash of the day, the name and the address, so a
neighbour who sees 张*丽 in 301 could try every middle character until it matches. The sheet's key is a
keyed hash (HMAC) of the item's key under a secret kept beside the follow-up log (`跟进记录.xlsx.key`),
which `collect` turns back into the item by looking it up among the log's items.
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from gridtool.domain.checkins.messages import mask_name

FOLLOWUP_ACTION = "请提醒/协助联系"
NOTICE_ACTION = "送纸质通知"
OTHER_REQUEST = "其他求助（详情问网格员）"
# first match wins: medicine before a doctor's visit before groceries before repairs
REQUEST_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("代购药品", ("药",)),
    ("就医协助", ("就医", "看病", "医院", "透析", "化疗", "复诊", "急诊", "产检", "孕检", "输液", "打针", "检查")),
    ("代购生活物资", ("菜", "米", "面", "油", "奶", "蛋", "肉", "水果", "食", "粮", "尿不湿", "纸", "日用", "物资",
                "煤气", "燃气", "液化气", "饮用水", "桶装水")),
    ("维修求助", ("修", "漏", "堵", "坏", "水管", "停水", "停电", "断电", "电路", "马桶", "门锁")),
    ("心理疏导", ("心理", "焦虑", "失眠", "情绪", "抑郁")),
    ("垃圾清运", ("垃圾",)),
    ("宠物照看", ("宠物", "猫", "狗")),
)


def request_category(text: str) -> str:
    """代购药品 for "送降压药", 维修求助 for "家里水管漏水"; what is not recognised says only 其他求助."""
    for label, words in REQUEST_CATEGORIES:
        if any(word in text for word in words):
            return label
    return OTHER_REQUEST


def sheet_key(secret: bytes, key: str) -> str:
    """The key a building leader's sheet shows for the item `key`: reveals nothing without the secret."""
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()[:16]


def leader_wording(items: pd.DataFrame, secret: bytes, full_names: bool = False) -> pd.DataFrame:
    """`items` (key, kind, name, action) with `shown_name`, `shown_action` and `sheet_key`: what the sheet
    prints, and the key it carries."""
    items = items.assign(sheet_key=[sheet_key(secret, str(k)) for k in items["key"]])
    if full_names:
        return items.assign(shown_name=items["name"].astype(str), shown_action=items["action"].astype(str))
    kinds, actions = items["kind"].astype(str).tolist(), items["action"].astype(str).tolist()
    shown = [FOLLOWUP_ACTION if kind in ("followup", "carried")
             else request_category(action.removeprefix("诉求：")) if kind == "request"
             else NOTICE_ACTION if kind == "notice" else FOLLOWUP_ACTION
             for kind, action in zip(kinds, actions, strict=True)]
    return items.assign(shown_name=[mask_name(str(n)) for n in items["name"]], shown_action=shown)
