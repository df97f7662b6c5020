"""The overview workbook for the office: everyone flagged, counts per worker and per building as live
COUNTIF/COUNTIFS formulas with cached values, what changed since yesterday, yesterday's leftovers,
the roster review and the data problems."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from gridtool.output.todo_sheets import Heading, meta, todo_rows
from gridtool.output.xlsx import Column, Styles, atomic_workbook, print_setup, write_manifest, write_table, write_value

if TYPE_CHECKING:
    from gridtool.domain.findings import Finding, MatchNote
    from gridtool.output.followup_books import FollowupTables

LIST_SHEET = "待跟进名单"
FLAG_COLUMNS = {"missing": "未打卡", "fever": "发热", "symptoms": "有症状", "bad_temperature": "体温异常"}
LIST_COLUMNS = [
    Column("序号", center=True), Column("网格员"), Column("姓名"), Column("楼栋", center=True),
    Column("单元", center=True), Column("房号", center=True), Column("电话"), Column("跟进原因", 10),
    Column("体温(℃)", None, "0.0"), Column("连续未打卡(天)", center=True),
    *(Column(label, center=True) for label in FLAG_COLUMNS.values()), Column("今日已办结"), Column("编号"),
]
_LETTER = {c.header: chr(65 + i) for i, c in enumerate(LIST_COLUMNS)}


def write_overview(path: Path, tables: FollowupTables) -> None:
    """All flagged residents, and per-worker and per-building counts as live COUNTIFS with cached values."""
    heading: Heading = tables.heading
    flagged: pd.DataFrame = tables.flagged
    with atomic_workbook(path) as book:
        styles = Styles(book)
        _overview_sheet(book.add_worksheet("概况"), styles, tables.counts, heading)
        sheet = book.add_worksheet(LIST_SHEET)
        marks = [flagged[flag].map({True: "是", False: ""}).tolist() for flag in FLAG_COLUMNS]
        rows = [[row[0], worker, *row[1:], *flag_marks, resolved, key] for row, worker, resolved, key, *flag_marks in
                zip(todo_rows(flagged), flagged["worker"].tolist(), flagged["resolved"].tolist(),
                    flagged["key"].tolist(), *marks, strict=True)]
        write_table(sheet, styles, 0, LIST_COLUMNS, rows)
        sheet.autofilter(0, 0, max(len(rows), 1), len(LIST_COLUMNS) - 1)
        print_setup(sheet, 0, landscape=True, header=f"{heading.community}待跟进名单 {heading.day}")
        _count_sheet(book.add_worksheet("按网格员"), styles, tables.by_worker, "worker", "网格员", "网格员")
        _count_sheet(book.add_worksheet("按楼栋"), styles, tables.by_building, "building", "楼栋", "楼栋")
        _simple_sheet(book.add_worksheet("较昨日变化"), styles, ["变化", "网格员", "姓名", "楼栋", "单元", "房号"],
                      tables.changes, ["label", "worker", "name", "building", "unit", "room"])
        _simple_sheet(book.add_worksheet("昨日未办结"), styles,
                      ["超时", "起始日期", "日期", "网格员", "姓名", "楼栋", "单元", "房号", "原因", "跟进结果"],
                      tables.carried, ["overdue_mark", "since", "date", "worker", "name", "building", "unit", "room",
                                       "reason", "answer"])
        _review_sheet(book.add_worksheet("核对"), styles, tables.notes)
        _problem_sheet(book.add_worksheet("数据问题"), styles, tables.problems)
        # what the overview is, so `collect` can say it is the wrong file; its items are on the workers' books
        write_manifest(book, meta("overview", heading, ""), [])


def _simple_sheet(sheet: Worksheet, styles: Styles, headers: list[str], table: pd.DataFrame,
                  fields: list[str]) -> None:
    columns = [table[f].astype(str).tolist() if f in table.columns else [""] * len(table) for f in fields]
    write_table(sheet, styles, 0, [Column(h) for h in headers], [list(r) for r in zip(*columns, strict=True)])
    print_setup(sheet, 0, landscape=True)


def exact_criterion(cell: str) -> str:
    """A COUNTIF criterion that matches the text in `cell` exactly: a name like `王*`, `a?b`, `~x` is not a
    pattern and `<>李` or `>5` not a comparison ("=" first, then * ? ~ escaped with ~)."""
    return f'"="&SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({cell},"~","~~"),"*","~*"),"?","~?")'


def _countif(flag: str | None, key_letter: str, key_cell: str) -> str:
    key = f"'{LIST_SHEET}'!${key_letter}:${key_letter}"
    if flag is None:
        return f"COUNTIF({key},{exact_criterion(key_cell)})"
    column = _LETTER[FLAG_COLUMNS[flag]]
    return f'COUNTIFS({key},{exact_criterion(key_cell)},\'{LIST_SHEET}\'!${column}:${column},"是")'


def _count_sheet(sheet: Worksheet, styles: Styles, table: pd.DataFrame, key: str, label: str,
                 list_header: str) -> None:
    headers = [label, "居民数", "免打卡", "已打卡", "未打卡", "发热", "有症状", "体温异常", "待跟进", "打卡率"]
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, styles.header)
    letter = _LETTER[list_header]
    for index, item in enumerate(table.to_dict("records")):
        row, excel_row = index + 1, index + 2
        write_value(sheet, row, 0, str(item[key]) or "（未填）", styles.cell)
        sheet.write_number(row, 1, int(item["residents"]), styles.integer)
        sheet.write_number(row, 2, int(item["exempt"]), styles.integer)
        sheet.write_formula(row, 3, f"=B{excel_row}-C{excel_row}-E{excel_row}", styles.integer,
                            int(item["checked_in"]))
        for col, flag in enumerate(("missing", "fever", "symptoms", "bad_temperature"), 4):
            sheet.write_formula(row, col, "=" + _countif(flag, letter, f"$A{excel_row}"), styles.integer,
                                int(item[flag]))
        sheet.write_formula(row, 8, "=" + _countif(None, letter, f"$A{excel_row}"), styles.integer,
                            int(item["flagged"]))
        sheet.write_formula(row, 9, f"=IF(B{excel_row}-C{excel_row}>0,D{excel_row}/(B{excel_row}-C{excel_row}),0)",
                            styles.percent, float(item["rate"]))
    _total_row(sheet, styles, table, len(table) + 1)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 9, 9)
    sheet.freeze_panes(1, 1)
    print_setup(sheet, 0)


def _total_row(sheet: Worksheet, styles: Styles, table: pd.DataFrame, row: int) -> None:
    sheet.write_string(row, 0, "合计", styles.total)
    last = row  # excel row of the last data line
    columns = ["residents", "exempt", "checked_in", "missing", "fever", "symptoms", "bad_temperature", "flagged"]
    for col, name in enumerate(columns, 1):
        letter = chr(65 + col)
        sheet.write_formula(row, col, f"=SUM({letter}2:{letter}{last})", styles.total, int(table[name].sum()))
    active = int(table["residents"].sum() - table["exempt"].sum())
    rate = round(int(table["checked_in"].sum()) / active, 4) if active else 0.0
    r = row + 1
    sheet.write_formula(row, 9, f"=IF(B{r}-C{r}>0,D{r}/(B{r}-C{r}),0)", styles.total_percent, rate)


def _overview_sheet(sheet: Worksheet, styles: Styles, counts: dict[str, int], heading: Heading) -> None:
    write_value(sheet, 0, 0, f"{heading.community}健康打卡日报 {heading.day}".strip(), styles.title)
    lines: list[tuple[str, str | None, float]] = [
        ("居民数", None, counts["residents"]), ("免打卡（外出、住院、隔离等）", None, counts["exempt"]),
        ("已打卡", "=B3-B4-B6", counts["checked_in"]),
        ("未打卡", f'=COUNTIF(\'{LIST_SHEET}\'!${_LETTER["未打卡"]}:${_LETTER["未打卡"]},"是")', counts["missing"]),
        ("发热", f'=COUNTIF(\'{LIST_SHEET}\'!${_LETTER["发热"]}:${_LETTER["发热"]},"是")', counts["fever"]),
        ("有症状", f'=COUNTIF(\'{LIST_SHEET}\'!${_LETTER["有症状"]}:${_LETTER["有症状"]},"是")', counts["symptoms"]),
        ("体温异常", f'=COUNTIF(\'{LIST_SHEET}\'!${_LETTER["体温异常"]}:${_LETTER["体温异常"]},"是")',
         counts["bad_temperature"]),
        ("待跟进人数", f"=COUNTA('{LIST_SHEET}'!$C:$C)-1", counts["flagged"]),
    ]
    # rows: 3 居民, 4 免打卡, 5 已打卡, 6 未打卡 ...
    for index, (label, formula, value) in enumerate(lines):
        row = index + 2
        sheet.write_string(row, 0, label, styles.cell)
        if formula:
            sheet.write_formula(row, 1, formula, styles.integer, value)
        else:
            sheet.write_number(row, 1, value, styles.integer)
    active = counts["residents"] - counts["exempt"]
    rate = round(counts["checked_in"] / active, 4) if active else 0.0
    sheet.write_string(10, 0, "打卡率", styles.cell)
    sheet.write_formula(10, 1, "=IF(B3-B4>0,B5/(B3-B4),0)", styles.percent, rate)
    sheet.write_string(12, 0, "各网格员、各楼栋的数字是公式，修改“待跟进名单”后会自动更新。", styles.note)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 12)
    print_setup(sheet, 0)


NOTE_KINDS = {"matched": "已自动匹配", "doubtful": "待人工核对", "not_on_roster": "名册中没有",
              "superseded": "较早提交有异常"}


def _review_sheet(sheet: Worksheet, styles: Styles, notes: list[MatchNote]) -> None:
    columns = [Column("类型"), Column("文件"), Column("工作表"), Column("行号", center=True), Column("姓名"),
               Column("住址"), Column("电话"), Column("说明", 10), Column("可能的名册居民", 10)]
    rows = [[NOTE_KINDS.get(n.kind, n.kind), n.file, n.sheet, n.row, n.name, n.address, n.phone, n.message,
             "；".join(n.candidates)] for n in notes]
    write_table(sheet, styles, 0, columns, rows)
    print_setup(sheet, 0, landscape=True)


def _problem_sheet(sheet: Worksheet, styles: Styles, problems: list[Finding]) -> None:
    columns = [Column("文件"), Column("工作表"), Column("单元格", center=True), Column("内容"), Column("说明", 10)]
    rows = [[p.file, p.sheet, f"{p.column}{p.row}" if p.row else "", p.value, p.message] for p in problems]
    write_table(sheet, styles, 0, columns, rows)
    print_setup(sheet, 0, landscape=True)
