"""Vertically merged cells (a 楼栋 merged down a hand-made roster) filled with their top cell's value.

A range is clipped to the cells the sheet really has, so a range that claims `A2:ZZZZZZ3` costs what its
used part costs; each column is filled with numpy slices, so 155k ranges take a fraction of a second.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

import pandas as pd

from gridtool.table.sheetscan import Merge, column_number


def fill_merged(frame: pd.DataFrame, merges: Iterable[Merge]) -> None:
    """Give every cell of a vertically merged range the value of its top-left cell (in place)."""
    if frame.empty:
        return
    numbers = [column_number(str(letters)) for letters in frame.columns]  # increasing, as calamine gives them
    position = {number: index for index, number in enumerate(numbers)}
    first_row, last_row = int(frame.index[0]), int(frame.index[-1])
    fills: dict[int, list[tuple[int, int, object]]] = {}
    for merge in merges:
        if merge.last_row <= merge.first_row or not first_row <= merge.first_row <= last_row:
            continue
        source = position.get(merge.first_column)
        if source is None:
            continue
        top = merge.first_row - first_row
        bottom = min(merge.last_row, last_row) - first_row + 1
        value = frame.iat[top, source]
        for index in range(bisect_left(numbers, merge.first_column), bisect_right(numbers, merge.last_column)):
            fills.setdefault(index, []).append((top + 1 if index == source else top, bottom, value))
    for index, ranges in fills.items():
        column = frame.iloc[:, index]
        values = column.to_numpy(dtype=object, copy=True)
        for start, stop, value in ranges:
            values[start:stop] = value
        frame.isetitem(index, pd.Series(values, index=frame.index, dtype=column.dtype))
