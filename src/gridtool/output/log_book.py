"""The follow-up log workbook that `gridtool collect` keeps (format: gridtool.logformat): every item with
its latest answer, what is still open, completion per worker and building, the history of changed
answers, this run's conflicts and problems."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from gridtool import logformat as fmt
from gridtool.output.xlsx import Column, Styles, atomic_workbook, print_setup, write_table

if TYPE_CHECKING:
    from gridtool.domain.loop.collect import CollectResult


def _log_rows(frame: pd.DataFrame, fields: Sequence[str]) -> list[list[object]]:
    columns = [frame[f].map(lambda v: fmt.closed_text(bool(v))).tolist() if f == "closed"
               else frame[f].fillna("").astype(str).tolist() for f in fields]
    return [list(values) for values in zip(*columns, strict=True)]


def _sheet(book: Workbook, styles: Styles, name: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Worksheet:
    sheet = book.add_worksheet(name)
    write_table(sheet, styles, 0, [Column(h) for h in headers], rows)
    if rows:
        sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    print_setup(sheet, 0, landscape=True)
    return sheet


def write_log(path: Path, result: CollectResult) -> None:
    """The follow-up log: every item, the open ones, completion per worker and building, the history, the
    conflicts and this run's problems."""
    ordered = result.log.sort_values(["date", "worker", "building", "unit", "room"],
                                     ascending=[False, True, True, True, True])
    with atomic_workbook(path) as book:
        styles = Styles(book)
        _sheet(book, styles, fmt.LOG_SHEET, list(fmt.HEADERS.values()), _log_rows(ordered, fmt.FIELDS))
        open_items = result.open_items
        open_rows = [[*row, fmt.OVERDUE_MARK if late else ""] for row, late in
                     zip(_log_rows(open_items, fmt.OPEN_FIELDS), open_items["overdue"].tolist(), strict=True)]
        _sheet(book, styles, fmt.OPEN_SHEET, [fmt.HEADERS[f] for f in fmt.OPEN_FIELDS] + [fmt.OVERDUE_HEADER],
               open_rows)
        for name, table, key in ((fmt.BY_WORKER_SHEET, result.by_worker, "worker"),
                                 (fmt.BY_BUILDING_SHEET, result.by_building, "building")):
            rows = [[item[key], item["total"], item["done"], item["open"], item["overdue"], item["rate"]]
                    for item in table.to_dict("records")]
            sheet = _sheet(book, styles, name, [fmt.HEADERS[key], *fmt.COUNT_HEADERS], rows)
            sheet.set_column(5, 5, 10, styles.percent)
        _sheet(book, styles, fmt.HISTORY_SHEET, list(fmt.HEADERS.values()), _log_rows(result.history, fmt.FIELDS))
        _sheet(book, styles, fmt.CONFLICTS_SHEET, list(fmt.CONFLICT_HEADERS.values()),
               [[c[f] for f in fmt.CONFLICT_HEADERS] for c in result.conflicts])
        _sheet(book, styles, fmt.PROBLEMS_SHEET, fmt.PROBLEM_HEADERS,
               [[p.file, p.sheet, p.row or "", p.message] for p in result.problems])
