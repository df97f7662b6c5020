"""What a resident reported besides being there: temperature readings (numbers or chosen options, one
to three a day), a yes/no fever answer and the health-code colour.

Every parser runs once per distinct text (map_unique); only the combining is done per row, in numpy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from gridtool.domain.people.residents import raw_column
from gridtool.table.columnwise import map_unique, map_unique_columns
from gridtool.table.values import parse_code_colour, parse_normal_answer, parse_temperature_band, parse_yes_no

READING_FIELDS = ("temperature", "temperature_2", "temperature_3")


def as_written(value: Any) -> str:
    """The cell as the resident typed it (ends trimmed): what a message quotes, so Ctrl+F finds it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _temperature_cell(text: str) -> tuple[float, float, bool, str]:
    """(low, high, unreadable?, the cell as written) for one temperature cell; a blank is not unreadable."""
    band = parse_temperature_band(text)
    if band is None:
        return math.nan, math.nan, False, as_written(text)
    return band[0], band[1], math.isnan(band[0]), as_written(text)


def temperature_readings(rows: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The day's reading per row: the highest of 上午/下午, 早/晚, 第一次/第二次 counts.

    Returns low, high, text (the cell that decided, or an unreadable one) and unreadable for each row,
    and per field the cells that could not be read, for the data-problems sheet.
    """
    parts = {f: map_unique_columns(raw_column(rows, f), _temperature_cell, ["low", "high", "unreadable", "text"])
             for f in READING_FIELDS if f in rows.columns}
    if not parts:
        parts = {"temperature": map_unique_columns(raw_column(rows, "temperature"), _temperature_cell,
                                                   ["low", "high", "unreadable", "text"])}
    unread = {f: p[p["unreadable"].astype(bool)] for f, p in parts.items()}
    if len(parts) == 1:  # one reading a day: its text stays in Arrow, not a million Python strings
        only = next(iter(parts.values()))
        return pd.DataFrame({
            "low": only["low"].to_numpy(float), "high": only["high"].to_numpy(float), "text": only["text"],
            "any_text": only["text"].ne("").to_numpy(bool), "unreadable": only["unreadable"].to_numpy(bool),
        }, index=rows.index), unread
    low = np.column_stack([p["low"].to_numpy(float) for p in parts.values()])
    high = np.column_stack([p["high"].to_numpy(float) for p in parts.values()])
    texts = np.column_stack([p["text"].to_numpy(object) for p in parts.values()])
    unreadable = np.column_stack([p["unreadable"].to_numpy(bool) for p in parts.values()])
    # rank readings by their low bound; an open band (`37.3℃以下`) ranks below any number
    rank = np.where(np.isnan(low), -np.inf, np.where(np.isneginf(low), high - 1000, low))
    decided = np.where(unreadable.any(axis=1), unreadable.argmax(axis=1), rank.argmax(axis=1))
    picked = texts[np.arange(len(rows)), decided] if len(rows) else np.empty(0, dtype=object)
    frame = pd.DataFrame({
        "low": np.fmax.reduce(low, axis=1), "high": np.fmax.reduce(high, axis=1),
        "text": picked, "any_text": (texts != "").any(axis=1), "unreadable": unreadable.any(axis=1),
    }, index=rows.index)
    return frame, unread


def answers(rows: pd.DataFrame) -> pd.DataFrame:
    """fever_answer (是否发热 answered 是, or 体温是否正常 answered 异常), the health-code colour and the code cell as written."""
    fever = map_unique_columns(raw_column(rows, "fever_answer"), parse_yes_no, ["answer", "detail"])
    normal = map_unique(raw_column(rows, "temperature_ok"), parse_normal_answer)  # 体温是否正常: 异常 is fever
    code = raw_column(rows, "health_code")
    return pd.DataFrame({
        "fever_answer": fever["answer"].eq(True) | normal.eq(False),
        "fever_answered": fever["answer"].notna() | normal.notna(),
        "code": map_unique(code, parse_code_colour), "code_text": map_unique(code, as_written),
    }, index=rows.index)
