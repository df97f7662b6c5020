"""The request workbooks: `诉求汇总` (every request, hot topics as live formulas, time to close, the rounds)
and one printable 配送单 per volunteer, a page per round, read back by `gridtool collect` through the
same hidden manifest as the to-do sheets."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from gridtool.manifest import DELIVERY
from gridtool.output.second_process import second_process
from gridtool.output.staging import OutputRun
from gridtool.output.todo_sheets import Heading, manifest_items, meta
from gridtool.output.xlsx import (
    Column,
    PageFit,
    Styles,
    atomic_workbook,
    print_setup,
    write_manifest,
    write_table,
    write_table_layout,
    write_value,
)
from gridtool.table.invisible import shown

if TYPE_CHECKING:
    from gridtool.domain.requests.delivery import DeliveryBook, DeliveryPlan
    from gridtool.domain.requests.report import RequestResult

LIST_SHEET = "诉求明细"
LIST_COLUMNS = [  # header, field
    ("行号", "row"), ("登记时间", "logged"), ("姓名", "name"), ("楼栋", "building"), ("单元", "unit"), ("房号", "room"),
    ("电话", "phone"), ("诉求内容", "text"), ("类别", "category"), ("第二类别", "second"), ("匹配词", "matched"),
    ("紧急", "urgent"), ("紧急原因", "urgent_reason"), ("超时", "overdue"), ("已等(小时)", "waited_hours"),
    ("状态", "status_text"), ("处理人", "handler"), ("完成时间", "closed"),
]
_LETTER = {header: chr(65 + i) for i, (header, _) in enumerate(LIST_COLUMNS)}
ROUND_SHEETS = 30  # more rounds than this go on one sheet, a printed page per round
STOP_COLUMNS = [
    Column("轮次", center=True), Column("序号", center=True), Column("住址"), Column("姓名"), Column("电话"),
    Column("要带的东西", 12), Column("完成(打√)", 3, input=True), Column("备注", 6, input=True),
    Column("编号", hidden=True),
]
ROW_HEIGHT = 36  # points: room to tick and write by hand
DELIVERY_FIT = PageFit(landscape=True, min_scale=0.85, min_row_height=ROW_HEIGHT)
BIG_PRINT = 14


def detail_rows(requests: pd.DataFrame) -> list[list[Any]]:
    """One row per request in 诉求明细's column order, from column lists rather than per-row dicts."""
    frame = requests.assign(
        logged=requests["logged_at"].dt.strftime("%Y-%m-%d %H:%M").fillna(""),
        closed=requests["closed_at"].dt.strftime("%Y-%m-%d %H:%M").fillna(""),
        waited_hours=requests["waited_hours"].astype(object).where(requests["waited_hours"].notna(), None),
        urgent=requests["urgent"].map({True: "是", False: ""}), overdue=requests["overdue"].map({True: "是", False: ""}))
    return [list(r) for r in zip(*(frame[f].tolist() for _, f in LIST_COLUMNS), strict=True)]


def _criteria(text: str) -> str:
    """A COUNTIF criterion that matches `text` exactly: wildcards escaped, an `=` so `<…` is not an operator."""
    return "=" + text.replace("~", "~~").replace("*", "~*").replace("?", "~?")


def _hot_sheet(sheet: Worksheet, styles: Styles, counts: pd.DataFrame, days: pd.DataFrame, rows: int) -> None:
    """Per category: total, open, urgent, overdue, each day and the change on the last day, all COUNTIFS."""
    last = rows + 1
    area = {h: f"'{LIST_SHEET}'!${_LETTER[h]}$2:${_LETTER[h]}${last}" for h in ("类别", "紧急", "超时", "状态", "登记时间")}
    day_names = [str(d) for d in days.index]
    headers = ["类别", "合计", "未办结", "紧急", "超时", *[f"{d[5:7]}月{d[8:]}日" for d in day_names]]
    headers += ["较前一天"] if len(day_names) >= 2 else []
    sheet.write_string(0, 0, "热点问题（数字是公式：在“诉求明细”里改类别会自动更新）", styles.title)
    for col, text in enumerate(headers):
        sheet.write_string(2, col, text, styles.header)
    for index, item in enumerate(counts.to_dict("records")):
        row, cell = 3 + index, f"$A{4 + index}"
        kind = f"{area['类别']},{cell}"
        write_value(sheet, row, 0, str(item["category"]), styles.cell)
        formulas = [(f"COUNTIF({area['类别']},\"=\"&{cell})", item["total"]),
                    (f"COUNTIFS({kind},{area['状态']},\"<>已*\")", item["open"]),
                    (f"COUNTIFS({kind},{area['紧急']},\"是\")", item["urgent"]),
                    (f"COUNTIFS({kind},{area['超时']},\"是\")", item["overdue"])]
        for day in day_names:
            value = int(days.at[day, item["category"]]) if item["category"] in days.columns else 0
            formulas.append((f"COUNTIFS({kind},{area['登记时间']},\"{day}*\")", value))
        for col, (formula, value) in enumerate(formulas, 1):
            sheet.write_formula(row, col, "=" + formula.replace(f",{cell})", f",\"=\"&{cell})", 1), styles.integer,
                                int(value))
        if len(day_names) >= 2:
            a, b = chr(65 + len(formulas) - 1), chr(65 + len(formulas))
            change = int(formulas[-1][1]) - int(formulas[-2][1])
            sheet.write_formula(row, len(formulas) + 1, f"={b}{row + 1}-{a}{row + 1}", styles.integer, change)
    sheet.merge_range(len(counts) + 4, 0, len(counts) + 4, len(headers) - 1,
                      "“其他”类的诉求见“未归类”页：可据此在 gridtool.toml 的 [requests.categories] 中补充关键词。",
                      styles.note)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, len(headers), 10)
    print_setup(sheet, 2, landscape=True)


def _frame_sheet(sheet: Worksheet, styles: Styles, frame: pd.DataFrame, headers: Sequence[str]) -> None:
    rows = [[None if v != v else v for v in r] for r in frame.itertuples(index=False)]
    _list_sheet(sheet, styles, headers, rows)


def _list_sheet(sheet: Worksheet, styles: Styles, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                formats: Sequence[Any] | None = None) -> None:
    """A list with its header, printed across A4 landscape, one page wide, the header on every page."""
    end = write_table(sheet, styles, 0, [Column(h) for h in headers], rows, formats)
    print_setup(sheet, 0, landscape=True, area=(end - 1, len(headers) - 1))
    print_setup(sheet, 0, landscape=True)


def stop_rows(stops: pd.DataFrame) -> list[list[Any]]:
    """轮次 … 备注, 编号 for each stop, as the domain says the sheet prints it (`shown_name`, `shown_action`,
    `sheet_key`: gridtool.domain.requests.delivery)."""
    address = stops["building"] + "栋" + stops["unit"].where(stops["unit"] == "", stops["unit"] + "单元") + stops["room"]
    columns = [("第" + stops["round"].astype(str) + "轮").tolist(), stops["stop"].tolist(), address.tolist(),
               stops["shown_name"].tolist(), stops["phone"].tolist(), stops["shown_action"].tolist(),
               stops["sheet_key"].tolist()]
    return [[*values[:6], "", "", values[6]] for values in zip(*columns, strict=True)]


def write_stop_sheet(sheet: Worksheet, styles: Styles, stops: pd.DataFrame, title: str, top: int = 2) -> int:
    """The stops, a printed page per round (urgent in red), with the title and a signature line on every page."""
    formats = [styles.urgent if u else styles.cell for u in stops["urgent"].tolist()]
    sheet.merge_range(0, 0, 0, len(STOP_COLUMNS) - 2, shown(title), styles.title)
    end = write_table_layout(sheet, styles, top, STOP_COLUMNS, stop_rows(stops), formats, DELIVERY_FIT).end
    starts = stops.index[stops["round"].ne(stops["round"].shift())].tolist()[1:]
    sheet.set_h_pagebreaks([top + 1 + s for s in starts])
    print_setup(sheet, top, landscape=True, header=title, font_size=styles.font_size)
    sheet.repeat_rows(0, top)  # every round's page starts with the title
    for row, height in ((0, 28), (1, 22)):
        sheet.set_row(row, height)
    size = f"&{styles.font_size} "
    sheet.set_footer(f"&L{size}配送人签字：____________&C{size}日期：__________&R{size}第 &P 页，共 &N 页")
    return end


def write_delivery_book(path: Path, book_: DeliveryBook, heading: Heading) -> None:
    """One volunteer's 配送单: every round of theirs, a page each, collectable with `gridtool collect`; its
    hidden manifest holds only what the sheet prints."""
    stops = book_.stops
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=BIG_PRINT)
        sheet = book.add_worksheet("配送单")
        who = f"{book_.volunteer} {book_.phone}".strip() or "（请填写配送人）"
        title = f"{heading.community}配送单 · {who} · {heading.day}".lstrip(" ·")
        end = write_stop_sheet(sheet, styles, stops, title)
        sheet.merge_range(1, 0, 1, len(STOP_COLUMNS) - 2,
                          f"共 {stops['round'].nunique()} 轮、{len(stops)} 户，每轮一页。红色标【急】的先送。", styles.note)
        sheet.merge_range(end + 1, 0, end + 1, len(STOP_COLUMNS) - 2,
                          "送到后在“完成”栏打√；没送到的在“备注”写明原因（家中无人、已自行解决等）。交回后用 gridtool collect 收回。",
                          styles.note)
        write_manifest(book, meta(DELIVERY, heading, book_.owner), manifest_items(stops, heading.date, DELIVERY))


def write_request_summary(path: Path, heading: Heading, result: RequestResult, stops: pd.DataFrame) -> None:
    """诉求汇总: hot topics, urgent and overdue, every request, buildings, time to close, 其他, rounds, problems."""
    requests, tables = result.requests, result.tables
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=11)
        _hot_sheet(book.add_worksheet("热点"), styles, tables["by_category"], tables["by_day"], len(requests))
        headers = [h for h, _ in LIST_COLUMNS]
        attention = tables["attention"]
        _list_sheet(book.add_worksheet("紧急与超时"), styles, headers, detail_rows(attention),
                    [styles.urgent if u else styles.cell for u in attention["urgent"].tolist()])
        detail = book.add_worksheet(LIST_SHEET)
        _list_sheet(detail, styles, headers, detail_rows(requests))
        detail.autofilter(0, 0, len(requests), len(headers) - 1)
        building = tables["by_building"].reset_index()
        _frame_sheet(book.add_worksheet("按楼栋"), styles, building, ["楼栋", *map(str, building.columns[1:])])
        closing = pd.concat([tables["close_by_category"].rename(columns={"category": "key"}).assign(by="类别"),
                             tables["close_by_handler"].rename(columns={"handler": "key"}).assign(by="处理人")])
        _frame_sheet(book.add_worksheet("办结用时"), styles, closing[["by", "key", "closed", "median_hours", "worst_hours"]],
                     ["按", "类别/处理人", "已办结", "中位用时(小时)", "最长用时(小时)"])
        other = requests[requests["category"] == "其他"]
        _list_sheet(book.add_worksheet("未归类"), styles, headers, detail_rows(other))
        _round_sheets(book, styles, stops, heading)
        problems = [p.to_dict() for p in result.problems]
        _frame_sheet(book.add_worksheet("数据问题"), styles,
                     pd.DataFrame([[p["file"], p["sheet"], p["row"], p["value"], p["message"]] for p in problems],
                                  columns=["f", "s", "r", "v", "m"]), ["文件", "工作表", "行号", "内容", "说明"])


def _round_sheets(book: Any, styles: Styles, stops: pd.DataFrame, heading: Heading) -> None:
    if stops.empty:
        return
    rounds = sorted(stops["round"].unique())
    if len(rounds) > ROUND_SHEETS:
        write_stop_sheet(book.add_worksheet("配送轮次"), styles, stops, f"配送轮次 · {heading.day}")
        return
    for number in rounds:
        part = stops[stops["round"] == number].reset_index(drop=True)
        who = str(part["volunteer"].iloc[0]) or "未分配"
        write_stop_sheet(book.add_worksheet(f"第{number}轮"), styles, part, f"第{number}轮 · {who} · {heading.day}")


# Above this many requests the 配送单 are written in a second process while this one writes the summary.
PARALLEL_ROWS = 20000


def write_request_files(run: OutputRun, heading: Heading, result: RequestResult, plan: DeliveryPlan) -> list[Path]:
    """The 配送单 (one per volunteer, or one for the unassigned rounds) and 诉求汇总."""
    stamp = heading.date.isoformat()
    summary = run.path("诉求汇总", stamp)
    jobs = [(run.list_path("配送单", book.volunteer or "待分配", stamp), book) for book in plan.books]
    if len(result.requests) > PARALLEL_ROWS and jobs and (os.cpu_count() or 1) > 1:
        # the child gets the stops only, not the request frame; it dies with this process
        with second_process(write_delivery_books, jobs, heading) as books:
            write_request_summary(summary, heading, result, plan.stops)
            books.result()
    else:
        write_delivery_books(jobs, heading)
        write_request_summary(summary, heading, result, plan.stops)
    return [summary, *(path for path, _ in jobs)]


def write_delivery_books(jobs: list[tuple[Path, DeliveryBook]], heading: Heading) -> None:
    for path, book in jobs:
        write_delivery_book(path, book, heading)
