"""The follow-up log workbook that `gridtool collect` keeps: every item with its latest answer, what is
still open, completion per worker and building, the history of changed answers, and this run's problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from gridtool.output.xlsx import Column, Styles, atomic_workbook, print_setup, write_table

YES, NO = "是", "否"


def _log_rows(frame: pd.DataFrame, fields: list[str]) -> list[list[Any]]:
    columns = [frame[f].map({True: YES, False: NO}).tolist() if f == "closed" else frame[f].astype(str).tolist()
               for f in fields]
    return [list(values) for values in zip(*columns, strict=True)]


def _sheet(book: Any, styles: Styles, name: str, headers: list[str], rows: list[list[Any]]) -> Worksheet:
    sheet = book.add_worksheet(name)
    write_table(sheet, styles, 0, [Column(h) for h in headers], rows)
    if rows:
        sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    print_setup(sheet, 0, landscape=True)
    return sheet


def write_log(path: Path, log: pd.DataFrame, history: pd.DataFrame, headers: dict[str, str],
              open_items: pd.DataFrame, by_worker: pd.DataFrame, by_building: pd.DataFrame,
              problems: list[dict[str, Any]]) -> None:
    fields = list(headers)
    ordered = log.sort_values(["date", "worker", "building", "unit", "room"], ascending=[False, True, True, True, True])
    with atomic_workbook(path) as book:
        styles = Styles(book)
        _sheet(book, styles, "跟进记录", list(headers.values()), _log_rows(ordered, fields))
        open_fields = ["date", "worker", "building", "unit", "room", "name", "phone", "reason", "answer", "issued_at"]
        open_rows = [[*row, "超时" if late else ""] for row, late in
                     zip(_log_rows(open_items, open_fields), open_items["overdue"].tolist(), strict=True)]
        _sheet(book, styles, "未办结", [headers[f] for f in open_fields] + ["超时"], open_rows)
        for name, table, key in (("按网格员", by_worker, "worker"), ("按楼栋", by_building, "building")):
            rows = [[item[key], item["total"], item["done"], item["open"], item["overdue"], item["rate"]]
                    for item in table.to_dict("records")]
            sheet = _sheet(book, styles, name, [headers[key], "总数", "已办结", "未办结", "超时", "完成率"], rows)
            sheet.set_column(5, 5, 10, styles.percent)
        _sheet(book, styles, "历史", list(headers.values()), _log_rows(history, fields))
        _sheet(book, styles, "本次问题", ["文件", "工作表", "行号", "说明"],
               [[p["file"], p["sheet"], p["row"] or "", p["message"]] for p in problems])
