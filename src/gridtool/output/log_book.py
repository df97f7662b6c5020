"""The follow-up log workbook that `gridtool collect` keeps (format: gridtool.logformat): every item with
its latest answer, what is still open, completion per worker and building, the history of changed
answers, this run's conflicts and problems."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gridtool import logformat as fmt
from gridtool.output.fast_xlsx import FastSheet, FastStyles, frame_sheet, table_sheet, write_fast_book
from gridtool.output.xlsx import Column, PageFit
from gridtool.table.columnwise import records

if TYPE_CHECKING:
    from gridtool.domain.loop.collect import CollectResult


def _log_frame(frame: pd.DataFrame, fields: Sequence[str], headers: Sequence[str]) -> pd.DataFrame:
    """The log's columns as the sheet shows them, made column by column (116k items handed out by `tasks`
    were 2 s as rows of Python strings)."""
    columns = {h: pd.Series(np.where(frame[f].astype(bool), fmt.closed_text(True), fmt.closed_text(False)),
                            index=frame.index) if f == "closed" else frame[f].fillna("").astype(str)
               for f, h in zip(fields, headers, strict=True)}
    return pd.DataFrame(columns, index=frame.index).reset_index(drop=True)


def _log_sheet(name: str, frame: pd.DataFrame, styles: FastStyles) -> FastSheet:
    """_sheet for a list of items held as columns."""
    return frame_sheet(name, [Column(h) for h in frame.columns], frame, styles, PageFit(),
                       extra={"autofilter": True} if len(frame) else {})


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
    open_frame = _log_frame(open_items, fmt.OPEN_FIELDS, [fmt.HEADERS[f] for f in fmt.OPEN_FIELDS]).assign(
        **{fmt.OVERDUE_HEADER: np.where(open_items["overdue"].astype(bool), fmt.OVERDUE_MARK, "")})
    sheets = [_log_sheet(fmt.LOG_SHEET, _log_frame(ordered, fmt.FIELDS, list(fmt.HEADERS.values())), styles),
              _log_sheet(fmt.OPEN_SHEET, open_frame, styles)]
    for name, table, key in ((fmt.BY_WORKER_SHEET, result.by_worker, "worker"),
                             (fmt.BY_BUILDING_SHEET, result.by_building, "building")):
        rows = [[item[key], item["total"], item["done"], item["open"], item["overdue"], item["rate"]]
                for item in records(table)]
        headers = [fmt.HEADERS[key], *fmt.COUNT_HEADERS]
        sheets.append(_sheet(name, headers, rows, styles,
                             [*(Column(h) for h in headers[:-1]), Column(headers[-1], number_format="0.0%")]))
    sheets += [
        _log_sheet(fmt.HISTORY_SHEET, _log_frame(result.history, fmt.FIELDS, list(fmt.HEADERS.values())), styles),
        _sheet(fmt.CONFLICTS_SHEET, list(fmt.CONFLICT_HEADERS.values()),
               [[c[f] for f in fmt.CONFLICT_HEADERS] for c in result.conflicts], styles),
        _sheet(fmt.PROBLEMS_SHEET, fmt.PROBLEM_HEADERS, [[p.file, p.sheet, p.row or "", p.message]
                                                         for p in result.problems], styles),
    ]
    write_fast_book(path, sheets, styles)
