"""`side_by_side`: work done to each column (or part), two at a time when the table is long, in their order."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import gridtool.table.columnwise as columnwise
from gridtool.table.columnwise import side_by_side


def _columns() -> list[pd.Series]:
    return [pd.Series([f" {name}{i} " for i in range(50)], dtype="string[pyarrow]") for name in ("张", "李", "王")]


@pytest.mark.parametrize(("threaded_rows", "threads"), [(50, {"gridtool-beside"}), (51, {"MainThread"})])
def test_long_columns_are_worked_on_two_threads_and_come_back_in_order(
        monkeypatch: pytest.MonkeyPatch, threaded_rows: int, threads: set[str]) -> None:
    monkeypatch.setattr(columnwise, "THREADED_ROWS", threaded_rows)
    monkeypatch.setattr(columnwise.os, "cpu_count", lambda: 2)
    seen: set[str] = set()

    def strip(column: pd.Series) -> list[str]:
        seen.add(threading.current_thread().name.rsplit("_", 1)[0])
        return column.str.strip().tolist()

    assert side_by_side(strip, _columns(), 50) == [[f"{name}{i}" for i in range(50)] for name in ("张", "李", "王")]
    assert seen == threads


def test_one_core_works_on_one_column_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnwise, "THREADED_ROWS", 1)
    monkeypatch.setattr(columnwise.os, "cpu_count", lambda: 1)
    names: set[str] = set()
    side_by_side(lambda column: names.add(threading.current_thread().name), _columns(), 50)
    assert names == {"MainThread"}
