"""The follow-up log workbook that `gridtool collect` keeps (format: gridtool.logformat): every item with
its latest answer, what is still open, completion per worker and building, the history of changed
answers, this run's conflicts and problems."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from gridtool import logformat as fmt
from gridtool.output.fast_xlsx import FastSheet, FastStyles, table_sheet, write_fast_book
from gridtool.output.xlsx import Column, PageFit
from gridtool.table.values import records

if TYPE_CHECKING:
    from gridtool.domain.loop.collect import CollectResult


def _log_rows(frame: pd.DataFrame, fields: Sequence[str]) -> list[list[object]]:
    columns = [frame[f].map(lambda v: fmt.closed_text(bool(v))).tolist() if f == "closed"
               else frame[f].fillna("").astype(str).tolist() for f in fields]
    return [list(values) for values in zip(*columns, strict=True)]


def _sheet(name: str, headers: Sequence[str], rows: Sequence[Sequence[object]], styles: FastStyles,
           columns: Sequence[Column] | None = None) -> FastSheet:
    """One of the log's sheets: a table with a filter on its header, laid out for a landscape page."""
    return table_sheet(name, columns or [Column(h) for h in headers], rows, styles, PageFit(),
                       extra={"autofilter": True} if rows else {})


def write_log(path: Path, result: CollectResult) -> None:
    """The follow-up log: every item, the open ones, completion per worker and building, the history, the
    conflicts and this run's problems."""
    ordered = result.log.sort_values(["date", "worker", "building", "unit", "room"],
                                     ascending=[False, True, True, True, True])
    styles = FastStyles()
    open_items = result.open_items
    open_rows = [[*row, fmt.OVERDUE_MARK if late else ""] for row, late in
                 zip(_log_rows(open_items, fmt.OPEN_FIELDS), open_items["overdue"].tolist(), strict=True)]
    sheets = [_sheet(fmt.LOG_SHEET, list(fmt.HEADERS.values()), _log_rows(ordered, fmt.FIELDS), styles),
              _sheet(fmt.OPEN_SHEET, [fmt.HEADERS[f] for f in fmt.OPEN_FIELDS] + [fmt.OVERDUE_HEADER], open_rows,
                     styles)]
    for name, table, key in ((fmt.BY_WORKER_SHEET, result.by_worker, "worker"),
                             (fmt.BY_BUILDING_SHEET, result.by_building, "building")):
        rows = [[item[key], item["total"], item["done"], item["open"], item["overdue"], item["rate"]]
                for item in records(table)]
        headers = [fmt.HEADERS[key], *fmt.COUNT_HEADERS]
        sheets.append(_sheet(name, headers, rows, styles,
                             [*(Column(h) for h in headers[:-1]), Column(headers[-1], number_format="0.0%")]))
    sheets += [
        _sheet(fmt.HISTORY_SHEET, list(fmt.HEADERS.values()), _log_rows(result.history, fmt.FIELDS), styles),
        _sheet(fmt.CONFLICTS_SHEET, list(fmt.CONFLICT_HEADERS.values()),
               [[c[f] for f in fmt.CONFLICT_HEADERS] for c in result.conflicts], styles),
        _sheet(fmt.PROBLEMS_SHEET, fmt.PROBLEM_HEADERS, [[p.file, p.sheet, p.row or "", p.message]
                                                         for p in result.problems], styles),
    ]
    write_fast_book(path, sheets, styles)
