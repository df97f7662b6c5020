"""Check-in rows as observations: who, which day, checked in or not, temperature, symptoms.

A table becomes observations whatever its shape: a daily sheet listing every resident (the day from
the sheet name, the title or the file name; blank or 未打卡 means not checked in), or a submission log
(the day from a 日期 column or the submission timestamp).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from gridtool.config import Settings
from gridtool.domain.checkins.days import row_dates
from gridtool.domain.checkins.readings import answers, temperature_readings
from gridtool.domain.findings import Finding, finding
from gridtool.domain.people.residents import people_frame, raw_column, stack_tables
from gridtool.table.columnwise import map_unique, map_unique_columns, side_by_side
from gridtool.table.header import Table
from gridtool.table.values import MISSING_MARKERS, clean_text, parse_date, parse_timestamp, parse_yes_no

MISSING, CHECKED, ABSENT = 0, 1, -1


def _stamp_cell(text: str) -> tuple[dt.date | None, dt.time | None, bool]:
    """(day, time of day, is a not-checked-in marker) for one check-in time cell."""
    day, moment = parse_timestamp(text)
    return day, moment, _is_marker(text)


def _is_marker(text: str) -> bool:
    return clean_text(text).lower() in MISSING_MARKERS


def _checked_answer(text: str) -> bool | None:
    """A 是否打卡 / 打卡状态 cell: 已打卡, 是, √ -> True; 未打卡, 否, blank -> False."""
    text = clean_text(text)
    if not text or _is_marker(text) or text.startswith(("未", "否", "没")):
        return False
    answer, _ = parse_yes_no(text)
    return True if text.startswith(("已", "是")) or answer is True else False


def observations(tables: Sequence[Table], year: int, fallback: dt.date) -> tuple[pd.DataFrame, list[Finding]]:
    """One row per row of every table: the person, the day, and what they reported.

    The tables are stacked first so that each distinct text is parsed once for all of them.
    """
    rows = stack_tables(tables)
    # who each row is, beside what it reported: two threads on a district's table (the GIL is let go in Arrow)
    people, reports = side_by_side(lambda part: part(rows, year), [_people, _Reports.of], len(rows))
    frame, (stamps, readings, unreadable, said, dates, symptoms) = people, reports
    frame["time"] = stamps["time"]
    reported = readings["any_text"] | symptoms["answer"].notna() | said["fever_answered"] | (said["code"] != "")
    frame["checked_in"] = _checked_in(rows, tables, stamps, reported)
    frame["date"], disagreements = row_dates(rows, tables, year, fallback, [dates["day"], stamps["day"]])
    frame["temp_text"] = readings["text"]
    frame["temp_low"] = readings["low"].astype(float)
    frame["temp_high"] = readings["high"].astype(float)
    frame["temperature"] = frame["temp_low"].where(frame["temp_low"] == frame["temp_high"])
    frame["temp_unreadable"] = frame["checked_in"] & readings["unreadable"].astype(bool)
    frame["fever_answer"] = said["fever_answer"].astype(bool)
    frame["code"], frame["code_text"] = said["code"], said["code_text"]
    frame["symptoms"] = symptoms["answer"].eq(True)
    frame["symptom_detail"] = symptoms["detail"]
    problems = [finding for field, cells in unreadable.items() for finding in _cell_findings(
        frame.loc[cells.index][frame["checked_in"].loc[cells.index]], tables, field, "bad_temperature", cells["text"])]
    bad_code = frame[frame["checked_in"] & (said["code"] == "?")]
    problems += _cell_findings(bad_code, tables, "health_code", "bad_health_code", said["code_text"])
    bad = frame[(dates["text"] != "") & dates["day"].isna()]
    problems += _cell_findings(bad, tables, "date", "bad_date", dates["text"])
    return frame, disagreements + problems


def _people(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    return people_frame(rows)


class _Reports(NamedTuple):
    """What each row reported, parsed: check-in time, temperature, answers, date, symptoms."""

    stamps: pd.DataFrame
    readings: pd.DataFrame
    unreadable: dict[str, pd.DataFrame]
    said: pd.DataFrame
    dates: pd.DataFrame
    symptoms: pd.DataFrame

    @classmethod
    def of(cls, rows: pd.DataFrame, year: int) -> _Reports:
        stamps = map_unique_columns(raw_column(rows, "checked_at"), _stamp_cell, ["day", "time", "marker"])
        readings, unreadable = temperature_readings(rows)
        dates = map_unique_columns(raw_column(rows, "date"), lambda t: (parse_date(t, year), clean_text(t)),
                                   ["day", "text"])
        symptoms = map_unique_columns(raw_column(rows, "symptoms"), parse_yes_no, ["answer", "detail"])
        return cls(stamps, readings, unreadable, answers(rows), dates, symptoms)


def _checked_in(rows: pd.DataFrame, tables: Sequence[Table], stamps: pd.DataFrame, reported: pd.Series) -> pd.Series:
    """The check-in time is authoritative; then a 是否打卡 column; else anything reported at all."""
    has_time = rows["source"].map({i: "checked_at" in t.data.columns for i, t in enumerate(tables)})
    has_status = rows["source"].map({i: "checked" in t.data.columns for i, t in enumerate(tables)})
    status = map_unique(raw_column(rows, "checked"), _checked_answer).astype(bool)
    not_marked = ~stamps["marker"].astype(bool)
    without_time = status.where(has_status.astype(bool), reported)
    return not_marked.where(has_time.astype(bool), without_time).astype(bool)


def _cell_findings(bad: pd.DataFrame, tables: Sequence[Table], field: str, code: str,
                   values: pd.Series) -> list[Finding]:
    return [
        finding(code, str(item.file), str(item.sheet), int(item.row), tables[int(item.source)].letters.get(field, ""),
                value=values.loc[index])
        for index, item in zip(bad.index, bad.itertuples(), strict=True)
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
    """fever, urgent fever, a band to check and bad_temperature (unreadable, or outside 34-43 ℃) for reports.

    A reading is a band (low, high); a number is a band of one point. Fever when the whole band is at or
    above the fever line, 高热 when it is at or above the urgent line; a band that straddles the fever line
    (`36.5℃以上`) cannot be judged and is listed for a person to check.
    """
    low, high, checked = report["temp_low"], report["temp_high"], report["checked_in"]
    known = low.notna()
    valid = known & _plausible(low, settings) & _plausible(high, settings)
    return pd.DataFrame({
        "fever": checked & ((valid & (low >= settings.fever_threshold)) | _column(report, "fever_answer")),
        "urgent": checked & valid & (low >= settings.urgent_threshold),
        "temp_check": checked & valid & (low < settings.fever_threshold) & (high >= settings.fever_threshold),
        "bad_temperature": checked & ((known & ~valid) | report["temp_unreadable"]),
        "health_code": checked & report.get("code", pd.Series("", index=report.index)).isin(settings.health_codes),
    }, index=report.index)


def _column(report: pd.DataFrame, name: str) -> pd.Series:
    return report[name].fillna(False).astype(bool) if name in report else pd.Series(False, index=report.index)


def _plausible(bound: pd.Series, settings: Settings) -> pd.Series:
    """An open end (`以上`, `以下`) is fine; a written number must lie within 34-43 ℃."""
    return ~np.isfinite(bound) | bound.between(settings.temperature_min, settings.temperature_max)
