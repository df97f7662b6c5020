"""The to-do sheet layout every worker and building leader gets: the heading, the rows, the answer
drop-down and its legend, and the manifest that lets `gridtool collect` read it back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from gridtool import manifest
from gridtool.output.xlsx import (
    Column,
    Styles,
    add_dropdown,
    atomic_workbook,
    print_setup,
    write_manifest,
    write_table,
)

TODO_COLUMNS = [
    Column("序号", 6), Column("姓名", 10), Column("楼栋", 6), Column("单元", 6), Column("房号", 7),
    Column("电话", 14), Column("跟进原因", 30), Column("体温(℃)", 9, "0.0"), Column("连续未打卡(天)", 11),
    Column("跟进结果", 16, input=True), Column("跟进时间", 12, input=True), Column("备注", 20, input=True),
    Column("编号", 14, hidden=True),
]
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


def write_worker_book(path: Path, worker: str, items: pd.DataFrame, heading: Heading,
                      answers: Sequence[tuple[str, bool]]) -> None:
    """One grid worker's to-do list for the day, most urgent first, ready for paper or a phone."""
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=12)
        sheet = book.add_worksheet("待跟进")
        title = f"{heading.community}待跟进名单 · {worker} · {heading.day}".lstrip(" ·")
        sheet.merge_range(0, 0, 0, len(TODO_COLUMNS) - 2, title, styles.title)
        sheet.write_string(1, 0, _summary_line(items), styles.note)
        rows = [[*row, "", "", "", key] for row, key in zip(todo_rows(items), items["key"].tolist(), strict=True)]
        formats = [styles.urgent if tier <= 1 else styles.cell for tier in items["tier"].tolist()]
        end = write_table(sheet, styles, HEADER_ROW, TODO_COLUMNS, rows, formats)
        sheet.set_default_row(24)  # room to write the answer by hand on the printed sheet
        finish_todo_book(book, sheet, styles, TODO_COLUMNS, len(rows), end, answers, heading, "followups", worker,
                         items, title)


ANSWER_HEADER = "跟进结果"
HEADER_ROW = 2  # every to-do sheet: title, a note, then the table's header


def finish_todo_book(book: Any, sheet: Worksheet, styles: Styles, columns: Sequence[Column], rows: int, end: int,
                     answers: Sequence[tuple[str, bool]], heading: Heading, kind: str, owner: str,
                     items: pd.DataFrame, title: str, landscape: bool = True, foot: Sequence[str] = ()) -> None:
    """What makes a to-do sheet usable on paper and collectable afterwards: the answer drop-down, the foot
    lines and the answer legend under the table, print set-up, the legend sheet and the hidden manifest."""
    answer = next(i for i, c in enumerate(columns) if c.header == ANSWER_HEADER)
    add_dropdown(sheet, HEADER_ROW + 1, HEADER_ROW + max(rows, 1), answer, [a for a, _ in answers])
    for offset, line in enumerate([*foot, legend_text(answers)], 1):
        sheet.merge_range(end + offset, 0, end + offset, len(columns) - 2, line, styles.note)
    print_setup(sheet, HEADER_ROW, landscape=landscape, header=title)
    legend_sheet(book.add_worksheet("填写说明"), styles, answers)
    write_manifest(book, meta(kind, heading, owner), manifest_items(items, heading.date))


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


def legend_sheet(sheet: Worksheet, styles: Styles, answers: Sequence[tuple[str, bool]]) -> None:
    sheet.write_string(0, 0, "跟进结果怎么填", styles.title)
    rows = [[answer, "办结" if closes else "仍需跟进"] for answer, closes in answers]
    rows.append(["（不填）", "仍需跟进"])
    write_table(sheet, styles, 2, [Column("跟进结果", 20), Column("含义", 12)], rows)
    sheet.write_string(len(rows) + 4, 0, "请勿删除或修改隐藏的“编号”列，收回表格时靠它对应到人。", styles.note)


def meta(kind: str, heading: Heading, owner: str) -> dict[str, str]:
    return {"kind": kind, "date": heading.date.isoformat(), "owner": owner, "issued_at": heading.issued_at.isoformat()}


def manifest_items(items: pd.DataFrame, date: dt.date) -> list[list[Any]]:
    """One manifest row per to-do row: the key and everything needed to know the item without the sheet,
    placed under the manifest's headers by field name (gridtool.manifest)."""
    records = items.assign(date=date.isoformat(), reason=items["reason_text"]).to_dict("records")
    return manifest.rows_for([{k: ("" if _blank(v) else v) for k, v in r.items()} for r in records])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)
