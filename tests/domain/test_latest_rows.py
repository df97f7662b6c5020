"""The rows that count for a day, found from positions (latest_rows, _report), are the rows the plain pandas
way finds: observations sorted by day and checked-in (stably), the last of each resident's day kept, the
day's report reindexed over every resident."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.domain.checkins.daystatus import REPORT_COLUMNS, _report, latest_rows

DAYS = [dt.date(2026, 11, 19), dt.date(2026, 11, 20), dt.date(2026, 11, 21)]
ROW = st.tuples(st.integers(0, 4), st.sampled_from(DAYS), st.booleans(), st.sampled_from(["", "36.5", "38.1"]))


def _observations(rows: list[tuple[int, dt.date, bool, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["person", "date", "checked_in", "temp_text"], index=range(7, 7 + len(rows)))
    frame["date"] = frame["date"].astype(object)
    for column in ("temp_unreadable", "symptoms", "fever_answer"):
        frame[column] = frame["person"] % 2 == 0
    for column in ("temp_low", "temp_high", "temperature"):
        frame[column] = frame["person"] + 36.0
    for column in ("code", "worker", "status", "symptom_detail", "code_text", "file", "sheet", "time", "name"):
        frame[column] = [f"{column}{i}" for i in range(len(rows))]
    frame["row"] = range(len(rows))
    return frame


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=20), st.sampled_from(DAYS))
def test_latest_rows_and_report_equal_the_sorted_frame(rows: list[tuple[int, dt.date, bool, str]],
                                                       target: dt.date) -> None:
    obs = _observations(rows)
    ordered = obs.sort_values(["date", "checked_in"], kind="stable")
    expected = ordered.drop_duplicates(["person", "date"], keep="last")
    latest = latest_rows(obs, DAYS, target)
    pd.testing.assert_frame_equal(latest.rows, expected[latest.rows.columns])
    assert latest.day.tolist() == [DAYS.index(d) for d in expected["date"]]
    on_day = ordered[ordered["date"] == target]
    pd.testing.assert_frame_equal(latest.hidden, on_day[~on_day.index.isin(expected.index)])
    residents = 6
    old = expected[expected["date"] == target].set_index("person").reindex(range(residents))
    for column in ("checked_in", "temp_unreadable", "symptoms", "fever_answer"):
        old[column] = old[column].fillna(False).astype(bool)
    new = _report(latest, target, DAYS, residents)
    pd.testing.assert_frame_equal(new, old[REPORT_COLUMNS], check_index_type=False)


def test_the_last_row_of_a_day_is_the_checked_in_one_and_the_other_is_hidden() -> None:
    obs = _observations([(0, DAYS[2], True, "38.1"), (0, DAYS[2], False, ""), (1, DAYS[1], True, "36.5")])
    latest = latest_rows(obs, DAYS, DAYS[2])
    assert latest.rows["temp_text"].tolist() == ["36.5", "38.1"]
    assert latest.hidden["checked_in"].tolist() == [False]
    report = _report(latest, DAYS[2], DAYS, 3)
    assert report["checked_in"].tolist() == [True, False, False]
    assert report["temp_text"].tolist()[0] == "38.1" and np.isnan(report["temperature"].iloc[2])
