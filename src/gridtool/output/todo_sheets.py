"""The to-do sheet layout every worker and building leader gets: the heading, the rows, the answer
drop-down and its legend, and the manifest that lets `gridtool collect` read it back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from gridtool import manifest
from gridtool.output.fast_xlsx import (
    FastSheet,
    FastStyles,
    Line,
    dropdown_fits,
    grid_frame,
    table_sheet,
    write_fast_book,
)
from gridtool.output.layout import longest_line_em
from gridtool.output.xlsx import (
    Column,
    PageFit,
    Styles,
    TableLayout,
    add_dropdown,
    atomic_workbook,
    print_setup,
    write_manifest,
    write_notes,
    write_table_layout,
)

TODO_COLUMNS = [
    Column("序号", center=True), Column("姓名"), Column("楼栋", center=True), Column("单元", center=True),
    Column("房号", center=True), Column("电话"), Column("跟进原因", 13), Column("体温(℃)", None, "0.0"),
    Column("连续未打卡(天)", center=True), Column("跟进结果", 6, input=True), Column("跟进时间", input=True),
    Column("备注", 5, input=True), Column("编号", hidden=True),
]
HANDWRITING_ROW = 24.0  # points: room to write the answer by hand on the printed sheet
# 12 pt prints at 9 pt or more (percent rounded down)
TODO_FIT = PageFit(landscape=True, min_scale=0.77, min_row_height=HANDWRITING_ROW)


@dataclass(frozen=True)
class Heading:
    community: str
    date: dt.date
    issued_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))

    @property
    def day(self) -> str:
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


def todo_rows(items: pd.DataFrame) -> list[list[Any]]:
    """序号 … 连续未打卡 for each flagged resident, from column lists rather than per-row dicts."""
    days = [int(d) or None for d in items["missing_days"].tolist()]
    columns = [items[c].tolist() for c in ("name", "building", "unit", "room", "phone", "reason_text",
                                            "temperature")]
    return [[n, *values, day] for n, (*values, day) in enumerate(zip(*columns, days, strict=True), 1)]


# What a worker's book shows and lists of each flagged resident (todo_rows, the summary, the manifest): the
# rest stays with the process that judged the day (a district's books went to the second process as 46 MB)
BOOK_FIELDS = ("key", "kind", "person_key", "name", "building", "unit", "room", "phone", "worker", "reason_text",
               "temperature", "missing_days", "tier", "fever", "symptoms", "missing")


def write_worker_book(path: Path, worker: str, items: pd.DataFrame, heading: Heading,
                      answers: Sequence[tuple[str, bool]]) -> None:
    """One grid worker's to-do list for the day, most urgent first, ready for paper or a phone."""
    title = f"{heading.community}待跟进名单 · {worker} · {heading.day}".lstrip(" ·")
    rows = [[*row, "", "", "", key] for row, key in zip(todo_rows(items), items["key"].tolist(), strict=True)]
    urgent = [tier <= 1 for tier in items["tier"].tolist()]
    columns = with_answer_width(TODO_COLUMNS, answers)
    if dropdown_fits([a for a, _ in answers]):
        _fast_worker_book(path, FastTodo(columns, rows, urgent, title, _summary_line(items)), heading, answers,
                          manifest_columns(items, heading, "followups", worker))
        return
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=12)
        sheet = book.add_worksheet("待跟进")
        formats = [styles.urgent if flag else styles.cell for flag in urgent]
        table = write_table_layout(sheet, styles, HEADER_ROW, columns, rows, formats, TODO_FIT)
        todo = TodoSheet(book, sheet, styles, columns, table, len(rows), title, lead=_summary_line(items))
        finish_todo_book(todo, answers, heading, "followups", worker, items)


@dataclass(frozen=True)
class FastTodo:
    columns: list[Column]
    rows: list[list[Any]]
    urgent: list[bool]
    title: str
    lead: str


def _fast_worker_book(path: Path, todo: FastTodo, heading: Heading, answers: Sequence[tuple[str, bool]],
                      manifest_grid: pd.DataFrame) -> None:
    """The same book written whole by the rust writer: the answer legend joins the line over the table
    (the rust writer merges lines only above it), the drop-down is typed into the validation."""
    styles = FastStyles(font_size=12)
    lines = [Line(todo.title, "heading"), Line(f"{todo.lead}\n{legend_text(answers)}", "note")]
    table = table_sheet("待跟进", todo.columns, todo.rows, styles, TODO_FIT, lines=lines,
                        row_styles=["urgent" if flag else "cell" for flag in todo.urgent],
                        dropdown=(ANSWER_HEADER, [a for a, _ in answers]), page_header=todo.title)
    write_fast_todo_book(path, table, styles, answers, manifest_grid)


def write_fast_todo_book(path: Path, table: FastSheet, styles: FastStyles, answers: Sequence[tuple[str, bool]],
                         manifest_grid: pd.DataFrame) -> None:
    """A to-do sheet (`table`) written by the rust writer with what every to-do book has after it: the
    answer legend's sheet and the hidden manifest."""
    legend = fast_legend_sheet(tuple(answers), styles.font_size)
    hidden = FastSheet(manifest.SHEET, [], manifest_grid, [], hidden=True, raw=True)
    write_fast_book(path, [table, legend, hidden], styles)


@functools.lru_cache(maxsize=4)
def fast_legend_sheet(answers: tuple[tuple[str, bool], ...], font_size: int) -> FastSheet:
    """The 填写说明 sheet, laid out once for a run's thousand books (the writer does not change a sheet)."""
    return table_sheet("填写说明", LEGEND_COLUMNS, legend_rows(answers), FastStyles(font_size), PageFit(landscape=False),
                       lines=[Line("跟进结果怎么填", "title"), Line(KEEP_KEY_NOTE, "note")])


KEEP_KEY_NOTE = "请勿删除或修改隐藏的“编号”列，收回表格时靠它对应到人。"


ANSWER_HEADER = "跟进结果"
HEADER_ROW = 2  # every to-do sheet: title, a note, then the table's header


@dataclass
class TodoSheet:
    """A to-do sheet whose table is written: what the ending needs to know of it."""

    book: Any
    sheet: Worksheet
    styles: Styles
    columns: Sequence[Column]
    table: TableLayout
    rows: int
    title: str
    landscape: bool = True
    lead: str = ""  # the line between the title and the table
    foot: Sequence[str] = ()  # lines under the table, before the answer legend


def with_answer_width(columns: Sequence[Column], answers: Sequence[tuple[str, bool]]) -> list[Column]:
    """The columns with 跟进结果 wide enough to show the longest answer picked from the drop-down."""
    longest = max((longest_line_em(a) for a, _ in answers), default=0.0)
    return [dataclasses.replace(c, chars=max(c.chars or 0.0, longest)) if c.header == ANSWER_HEADER else c
            for c in columns]


def finish_todo_book(todo: TodoSheet, answers: Sequence[tuple[str, bool]], heading: Heading, kind: str,
                     owner: str, items: pd.DataFrame) -> None:
    """What makes a to-do sheet usable on paper and collectable afterwards: the title and the lead line over
    the table, the answer drop-down, the foot lines and the answer legend under it, each as wide as the table
    and never wider; print set-up, the legend sheet and the hidden manifest."""
    sheet, styles, columns = todo.sheet, todo.styles, todo.columns
    last = max(i for i, c in enumerate(columns) if not c.hidden)
    write_notes(sheet, styles, 0, [todo.title], columns, todo.table, title=True)
    write_notes(sheet, styles, 1, [todo.lead], columns, todo.table)
    answer = next(i for i, c in enumerate(columns) if c.header == ANSWER_HEADER)
    add_dropdown(todo.book, sheet, HEADER_ROW + 1, HEADER_ROW + max(todo.rows, 1), answer, [a for a, _ in answers])
    end = write_notes(sheet, styles, todo.table.end + 1, [*todo.foot, legend_text(answers)], columns, todo.table)
    print_setup(sheet, HEADER_ROW, landscape=todo.landscape, header=todo.title, area=(end - 1, last),
                font_size=styles.font_size)
    legend_sheet(todo.book.add_worksheet("填写说明"), styles, answers)
    write_manifest(todo.book, meta(kind, heading, owner), manifest_items(items, heading.date, kind))


def _summary_line(items: pd.DataFrame) -> str:
    parts = [f"共 {len(items)} 人"]
    for column, label in (("fever", "发热"), ("symptoms", "有症状"), ("missing", "未打卡")):
        count = int(items[column].sum())
        if count:
            parts.append(f"{label} {count}")
    return "，".join(parts) + "。红色为发热，请优先联系；跟进结果请从下拉列表选择。"


def legend_text(answers: Sequence[tuple[str, bool]]) -> str:
    """The answers and what they mean, in one line for the foot of a to-do sheet."""
    closing = "、".join(a for a, closes in answers if closes)
    still_open = "、".join(a for a, closes in answers if not closes)
    return f"跟进结果：{closing} = 办结；{still_open}、不填 = 仍需跟进。请从下拉列表选择，勿改隐藏的“编号”列。"


LEGEND_COLUMNS = [Column("跟进结果"), Column("含义")]


def legend_rows(answers: Sequence[tuple[str, bool]]) -> list[list[str]]:
    """The 填写说明 sheet's table: each answer and whether it closes the item, and a blank answer."""
    return [*([answer, "办结" if closes else "仍需跟进"] for answer, closes in answers), ["（不填）", "仍需跟进"]]


def legend_sheet(sheet: Worksheet, styles: Styles, answers: Sequence[tuple[str, bool]]) -> None:
    sheet.write_string(0, 0, "跟进结果怎么填", styles.title)
    table = write_table_layout(sheet, styles, 2, LEGEND_COLUMNS, legend_rows(answers), fit=PageFit(landscape=False))
    end = write_notes(sheet, styles, table.end + 1, [KEEP_KEY_NOTE], LEGEND_COLUMNS, table)
    print_setup(sheet, 2, area=(end - 1, 1), font_size=styles.font_size)


def meta(kind: str, heading: Heading, owner: str) -> dict[str, str]:
    return {"kind": kind, "date": heading.date.isoformat(), "owner": owner, "issued_at": heading.issued_at.isoformat()}


def manifest_items(items: pd.DataFrame, date: dt.date, kind: str) -> list[list[Any]]:
    """One manifest row per to-do row, placed under the manifest's headers for this kind by field name
    (gridtool.manifest): for a worker, the key and everything needed to know the item without the sheet;
    for a building leader's book or a 配送单, only what the sheet prints: the key, name and action as shown
    (`sheet_key`, `shown_name`, `shown_action`, domain.loop.leader_view.printed_view)."""
    return [list(row) for row in zip(*_manifest_fields(items, date, kind).values(), strict=True)]


def _manifest_fields(items: pd.DataFrame, date: dt.date, kind: str) -> dict[str, list[Any]]:
    """Each manifest column's values, blanks as "", taken column by column from the items."""
    source = {"key": "sheet_key", "name": "shown_name", "reason": "shown_action"} if kind in manifest.PRINTED_ONLY \
        else {"reason": "reason_text"}
    fields: dict[str, list[Any]] = {}
    for f in manifest.layout(kind):
        column = source.get(f, f)
        if f == "date":
            fields[f] = [date.isoformat()] * len(items)
        elif column not in items.columns:
            fields[f] = [""] * len(items)
        else:
            values = items[column]
            fields[f] = (values.astype(object).where(values.notna(), "") if values.hasnans else values).tolist()
    return fields


def manifest_columns(items: pd.DataFrame, heading: Heading, kind: str, owner: str) -> pd.DataFrame:
    """The whole hidden manifest sheet (what write_manifest writes cell by cell) as one raw grid."""
    return grid_frame(manifest_head(heading, kind, owner), list(_manifest_fields(items, heading.date, kind).values()))


def manifest_head(heading: Heading, kind: str, owner: str) -> list[list[Any]]:
    """The manifest's rows over its items: the version, what the file is, and the items' headers."""
    from gridtool import __version__

    return [["gridtool", __version__], *([name, value] for name, value in meta(kind, heading, owner).items()),
            [], list(manifest.layout(kind).values())]
