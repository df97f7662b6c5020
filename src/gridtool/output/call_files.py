"""Call scripts per grid worker: a printable PDF and a workbook whose 跟进结果 column `collect` reads back."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from gridtool.config import Settings
from gridtool.output.files import write_bytes
from gridtool.output.notice_templates import package_text, render_blocks
from gridtool.output.pdf import compile_pages, find_font
from gridtool.output.staging import OutputRun
from gridtool.output.todo_sheets import (
    HEADER_ROW,
    TODO_FIT,
    Heading,
    TodoSheet,
    finish_todo_book,
    with_answer_width,
)
from gridtool.output.xlsx import Column, Styles, atomic_workbook, write_table_layout

CALL_TEMPLATE = "calls/电话提纲.j2"
# A sheet to record the calls in: short cells only; the three-step script is in the PDF beside it.
CALL_COLUMNS = [Column("序号", center=True), Column("姓名"), Column("住址"), Column("电话"), Column("情况"),
                Column("跟进结果", 6, input=True), Column("跟进时间", 5, input=True), Column("备注", 12, input=True),
                Column("编号", hidden=True)]
CALL_LEAD = "通话时请看同名 PDF 里的沟通提纲（共情倾听 → 清晰解释 → 提供方案）；通话后在这里选择跟进结果、填写时间和备注。"


def script(call: dict[str, Any], settings: Settings, worker: str) -> dict[str, Any]:
    """The three steps for one resident, from the call template."""
    values = {
        "称呼": f"{call['name'][:1]}{'先生/女士'}" if call["name"] else "您", "姓名": call["name"],
        "情况": call["situation"], "未打卡天数": int(call.get("missing_days") or 0), "未打卡": bool(call.get("missing")),
        "发热": bool(call.get("fever")), "有症状": bool(call.get("symptoms")),
        "体温有误": bool(call.get("bad_temperature")), "老人": bool(call.get("elderly")),
        "独居": bool(call.get("alone")), "慢性病": bool(call.get("chronic")), "网格员": worker,
        "社区": settings.community or "社区", "热线": settings.hotline, "心理援助热线": settings.psych_hotline,
        "截止时间": settings.deadline,
    }
    parts = render_blocks(package_text(CALL_TEMPLATE), values, ("opening", "explain", "offers"))
    return {**parts, "offers": [line.strip() for line in parts["offers"].splitlines() if line.strip()]}


def write_call_files(run: OutputRun, calls: pd.DataFrame, heading: Heading, settings: Settings,
                     answers: Sequence[tuple[str, bool]], font_file: str | None) -> list[Path]:
    font = find_font(font_file)
    written = []
    for worker, group in calls.groupby("worker", sort=True):
        records = group.to_dict("records")
        scripts = [script(r, settings, str(worker)) for r in records]
        title = f"{heading.community}电话沟通提纲 · {worker} · {heading.day}".strip()
        data = {"document": title, "calls": [
            {"name": r["name"], "address": r["address"], "phone": r["phone"], "situation": "、".join(r["situation"]),
             "opening": s["opening"], "explain": s["explain"], "offers": s["offers"]}
            for r, s in zip(records, scripts, strict=True)]}
        pdf, _, _ = compile_pages("calls_page.typ", data, font)
        written.append(write_bytes(run.list_path("电话提纲", str(worker), heading.date.isoformat(), suffix=".pdf"), pdf))
        book_path = run.list_path("电话提纲", str(worker), heading.date.isoformat())
        _workbook(book_path, title, group, records, heading, answers)
        written.append(book_path)
    return written


def _workbook(path: Path, title: str, group: pd.DataFrame, records: list[dict[str, Any]], heading: Heading,
              answers: Sequence[tuple[str, bool]]) -> None:
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=12)
        sheet = book.add_worksheet("电话提纲")
        rows = [[n, r["name"], r["address"], r["phone"], "、".join(r["situation"]), "", "", "", r["key"]]
                for n, r in enumerate(records, 1)]
        columns = with_answer_width(CALL_COLUMNS, answers)
        table = write_table_layout(sheet, styles, HEADER_ROW, columns, rows, fit=TODO_FIT)
        todo = TodoSheet(book, sheet, styles, columns, table, len(rows), title, lead=CALL_LEAD)
        finish_todo_book(todo, answers, heading, "calls", str(group["worker"].iloc[0]), group)
