"""The follow-up log workbook as written: every field as text, 是/否 for closed, the open items marked
超时, and blanks where a field is missing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from gridtool import logformat as fmt
from gridtool.domain.loop.collect import CollectResult
from gridtool.output.log_book import write_log


def _items(closed: list[object]) -> pd.DataFrame:
    count = len(closed)
    frame = pd.DataFrame({f: [f"{f}{i}" for i in range(count)] for f in fmt.FIELDS})
    return frame.assign(closed=closed, date=["2026-11-21"] * count, room=[101, None, "302"][:count],
                        note=[float("nan"), "已送达", None][:count])


def test_the_log_and_its_open_items_are_written_as_text(tmp_path: Path) -> None:
    log = _items([True, False, 0])
    open_items = log[~log["closed"].astype(bool)].assign(overdue=[True, False])
    empty = pd.DataFrame(columns=["worker", "total", "done", "open", "overdue", "rate"])
    result = CollectResult(log, log.iloc[:0], 3, 0, [], ["2026-11-21"], empty,
                           empty.rename(columns={"worker": "building"}), open_items)
    write_log(tmp_path / "log.xlsx", result)
    book = openpyxl.load_workbook(tmp_path / "log.xlsx")
    rows = [list(r) for r in book[fmt.LOG_SHEET].iter_rows(values_only=True)]
    assert rows[0] == list(fmt.HEADERS.values())
    closed, room, note = (fmt.FIELDS.index(f) for f in ("closed", "room", "note"))
    assert [(r[closed], r[room], r[note]) for r in rows[1:]] == [("是", "101", None), ("否", None, "已送达"),
                                                                 ("否", "302", None)]
    assert rows[1][0] == "key0" and all(isinstance(v, str) for r in rows[1:] for v in r if v is not None)
    opened = [list(r) for r in book[fmt.OPEN_SHEET].iter_rows(values_only=True)]
    assert opened[0] == [fmt.HEADERS[f] for f in fmt.OPEN_FIELDS] + [fmt.OVERDUE_HEADER]
    assert [(r[fmt.OPEN_FIELDS.index("worker")], r[-1]) for r in opened[1:]] == [("worker1", "超时"), ("worker2", None)]
    assert book[fmt.LOG_SHEET].auto_filter.ref == "A1:S4" and book[fmt.HISTORY_SHEET].max_row == 1
