"""Building task sheets for building leaders: big print, a tick column, a sign-off line; A4 portrait
with the building and the date in the page header."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from gridtool.output.todo_sheets import HEADER_ROW, Heading, finish_todo_book
from gridtool.output.xlsx import Column, OutputNames, Styles, atomic_workbook, write_table

BIG_PRINT = 14
TASK_COLUMNS = [
    Column("序号", 6), Column("单元", 6), Column("房号", 8), Column("姓名", 10), Column("事项", 34),
    Column("完成(打√)", 10, input=True), Column("跟进结果", 18, input=True), Column("备注", 16, input=True),
    Column("编号", 14, hidden=True),
]


def write_task_book(path: Path, label: str, leader: str, leader_phone: str, worker: str, items: pd.DataFrame,
                    heading: Heading, answers: Sequence[tuple[str, bool]]) -> None:
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=BIG_PRINT)
        sheet = book.add_worksheet("楼栋任务")
        title = f"{label} 楼栋任务单 {heading.day}"
        sheet.merge_range(0, 0, 0, len(TASK_COLUMNS) - 2, f"{heading.community}{title}", styles.title)
        people = "　".join(p for p in (f"楼栋长：{leader} {leader_phone}".strip() if leader else "",
                                      f"网格员：{worker}" if worker else "") if p)
        sheet.merge_range(1, 0, 1, len(TASK_COLUMNS) - 2, people or "楼栋长：", styles.note)
        columns = [items[c].astype(str).tolist() for c in ("unit", "room", "name", "action", "key")]
        rows = [[n, unit, room, name, action, "", "", "", key]
                for n, (unit, room, name, action, key) in enumerate(zip(*columns, strict=True), 1)]
        end = write_table(sheet, styles, HEADER_ROW, TASK_COLUMNS, rows)
        sheet.set_default_row(30)
        foot = [f"共 {len(rows)} 项，已完成 ______ 项。　　楼栋长签字：____________　　日期：________",
                "完成后在“完成”栏打√，或在“跟进结果”中选择；有发热、不适的住户请立即联系网格员。"]
        finish_todo_book(book, sheet, styles, TASK_COLUMNS, len(rows), end, answers, heading, "tasks", label,
                         items.assign(reason_text=items["action"]), title, landscape=False, foot=foot)


def write_task_files(out_dir: Path, buildings: list[Any], heading: Heading, answers: Sequence[tuple[str, bool]],
                     inputs: Sequence[Path] = ()) -> list[Path]:
    """One workbook per building (or building and unit) that has something to do today."""
    names = OutputNames(out_dir, inputs)
    written = []
    for task in buildings:
        path = names.path("楼栋任务", task.label, heading.date.isoformat())
        write_task_book(path, task.label, task.leader, task.leader_phone, task.worker, task.items, heading, answers)
        written.append(path)
    return written
