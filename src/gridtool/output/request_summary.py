"""诉求汇总, written whole by the rust writer (output/fast_xlsx.py): the hot topics as live COUNTIF/COUNTIFS
formulas with their cached values, the urgent and overdue ones, every request (诉求明细), per building, time to
close, the ones no keyword caught, the rounds and the data problems.

100,000 requests × 18 columns of 诉求明细 took XlsxWriter 18 s; the rust writer writes the whole book in a few."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from gridtool.output.fast_xlsx import FastSheet, FastStyles, Line, frame_sheet, table_sheet, write_fast_book
from gridtool.output.overview_book import exact_criterion
from gridtool.output.request_books import (
    DELIVERY_FIT,
    STOP_COLUMNS,
    round_breaks,
    signature_footer,
    stop_rows,
    write_delivery_books,
)
from gridtool.output.second_process import second_process
from gridtool.output.sheet_xml import cell_name
from gridtool.output.xlsx import Column, PageFit

if TYPE_CHECKING:
    from gridtool.domain.requests.delivery import DeliveryBook, DeliveryPlan
    from gridtool.domain.requests.report import RequestResult
    from gridtool.output.staging import OutputRun
    from gridtool.output.todo_sheets import Heading

LIST_SHEET = "诉求明细"
LIST_COLUMNS = [  # header, field
    ("行号", "row"), ("登记时间", "logged"), ("姓名", "name"), ("楼栋", "building"), ("单元", "unit"), ("房号", "room"),
    ("电话", "phone"), ("诉求内容", "text"), ("类别", "category"), ("第二类别", "second"), ("匹配词", "matched"),
    ("紧急", "urgent"), ("紧急原因", "urgent_reason"), ("超时", "overdue"), ("已等(小时)", "waited_hours"),
    ("状态", "status_text"), ("处理人", "handler"), ("完成时间", "closed"),
]
_LETTER = {header: cell_name(0, i)[:-1] for i, (header, _) in enumerate(LIST_COLUMNS)}
HOT_TITLE = "热点问题（数字是公式：在“诉求明细”里改类别会自动更新）"
HOT_NOTE = "“其他”类的诉求见“未归类”页：可据此在 gridtool.toml 的 [requests.categories] 中补充关键词。"
ROUND_SHEETS = 30  # more rounds than this go on one sheet


def detail_frame(requests: pd.DataFrame) -> pd.DataFrame:
    """诉求明细's columns, in order, taken from the requests' columns as they are (no Python list per column)."""
    frame = requests.assign(
        logged=requests["logged_at"].dt.strftime("%Y-%m-%d %H:%M").fillna(""),
        closed=requests["closed_at"].dt.strftime("%Y-%m-%d %H:%M").fillna(""),
        urgent=requests["urgent"].map({True: "是", False: ""}), overdue=requests["overdue"].map({True: "是", False: ""}))
    return frame[[f for _, f in LIST_COLUMNS]].reset_index(drop=True)


def detail_sheet(name: str, requests: pd.DataFrame, styles: FastStyles, **more: Any) -> FastSheet:
    """A list of requests as 诉求明细 shows them, laid out as table_sheet lays a table out, but handed to the
    writer as columns: 100,000 requests are not turned into rows and back into a frame."""
    return frame_sheet(name, [Column(h) for h, _ in LIST_COLUMNS], detail_frame(requests), styles, PageFit(), **more)


def _hot_formulas(row: int, requests: int, days: list[str]) -> list[str]:
    """The formulas of the hot-topics row at sheet row `row` (from 0): 合计, 未办结, 紧急, 超时, each day's count,
    and the change on the last day when there are two days or more."""
    area = {h: f"'{LIST_SHEET}'!${_LETTER[h]}$2:${_LETTER[h]}${requests + 1}" for h in ("类别", "紧急", "超时", "状态",
                                                                                       "登记时间")}
    kind = f"{area['类别']},{exact_criterion(f'$A{row + 1}')}"
    formulas = [f"COUNTIF({kind})", f'COUNTIFS({kind},{area["状态"]},"<>已*")', f'COUNTIFS({kind},{area["紧急"]},"是")',
                f'COUNTIFS({kind},{area["超时"]},"是")', *(f'COUNTIFS({kind},{area["登记时间"]},"{d}*")' for d in days)]
    if len(days) >= 2:
        before, last = (cell_name(row, len(formulas) - 1), cell_name(row, len(formulas)))
        formulas.append(f"{last}-{before}")
    return formulas


def hot_sheet(counts: pd.DataFrame, days: pd.DataFrame, requests: int, styles: FastStyles) -> FastSheet:
    """Per category: total, open, urgent, overdue, each day and the change on the last day, all live
    formulas over 诉求明细 carrying the counts the triage made as their cached values."""
    day_names = [str(d) for d in days.index]
    headers = ["合计", "未办结", "紧急", "超时", *[f"{d[5:7]}月{d[8:]}日" for d in day_names]]
    headers += ["较前一天"] if len(day_names) >= 2 else []
    top = 2  # the title and the note over the table
    rows, formulas = [], {}
    for index, item in enumerate(counts.to_dict("records")):
        category = str(item["category"])
        per_day = [int(days.at[d, category]) if category in days.columns else 0 for d in day_names]
        values = [int(item[k]) for k in ("total", "open", "urgent", "overdue")] + per_day
        values += [per_day[-1] - per_day[-2]] if len(day_names) >= 2 else []
        rows.append([category, *values])
        row = top + 1 + index
        formulas.update({(row, col): text
                         for col, text in enumerate(_hot_formulas(row, requests, day_names), 1)})
    columns = [Column("类别"), *(Column(h, number_format="0") for h in headers)]
    return table_sheet("热点", columns, rows, styles, PageFit(), lines=[Line(HOT_TITLE, "heading"),
                                                                        Line(HOT_NOTE, "note")], formulas=formulas)


def _list_sheet(name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], styles: FastStyles,
                **more: Any) -> FastSheet:
    """A list under its header, printed across A4 landscape, one page wide, the header on every page."""
    return table_sheet(name, [Column(h) for h in headers], rows, styles, PageFit(), **more)


def _frame_sheet(name: str, frame: pd.DataFrame, headers: Sequence[str], styles: FastStyles) -> FastSheet:
    return frame_sheet(name, [Column(h) for h in headers], frame.reset_index(drop=True), styles, PageFit())


def round_sheets(stops: pd.DataFrame, heading: Heading, styles: FastStyles) -> list[FastSheet]:
    """A sheet per round (urgent stops in red), or all rounds on one sheet, a printed page each, when there
    are more than ROUND_SHEETS; each stop as its 配送单 prints it, the signature line in every page's footer."""
    if stops.empty:
        return []
    rounds = sorted(stops["round"].unique())
    if len(rounds) > ROUND_SHEETS:
        parts = [("配送轮次", f"配送轮次 · {heading.day}", stops)]
    else:
        parts = []
        for number in rounds:
            part = stops[stops["round"] == number]
            who = str(part["volunteer"].iloc[0]) or "未分配"
            parts.append((f"第{number}轮", f"第{number}轮 · {who} · {heading.day}", part))
    top = 1  # the title over the table
    return [table_sheet(name, STOP_COLUMNS, stop_rows(part), styles, DELIVERY_FIT, lines=[Line(title, "heading")],
                        row_styles=["urgent" if u else "cell" for u in part["urgent"].tolist()], page_header=title,
                        footer=signature_footer(styles.font_size), page_breaks=round_breaks(part, top))
            for name, title, part in parts]


def write_request_summary(path: Path, heading: Heading, result: RequestResult, stops: pd.DataFrame) -> None:
    """诉求汇总: hot topics, urgent and overdue, every request, buildings, time to close, 其他, rounds, problems."""
    requests, tables = result.requests, result.tables
    styles = FastStyles(font_size=11)
    attention = tables["attention"]
    building = tables["by_building"].reset_index()
    closing = pd.concat([tables["close_by_category"].rename(columns={"category": "key"}).assign(by="类别"),
                         tables["close_by_handler"].rename(columns={"handler": "key"}).assign(by="处理人")])
    problems = [[p.file, p.sheet, p.row, p.value, p.message] for p in result.problems]
    sheets = [
        hot_sheet(tables["by_category"], tables["by_day"], len(requests), styles),
        detail_sheet("紧急与超时", attention, styles,
                     row_styles=["urgent" if u else "cell" for u in attention["urgent"].tolist()]),
        detail_sheet(LIST_SHEET, requests, styles, extra={"autofilter": True} if len(requests) else {}),
        _frame_sheet("按楼栋", building, ["楼栋", *map(str, building.columns[1:])], styles),
        _frame_sheet("办结用时", closing[["by", "key", "closed", "median_hours", "worst_hours"]],
                     ["按", "类别/处理人", "已办结", "中位用时(小时)", "最长用时(小时)"], styles),
        detail_sheet("未归类", requests[requests["category"] == "其他"], styles),
        *round_sheets(stops, heading, styles),
        _list_sheet("数据问题", ["文件", "工作表", "行号", "内容", "说明"], problems, styles),
    ]
    write_fast_book(path, sheets, styles)


# Above this many requests the 配送单 are written in a second process while this one writes the summary.
PARALLEL_ROWS = 20000


def write_request_files(run: OutputRun, heading: Heading, result: RequestResult, plan: DeliveryPlan,
                        then: Callable[[], None] | None = None) -> list[Path]:
    """The 配送单 (one per volunteer, or one for the unassigned rounds) and 诉求汇总; `then` (picklable: entering
    the 配送单 in the follow-up log) runs after the 配送单, in the second process when there is one."""
    stamp = heading.date.isoformat()
    summary = run.path("诉求汇总", stamp)
    jobs = [(run.list_path("配送单", book.volunteer or "待分配", stamp), book) for book in plan.books]
    if len(result.requests) > PARALLEL_ROWS and jobs and (os.cpu_count() or 1) > 1:
        # the child gets the stops only, not the request frame; it dies with this process
        with second_process(delivery_then, jobs, heading, then) as books:
            write_request_summary(summary, heading, result, plan.stops)
            books.result()
    else:
        delivery_then(jobs, heading, then)
        write_request_summary(summary, heading, result, plan.stops)
    return [summary, *(path for path, _ in jobs)]


def delivery_then(jobs: list[tuple[Path, DeliveryBook]], heading: Heading, then: Callable[[], None] | None) -> None:
    write_delivery_books(jobs, heading)
    if then is not None:
        then()
