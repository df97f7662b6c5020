"""The observations up to the day judged, found once per distinct date (up_to_day), are those the row-by-row
way keeps, with the same days, the same day and the same refusal when the day has no check-in."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.domain.checkins.days import describe_days, up_to_day
from gridtool.errors import GridtoolError

DAYS = [dt.date(2026, 11, 19), dt.date(2026, 11, 20), dt.date(2026, 11, 21)]


def _row_by_row(obs: pd.DataFrame, date: dt.date | None) -> tuple[pd.DataFrame, list[dt.date], dt.date]:
    target = date or max(obs["date"])
    covered = sorted(set(obs.loc[obs["checked_in"], "date"]))
    if not covered or target not in covered:
        raise GridtoolError(describe_days(covered))
    obs = obs[obs["date"] <= target]
    return obs, sorted(set(obs["date"]) | {target}), target


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(DAYS), st.booleans()), min_size=1, max_size=20),
       st.sampled_from([None, *DAYS]))
def test_up_to_day_equals_the_row_by_row_way(rows: list[tuple[dt.date, bool]], date: dt.date | None) -> None:
    index = range(5, 5 + len(rows))
    obs = pd.DataFrame({"date": pd.Series([r[0] for r in rows], dtype=object, index=index),
                        "checked_in": [r[1] for r in rows]}, index=index)
    try:
        expected = _row_by_row(obs, date)
    except GridtoolError:
        with pytest.raises(GridtoolError):
            up_to_day(obs, date)
        return
    kept, days, target = up_to_day(obs, date)
    pd.testing.assert_frame_equal(kept.drop(columns="day"), expected[0])
    assert days == expected[1] and target == expected[2]
    assert kept["day"].tolist() == [days.index(d) for d in kept["date"]]


def test_a_day_without_any_check_in_is_refused_with_the_days_there_are() -> None:
    obs = pd.DataFrame({"date": pd.Series(DAYS[:2], dtype=object), "checked_in": [True, False]})
    with pytest.raises(GridtoolError, match="数据中没有 2026年11月20日 的打卡记录。数据包含的日期：11月19日"):
        up_to_day(obs, None)
    kept, days, target = up_to_day(obs, DAYS[0])
    assert kept["day"].tolist() == [0] and days == [DAYS[0]] and target == DAYS[0] and np.all(kept["checked_in"])
