"""The overview workbook for the office: everyone flagged, counts per worker and per building as live
COUNTIF/COUNTIFS formulas with cached values, what changed since yesterday, yesterday's leftovers,
the roster review and the data problems."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from gridtool import manifest
from gridtool.output.fast_xlsx import FastSheet, FastStyles, Line, frame_sheet, grid_frame, table_sheet, write_fast_book
from gridtool.output.todo_sheets import Heading, manifest_head
from gridtool.output.xlsx import Column, PageFit, row_heights

if TYPE_CHECKING:
    from gridtool.domain.findings import Finding, MatchNote
    from gridtool.output.followup_books import FollowupTables

LIST_SHEET = "待跟进名单"
FLAG_COLUMNS = {"missing": "未打卡", "fever": "发热", "symptoms": "有症状", "bad_temperature": "体温异常"}
LIST_COLUMNS = [
    Column("序号", center=True), Column("网格员"), Column("姓名"), Column("楼栋", center=True),
    Column("单元", center=True), Column("房号", center=True), Column("电话"), Column("跟进原因", 10),
    Column("体温(℃)", None, "0.0"), Column("连续未打卡(天)", center=True),
    *(Column(label, center=True) for label in FLAG_COLUMNS.values()), Column("今日已办结"), Column("编号", hidden=True),
]
_LETTER = {c.header: chr(65 + i) for i, c in enumerate(LIST_COLUMNS)}


def write_overview(path: Path, tables: FollowupTables) -> None:
    """All flagged residents, and per-worker and per-building counts as live COUNTIFS with cached values,
    written whole by the rust writer (the formulas set over their values afterwards, see xlsx_package)."""
    heading: Heading = tables.heading
    styles = FastStyles()
    changes = ["label", "worker", "name", "building", "unit", "room"]
    carried = ["overdue_mark", "since", "date", "worker", "name", "building", "unit", "room", "reason", "answer"]
    sheets = [
        _overview_sheet(tables.counts, heading),
        _list_sheet(tables.flagged, heading, styles),
        _count_sheet("按网格员", tables.by_worker, "worker", "网格员"),
        _count_sheet("按楼栋", tables.by_building, "building", "楼栋"),
        _simple_sheet("较昨日变化", styles, ["变化", "网格员", "姓名", "楼栋", "单元", "房号"], tables.changes, changes),
        _simple_sheet("昨日未办结", styles, ["超时", "起始日期", "日期", "网格员", "姓名", "楼栋", "单元", "房号", "原因",
                                            "跟进结果"], tables.carried, carried),
        _review_sheet(tables.notes, styles),
        _problem_sheet(tables.problems, styles),
        # what the overview is, so `collect` can say it is the wrong file; its items are on the workers' books
        FastSheet(manifest.SHEET, [], grid_frame(manifest_head(heading, "overview", "")), [], hidden=True, raw=True),
    ]
    write_fast_book(path, sheets, styles)


def list_frame(flagged: pd.DataFrame) -> pd.DataFrame:
    """待跟进名单's columns in LIST_COLUMNS' order, taken from the flagged table's columns as they are (the
    to-do rows' values, todo_rows, without making a row per resident: everyone may be flagged)."""
    days = flagged["missing_days"].astype(int)
    parts = [pd.Series(range(1, len(flagged) + 1)), flagged["worker"],
             *(flagged[c] for c in ("name", "building", "unit", "room", "phone", "reason_text", "temperature")),
             days.astype(object).where(days > 0, None), *(flagged[f].map({True: "是", False: ""}) for f in FLAG_COLUMNS),
             flagged["resolved"], flagged["key"]]
    return pd.DataFrame({c.header: part.reset_index(drop=True) for c, part in zip(LIST_COLUMNS, parts, strict=True)})


def _list_sheet(flagged: pd.DataFrame, heading: Heading, styles: FastStyles) -> FastSheet:
    return frame_sheet(LIST_SHEET, LIST_COLUMNS, list_frame(flagged), styles, PageFit(landscape=True),
                       page_header=f"{heading.community}待跟进名单 {heading.day}", extra={"autofilter": True})


def _simple_sheet(name: str, styles: FastStyles, headers: list[str], table: pd.DataFrame,
                  fields: list[str]) -> FastSheet:
    columns = [table[f].astype(str).tolist() if f in table.columns else [""] * len(table) for f in fields]
    return table_sheet(name, [Column(h) for h in headers], [list(r) for r in zip(*columns, strict=True)], styles,
                       PageFit(landscape=True))


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


COUNT_FIELDS = ["residents", "exempt", "checked_in", "missing", "fever", "symptoms", "bad_temperature", "flagged"]
COUNT_HEADERS = ["居民数", "免打卡", "已打卡", "未打卡", "发热", "有症状", "体温异常", "待跟进"]


def _count_sheet(name: str, table: pd.DataFrame, key: str, label: str) -> FastSheet:
    """One row per worker (or building) and a total row; every count but the given ones is a formula."""
    columns = [Column(label), *(Column(h, number_format="0") for h in COUNT_HEADERS), Column("打卡率", None, "0.0%")]
    letter = _LETTER[label]
    rows: list[list[Any]] = []
    formulas: dict[tuple[int, int], str] = {}
    for row, item in enumerate(table.to_dict("records"), 1):
        rows.append([str(item[key]) or "（未填）", *(int(item[f]) for f in COUNT_FIELDS), float(item["rate"])])
        formulas[(row, 3)] = f"B{row + 1}-C{row + 1}-E{row + 1}"
        for col, flag in enumerate(("missing", "fever", "symptoms", "bad_temperature"), 4):
            formulas[(row, col)] = _countif(flag, letter, f"$A{row + 1}")
        formulas[(row, 8)] = _countif(None, letter, f"$A{row + 1}")
        formulas[(row, 9)] = _rate(row + 1)
    total = len(rows) + 1
    sums = [int(table[f].sum()) for f in COUNT_FIELDS]
    active = sums[0] - sums[1]
    rows.append(["合计", *sums, round(sums[2] / active, 4) if active else 0.0])
    formulas.update({(total, col): f"SUM({chr(65 + col)}2:{chr(65 + col)}{total})" for col in range(1, 9)})
    formulas[(total, 9)] = _rate(total + 1)
    frame = pd.DataFrame(rows, columns=[c.header for c in columns])
    return FastSheet(name, columns, frame, [12.0] + [9.0] * 9, landscape=False, formulas=formulas,
                     row_styles=["cell"] * (total - 1) + ["total"], extra={"freeze_panes": {"row": 1, "col": 1}})


def _rate(excel_row: int) -> str:
    r = excel_row
    return f"IF(B{r}-C{r}>0,D{r}/(B{r}-C{r}),0)"


OVERVIEW_NOTE = "各网格员、各楼栋的数字是公式，修改“待跟进名单”后会自动更新。"


def _overview_sheet(counts: dict[str, int], heading: Heading) -> FastSheet:
    """The day's figures under the title, rows 3 to 11 (B3 residents ... B11 the check-in rate)."""
    flag_count = {flag: f"COUNTIF('{LIST_SHEET}'!${_LETTER[label]}:${_LETTER[label]},\"是\")"
                  for flag, label in FLAG_COLUMNS.items()}
    lines: list[tuple[str, str | None, float]] = [
        ("居民数", None, counts["residents"]), ("免打卡（外出、住院、隔离等）", None, counts["exempt"]),
        ("已打卡", "B3-B4-B6", counts["checked_in"]), ("未打卡", flag_count["missing"], counts["missing"]),
        ("发热", flag_count["fever"], counts["fever"]), ("有症状", flag_count["symptoms"], counts["symptoms"]),
        ("体温异常", flag_count["bad_temperature"], counts["bad_temperature"]),
        ("待跟进人数", f"COUNTA('{LIST_SHEET}'!$C:$C)-1", counts["flagged"]),
    ]
    active = counts["residents"] - counts["exempt"]
    lines.append(("打卡率", "IF(B3-B4>0,B5/(B3-B4),0)", round(counts["checked_in"] / active, 4) if active else 0.0))
    rows: list[list[Any]] = [[label, value] for label, _, value in lines] + [[None, None], [OVERVIEW_NOTE, None]]
    columns, widths = [Column("项目"), Column("数值")], [30.0, 12.0]
    title = f"{heading.community}健康打卡日报 {heading.day}".strip()
    return FastSheet("概况", columns, pd.DataFrame(rows, columns=["项目", "数值"]), widths,
                     [0.0] * 10 + row_heights([[OVERVIEW_NOTE]], columns, widths, 11, 0.0),  # rows as XlsxWriter's
                     lines=[Line(title, "heading")], landscape=False,
                     row_styles=["integer"] * 8 + ["percent", "hidden", "note"],
                     formulas={(row, 1): f for row, (_, f, _) in enumerate(lines, 2) if f})


NOTE_KINDS = {"matched": "已自动匹配", "doubtful": "待人工核对", "not_on_roster": "名册中没有",
              "superseded": "较早提交有异常"}


def _review_sheet(notes: list[MatchNote], styles: FastStyles) -> FastSheet:
    columns = [Column("类型"), Column("文件"), Column("工作表"), Column("行号", center=True), Column("姓名"),
               Column("住址"), Column("电话"), Column("说明", 10), Column("可能的名册居民", 10)]
    rows = [[NOTE_KINDS.get(n.kind, n.kind), n.file, n.sheet, n.row, n.name, n.address, n.phone, n.message,
             "；".join(n.candidates)] for n in notes]
    return table_sheet("核对", columns, rows, styles, PageFit(landscape=True))


def _problem_sheet(problems: list[Finding], styles: FastStyles) -> FastSheet:
    columns = [Column("文件"), Column("工作表"), Column("单元格", center=True), Column("内容"), Column("说明", 10)]
    rows = [[p.file, p.sheet, f"{p.column}{p.row}" if p.row else "", p.value, p.message] for p in problems]
    return table_sheet("数据问题", columns, rows, styles, PageFit(landscape=True))
