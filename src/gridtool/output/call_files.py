"""Call scripts per grid worker: a printable PDF and a workbook whose 跟进结果 column `collect` reads back."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from gridtool.output.files import write_bytes
from gridtool.output.notice_templates import package_text, render_blocks
from gridtool.output.pdf import compile_pages, find_font
from gridtool.output.todo_sheets import HEADER_ROW, Heading, finish_todo_book
from gridtool.output.xlsx import Column, OutputNames, Styles, atomic_workbook, write_table

CALL_TEMPLATE = "calls/电话提纲.j2"
CALL_COLUMNS = [Column("序号", 6), Column("姓名", 10), Column("住址", 16), Column("电话", 14), Column("情况", 20),
                Column("① 共情倾听", 40), Column("② 清晰解释", 40), Column("③ 提供方案", 40),
                Column("跟进结果", 16, input=True), Column("跟进时间", 12, input=True), Column("备注", 20, input=True),
                Column("编号", 14, hidden=True)]


def script(call: dict[str, Any], settings: Any, worker: str) -> dict[str, Any]:
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


def write_call_files(out_dir: Path, calls: pd.DataFrame, heading: Heading, settings: Any,
                     answers: Sequence[tuple[str, bool]], font_file: str | None, inputs: list[Path]) -> list[Path]:
    names = OutputNames(out_dir, inputs)
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
        written.append(write_bytes(names.path("电话提纲", str(worker), heading.date.isoformat(), suffix=".pdf"), pdf))
        book_path = names.path("电话提纲", str(worker), heading.date.isoformat())
        _workbook(book_path, title, group, records, scripts, heading, answers)
        written.append(book_path)
    return written


def _workbook(path: Path, title: str, group: pd.DataFrame, records: list[dict[str, Any]],
              scripts: list[dict[str, Any]], heading: Heading, answers: Sequence[tuple[str, bool]]) -> None:
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=12)
        sheet = book.add_worksheet("电话提纲")
        sheet.write_string(0, 0, title, styles.title)
        rows = [[n, r["name"], r["address"], r["phone"], "、".join(r["situation"]), s["opening"], s["explain"],
                 "\n".join(s["offers"]), "", "", "", r["key"]]
                for n, (r, s) in enumerate(zip(records, scripts, strict=True), 1)]
        end = write_table(sheet, styles, HEADER_ROW, CALL_COLUMNS, rows)
        finish_todo_book(book, sheet, styles, CALL_COLUMNS, len(rows), end, answers, heading, "calls",
                         str(group["worker"].iloc[0]), group, title)
