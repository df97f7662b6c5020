"""Check-in rows as observations: who, which day, checked in or not, temperature, symptoms.

A table becomes observations whatever its shape: a daily sheet listing every resident (the day from
the sheet name, the title or the file name; blank or 未打卡 means not checked in), or a submission log
(the day from a 日期 column or the submission timestamp).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from gridtool.config import Settings
from gridtool.domain.findings import Finding
from gridtool.domain.residents import people_frame
from gridtool.table.header import Table
from gridtool.table.values import (
    MISSING_MARKERS,
    clean_text,
    map_unique,
    parse_date,
    parse_temperature,
    parse_timestamp,
    parse_yes_no,
)

MISSING, CHECKED, ABSENT = 0, 1, -1


def table_date(table: Table, year: int) -> dt.date | None:
    """The day a daily sheet is for: from its sheet name, its title rows, or its file name."""
    for text in (table.sheet, table.title, table.path.stem):
        day = parse_date(text, year) if text else None
        if day is not None:
            return day
    return None


def _column(table: Table, field: str) -> pd.Series:
    if field in table.data.columns:
        return map_unique(table.data[field], clean_text).astype(str)
    return pd.Series("", index=table.data.index, dtype=str)


def observations(table: Table, year: int, fallback: dt.date) -> tuple[pd.DataFrame, list[Finding]]:
    """One row per table row: the person, the day, and what they reported."""
    frame = people_frame(table)
    problems: list[Finding] = []
    stamp_text = _column(table, "checked_at")
    stamps = map_unique(stamp_text, parse_timestamp)
    stamp_day = stamps.map(lambda pair: pair[0])
    frame["time"] = stamps.map(lambda pair: pair[1])
    temperature_text = _column(table, "temperature")
    symptoms = map_unique(_column(table, "symptoms"), parse_yes_no)
    if "checked_at" in table.data.columns:
        frame["checked_in"] = ~stamp_text.str.lower().isin(MISSING_MARKERS)
    else:  # no time column: a reported temperature or symptoms answer is the check-in
        frame["checked_in"] = temperature_text.ne("") | symptoms.map(lambda p: p[0] is not None)
    frame["date"] = _row_dates(table, year, fallback, stamp_day, problems)
    frame["temp_text"] = temperature_text
    frame["temperature"] = map_unique(temperature_text, parse_temperature).astype(float)
    frame["symptoms"] = symptoms.map(lambda pair: pair[0] is True)
    frame["symptom_detail"] = symptoms.map(lambda pair: pair[1])
    unreadable = frame["checked_in"] & frame["temperature"].isna() & temperature_text.ne("") & \
        ~temperature_text.str.lower().isin(MISSING_MARKERS)
    frame["temp_unreadable"] = unreadable
    problems += _cell_findings(table, frame[unreadable], "temperature", "bad_temperature",
                               "体温无法识别：「{}」（应为数字，如 36.5）")
    return frame, problems


def _row_dates(table: Table, year: int, fallback: dt.date, stamp_day: pd.Series,
               problems: list[Finding]) -> pd.Series:
    sheet_day = table_date(table, year)
    if "date" in table.data.columns:
        text = _column(table, "date")
        days = map_unique(text, lambda t: parse_date(t, year))
        bad = days.isna() & text.ne("")
        problems += _cell_findings(table, pd.DataFrame({"row": text.index[bad]}, index=text.index[bad]),
                                   "date", "bad_date", "日期无法识别：「{}」", text)
        return days.where(days.notna(), stamp_day).fillna(sheet_day or fallback)
    if sheet_day is not None:
        return pd.Series(sheet_day, index=table.data.index, dtype=object)
    return stamp_day.where(stamp_day.notna(), fallback)


def _cell_findings(table: Table, rows: pd.DataFrame, field: str, kind: str, template: str,
                   values: pd.Series | None = None) -> list[Finding]:
    source = values if values is not None else _column(table, field)
    letter = table.letters.get(field, "")
    return [
        Finding(kind, table.path.name, table.sheet, int(row), letter, str(source.loc[row]),
                template.format(source.loc[row]))
        for row in rows.index
    ]


def day_states(person_codes: np.ndarray, day_codes: np.ndarray, checked: np.ndarray,
               residents: int, days: int) -> np.ndarray:
    """A residents x days matrix: CHECKED, MISSING (a row said not checked in) or ABSENT (no row)."""
    states = np.full((residents, days), ABSENT, dtype=np.int8)
    explicit = person_codes >= 0
    rows, cols = person_codes[explicit], day_codes[explicit]
    states[rows, cols] = np.maximum(states[rows, cols], MISSING)
    hits = explicit & checked
    states[person_codes[hits], day_codes[hits]] = CHECKED
    return states


def missing_streak(missed: np.ndarray) -> np.ndarray:
    """Consecutive missed days ending at the last column, per resident (a loop over days, not people)."""
    streak = np.zeros(missed.shape[0], dtype=np.int32)
    alive = np.ones(missed.shape[0], dtype=bool)
    for day in range(missed.shape[1] - 1, -1, -1):
        alive &= missed[:, day]
        streak += alive
    return streak


def temperature_flags(report: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """fever, urgent fever and bad_temperature (unreadable, or outside 34-43 ℃) for reports."""
    temperature, checked = report["temperature"], report["checked_in"]
    valid = temperature.between(settings.temperature_min, settings.temperature_max)
    return pd.DataFrame({
        "fever": checked & valid & (temperature >= settings.fever_threshold),
        "urgent": checked & valid & (temperature >= settings.urgent_threshold),
        "bad_temperature": checked & ((temperature.notna() & ~valid) | report["temp_unreadable"]),
    }, index=report.index)


def format_temperature(value: float) -> str:
    return "" if value is None or math.isnan(value) else f"{value:.1f}℃"
