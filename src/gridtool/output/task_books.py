"""Building task sheets for building leaders: big print, a tick column, a sign-off line; A4 portrait
with the building and the date in the page header, printed at 14 pt without shrinking.

The sheet shows what the domain decided a neighbour may see (`shown_name`, `shown_action`: by default a
masked name and a neutral action, see domain.loop.leader_view) under the item's opaque `sheet_key`; the
hidden manifest repeats exactly that and nothing more, since a neighbour can unhide it. `collect` finds
the item as issued in the follow-up log."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, overload

import numpy as np
import pandas as pd

from gridtool.output.fast_xlsx import FastStyles, Line, dropdown_fits, table_sheet
from gridtool.output.second_process import Share, Standby, shared_out, taken
from gridtool.output.staging import OutputRun
from gridtool.output.todo_sheets import (
    ANSWER_HEADER,
    HEADER_ROW,
    Heading,
    TodoSheet,
    finish_todo_book,
    legend_text,
    manifest_columns,
    write_fast_todo_book,
)
from gridtool.output.warm import TASK_BOOKS
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
    """`task`: a BuildingTasks (domain.loop.tasks) whose items carry `shown_name` and `shown_action`. Written
    by the rust writer when the answers can be typed into the drop-down, by XlsxWriter otherwise."""
    items: pd.DataFrame = task.items
    people = "　".join(p for p in (f"楼栋长：{task.leader} {task.leader_phone}".strip() if task.leader else "",
                                  f"网格员：{task.worker}" if task.worker else "") if p)
    columns = [items[c].astype(str).tolist() for c in ("unit", "room", "shown_name", "shown_action", "sheet_key")]
    rows = [[n, unit, room, name, action, "", "", "", key]
            for n, (unit, room, name, action, key) in enumerate(zip(*columns, strict=True), 1)]
    # the second line is broken where it reads well: left to wrap, it left its "。" alone on a line
    foot = [f"共 {len(rows)} 项，已完成 ______ 项。　　楼栋长签字：____________　　日期：________",
            "完成后在“完成”栏打√，或在“跟进结果”中选择；\n有发热、不适的住户请立即联系网格员。"]
    sheet = TaskSheet(f"{heading.community}{task.label} 楼栋任务单 {heading.day}", people or "楼栋长：", rows, foot)
    if dropdown_fits([a for a, _ in answers]):
        _fast_task_book(path, sheet, answers, manifest_columns(items, heading, "tasks", task.label))
        return
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=BIG_PRINT)
        written = book.add_worksheet("楼栋任务")
        table = write_table_layout(written, styles, HEADER_ROW, TASK_COLUMNS, rows, fit=TASK_FIT)
        todo = TodoSheet(book, written, styles, TASK_COLUMNS, table, len(rows), sheet.title, landscape=False,
                         lead=sheet.lead, foot=foot)
        finish_todo_book(todo, answers, heading, "tasks", task.label, items)


@dataclass(frozen=True)
class TaskSheet:
    title: str
    lead: str  # the building leader and the grid worker, under the title
    rows: list[list[int | str]]
    foot: list[str]  # the count and sign-off line and the notes under the table, before the answer legend


def _fast_task_book(path: Path, sheet: TaskSheet, answers: Sequence[tuple[str, bool]], manifest_grid: pd.DataFrame) -> None:
    styles = FastStyles(font_size=BIG_PRINT)
    foot = [Line(text, "note") for text in [*sheet.foot, legend_text(answers)]]
    table = table_sheet("楼栋任务", TASK_COLUMNS, sheet.rows, styles, TASK_FIT, page_header=sheet.title,
                        lines=[Line(sheet.title, "heading"), Line(sheet.lead, "note")], foot=foot,
                        dropdown=(ANSWER_HEADER, [a for a, _ in answers]))
    write_fast_todo_book(path, table, styles, answers, manifest_grid)


# Above this many items the building books are shared out between this process and a second one.
PARALLEL_ITEMS = 5000
WARM = TASK_BOOKS  # what the second process imports while this one reads


def write_task_files(run: OutputRun, buildings: list[BuildingTasks], heading: Heading,
                     answers: Sequence[tuple[str, bool]], standby: Standby | None = None,
                     enter_log: Callable[[], None] | None = None) -> list[Path]:
    """One workbook per building (or building and unit) that has something to do today; a district's
    thousand buildings in two processes (`standby`: one started while the check-ins were read), the second
    doing `enter_log` (picklable: the items entered in the follow-up log) first."""
    jobs = BookJobs([run.list_path("楼栋任务", task.label, heading.date.isoformat()) for task in buildings], buildings)
    if sum(len(task.items) for task in buildings) > PARALLEL_ITEMS and (os.cpu_count() or 1) > 1:
        shared_out(write_task_books, jobs, (heading, answers), standby, WARM, first=(None, enter_log))
    else:
        write_task_books(jobs, heading, answers)
        if enter_log is not None:
            enter_log()
    return jobs.paths


Slice: TypeAlias = "slice[int | None, int | None, int | None]"


class BookJobs(Sequence[tuple[Path, "BuildingTasks"]]):
    """Each building book's path and tasks. Sent to the second process as one table of every item and where
    each building's start: a district's 990 small tables took 0.5 s to send and 0.6 s to take back."""

    def __init__(self, paths: list[Path], buildings: list[BuildingTasks]) -> None:
        self.paths, self.buildings = paths, buildings

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, index: int) -> tuple[Path, BuildingTasks]: ...

    @overload
    def __getitem__(self, index: Slice) -> Sequence[tuple[Path, BuildingTasks]]: ...

    def __getitem__(self, index: int | Slice) -> tuple[Path, BuildingTasks] | Sequence[tuple[Path, BuildingTasks]]:
        if isinstance(index, slice):
            return list(zip(self.paths[index], self.buildings[index], strict=True))
        return self.paths[index], self.buildings[index]

    def __getstate__(self) -> tuple[list[Path], list[int], pd.DataFrame, list[BuildingTasks]]:
        items = [task.items for task in self.buildings]
        return (self.paths, np.cumsum([0, *map(len, items)]).tolist(),
                pd.concat(items, ignore_index=True) if items else pd.DataFrame(),
                [dataclasses.replace(task, items=pd.DataFrame()) for task in self.buildings])

    def __setstate__(self, state: tuple[list[Path], list[int], pd.DataFrame, list[BuildingTasks]]) -> None:
        self.paths, bounds, items, buildings = state
        self.buildings = [dataclasses.replace(task, items=items.iloc[start:end].reset_index(drop=True))
                          for task, start, end in zip(buildings, bounds, bounds[1:], strict=False)]


def write_task_books(jobs: Sequence[tuple[Path, BuildingTasks]], heading: Heading,
                     answers: Sequence[tuple[str, bool]], share: Share | None = None) -> None:
    """The books of `jobs`; with a `share`, only those this process takes before the other one does."""
    for path, task in taken(jobs, share):
        write_task_book(path, task, heading, answers)
