"""The answers a worker picks in the 跟进结果 column, and whether each one closes the item.

Defined once here; gridtool.toml's [answers] replaces the list for a community that words it otherwise.
"""

from __future__ import annotations

from gridtool.config import Settings
from gridtool.table.values import clean_text

FOLLOWUP_ANSWERS: tuple[tuple[str, bool], ...] = (
    ("已补打卡", True),
    ("已联系-情况正常", True),
    ("已就医/已转诊", True),
    ("外出-已登记", True),
    ("未联系上", False),
    ("需上门", False),
)
TICK_ANSWER = "已完成（打勾）"
TICKS = frozenset({"√", "✓", "✔", "v", "y", "1", "是", "已完成", "完成", "ok", "☑", "对"})


def answer_list(settings: Settings) -> tuple[tuple[str, bool], ...]:
    return settings.answers or FOLLOWUP_ANSWERS


def judge(answer: str, tick: str, answers: tuple[tuple[str, bool], ...]) -> tuple[str, bool, bool]:
    """(answer as kept, closes the item?, outside the list?). A blank answer is open; a tick alone closes."""
    text = clean_text(answer)
    closing = dict(answers)
    if not text:
        if clean_text(tick).lower() in TICKS:
            return TICK_ANSWER, True, False
        return "", False, False
    if text in closing:
        return text, closing[text], False
    return text, False, True
