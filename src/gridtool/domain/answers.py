"""The answers a worker picks in the 跟进结果 column, and whether each one closes the item."""

from __future__ import annotations

FOLLOWUP_ANSWERS: tuple[tuple[str, bool], ...] = (
    ("已补打卡", True),
    ("已联系-情况正常", True),
    ("已就医/已转诊", True),
    ("外出-已登记", True),
    ("未联系上", False),
    ("需上门", False),
)
