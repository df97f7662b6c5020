"""The follow-up log workbook (跟进记录.xlsx) that `gridtool collect` keeps and `followups`/`tasks --log`
read: its sheet names, column headers and 是/否 values, in one place for the writer (output/log_book.py)
and the reader (domain/loop/logread.py). Standard library only; columns are found by header, never by
position, so a log reordered in Excel still reads back.
"""

from __future__ import annotations

from pathlib import Path

LOG_SHEET = "跟进记录"
OPEN_SHEET = "未办结"
BY_WORKER_SHEET = "按网格员"
BY_BUILDING_SHEET = "按楼栋"
HISTORY_SHEET = "历史"
CONFLICTS_SHEET = "冲突"
PROBLEMS_SHEET = "本次问题"

# field -> header of the 跟进记录 and 历史 sheets
HEADERS = {
    "key": "编号", "kind": "类型", "date": "日期", "worker": "网格员", "building": "楼栋", "unit": "单元",
    "room": "房号", "name": "姓名", "phone": "电话", "person_key": "居民", "reason": "原因", "answer": "跟进结果",
    "closed": "是否办结", "answered_at": "跟进时间", "note": "备注", "file": "来源文件", "issued_at": "发出时间",
    "collected_at": "收回时间", "file_time": "文件时间",
}
FIELDS = list(HEADERS)
# the fields a returned answer brings; everything else describes the item as issued
ANSWER_FIELDS = ("answer", "closed", "answered_at", "note")
OPEN_FIELDS = ("date", "worker", "building", "unit", "room", "name", "phone", "reason", "answer",
               "issued_at")
OVERDUE_HEADER = "超时"
OVERDUE_MARK = "超时"
COUNT_HEADERS = ("总数", "已办结", "未办结", "超时", "完成率")
CONFLICT_HEADERS = {"date": "日期", "name": "姓名", "room": "房号", "kept": "采用的结果", "kept_from": "采用来源",
                    "other": "另一结果", "other_from": "另一来源", "rule": "依据"}
PROBLEM_HEADERS = ("文件", "工作表", "行号", "说明")
YES, NO = "是", "否"


def closed_text(closed: bool) -> str:
    return YES if closed else NO


def is_closed(text: str) -> bool:
    return text.strip() == YES


# The secret under which building leaders' sheets and 配送单 carry their items' keys (domain/loop/leader_view.py),
# in a file beside the log: whoever holds the log holds everything the secret protects.
KEY_NOTE = "# gridtool：楼栋任务单、配送单上编号的密钥。请与跟进记录放在同一文件夹，不要删除，不要发给别人。"
KEY_BYTES = 32


def key_path(log: Path) -> Path:
    return log.with_name(log.name + ".key")


def parse_key(text: str) -> bytes | None:
    """The secret written in a key file, or None when the file does not hold one."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    try:
        secret = bytes.fromhex(lines[-1]) if lines else b""
    except ValueError:
        return None
    return secret if len(secret) == KEY_BYTES else None


def read_key(log: Path) -> bytes | None:
    """The log's secret, or None when it has none (yet) or it cannot be read."""
    try:
        return parse_key(key_path(log).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
