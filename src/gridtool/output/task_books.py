"""Building task sheets for building leaders: big print, a tick column, a sign-off line; A4 portrait
with the building and the date in the page header, printed at 14 pt without shrinking.

The sheet shows what the domain decided a neighbour may see (`shown_name`, `shown_action`: by default a
masked name and a neutral action, see domain.loop.leader_view) under the item's opaque `sheet_key`; the
hidden manifest repeats exactly that and nothing more, since a neighbour can unhide it. `collect` finds
the item as issued in the follow-up log."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from gridtool.output.second_process import Share, Standby, shared_out, taken
from gridtool.output.staging import OutputRun
from gridtool.output.todo_sheets import HEADER_ROW, Heading, TodoSheet, finish_todo_book
from gridtool.output.xlsx import Column, PageFit, Styles, atomic_workbook, write_table_layout

if TYPE_CHECKING:
    from gridtool.domain.loop.tasks import BuildingTasks

BIG_PRINT = 14
TASK_COLUMNS = [
    Column("序号", center=True), Column("单元", center=True), Column("房号", center=True), Column("姓名"),
    Column("事项"), Column("完成(打√)", input=True, center=True), Column("跟进结果", input=True),
    Column("备注", 4, input=True), Column("编号", hidden=True),
]
TICK_ROW = 30.0  # points: room to tick and write by hand
TASK_FIT = PageFit(landscape=False, min_scale=0.87, min_row_height=TICK_ROW)  # 14 pt never prints below 12 pt


def write_task_book(path: Path, task: BuildingTasks, heading: Heading, answers: Sequence[tuple[str, bool]]) -> None:
    """`task`: a BuildingTasks (domain.loop.tasks) whose items carry `shown_name` and `shown_action`."""
    items: pd.DataFrame = task.items
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=BIG_PRINT)
        sheet = book.add_worksheet("楼栋任务")
        title = f"{task.label} 楼栋任务单 {heading.day}"
        people = "　".join(p for p in (f"楼栋长：{task.leader} {task.leader_phone}".strip() if task.leader else "",
                                      f"网格员：{task.worker}" if task.worker else "") if p)
        columns = [items[c].astype(str).tolist() for c in ("unit", "room", "shown_name", "shown_action", "sheet_key")]
        rows = [[n, unit, room, name, action, "", "", "", key]
                for n, (unit, room, name, action, key) in enumerate(zip(*columns, strict=True), 1)]
        layout_columns = TASK_COLUMNS  # answers wrap here: the leader ticks or writes by hand
        table = write_table_layout(sheet, styles, HEADER_ROW, layout_columns, rows, fit=TASK_FIT)
        foot = [f"共 {len(rows)} 项，已完成 ______ 项。　　楼栋长签字：____________　　日期：________",
                "完成后在“完成”栏打√，或在“跟进结果”中选择；有发热、不适的住户请立即联系网格员。"]
        todo = TodoSheet(book, sheet, styles, layout_columns, table, len(rows), f"{heading.community}{title}",
                         landscape=False, lead=people or "楼栋长：", foot=foot)
        finish_todo_book(todo, answers, heading, "tasks", task.label, items)


# Above this many items the building books are shared out between this process and a second one.
PARALLEL_ITEMS = 5000
WARM = ("gridtool.output.task_books", "xlsxwriter")  # what the second process imports while this one reads


def write_task_files(run: OutputRun, buildings: list[BuildingTasks], heading: Heading,
                     answers: Sequence[tuple[str, bool]], standby: Standby | None = None,
                     enter_log: Callable[[], None] | None = None) -> list[Path]:
    """One workbook per building (or building and unit) that has something to do today; a district's
    thousand buildings in two processes (`standby`: one started while the check-ins were read), the second
    doing `enter_log` (picklable: the items entered in the follow-up log) first."""
    jobs = [(run.list_path("楼栋任务", task.label, heading.date.isoformat()), task) for task in buildings]
    if sum(len(task.items) for task in buildings) > PARALLEL_ITEMS and (os.cpu_count() or 1) > 1:
        shared_out(write_task_books, jobs, (heading, answers), standby, WARM, first=(None, enter_log))
    else:
        write_task_books(jobs, heading, answers)
        if enter_log is not None:
            enter_log()
    return [path for path, _ in jobs]


def write_task_books(jobs: list[tuple[Path, BuildingTasks]], heading: Heading, answers: Sequence[tuple[str, bool]],
                     share: Share | None = None) -> None:
    """The books of `jobs`; with a `share`, only those this process takes before the other one does."""
    for path, task in taken(jobs, share):
        write_task_book(path, task, heading, answers)
