"""Residents made from the check-ins alone: a sheet with a row per resident skips the grouping, and gives the
residents grouping gives (each column's last value, a blank worker or status as '', a missing object as None)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.domain.checkins.followups import _residents_from
from gridtool.domain.people.residents import PERSON_COLUMNS

DAYS = [dt.date(2026, 11, 20), dt.date(2026, 11, 21)]


def _grouped(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The grouping way, for every input."""
    ordered = obs.sort_values("date", kind="stable")
    codes, _ = pd.factorize(ordered["person_key"])
    latest = ordered.assign(code=codes).groupby("code", sort=True)
    residents = latest[[c for c in PERSON_COLUMNS if c not in ("worker", "status")]].last()
    non_blank = ordered[["worker", "status"]].replace("", None).assign(code=codes)
    residents[["worker", "status"]] = non_blank.groupby("code", sort=True)[["worker", "status"]].last()
    residents = residents.fillna({"worker": "", "status": ""}).reset_index(drop=True)
    return residents, pd.Series(codes, index=ordered.index).reindex(obs.index).astype("int64")


TEXT = st.sampled_from(["", "张伟", "3", None])
ROW = st.tuples(st.integers(0, 30), st.sampled_from(DAYS), TEXT, TEXT, st.sampled_from([None, dt.date(1950, 3, 8)]),
                st.sampled_from([float("nan"), 72.0]))


def _observations(rows: list[tuple[int, dt.date, str | None, str | None, dt.date | None, float]],
                  text_dtype: str) -> pd.DataFrame:
    frame = pd.DataFrame(index=range(3, 3 + len(rows)))
    for column in PERSON_COLUMNS:
        frame[column] = pd.Series([f"{column}{r[0]}" for r in rows], index=frame.index, dtype=text_dtype)
    frame["person_key"] = pd.Series([f"k{r[0]}" for r in rows], index=frame.index, dtype=object)
    frame["date"] = pd.Series([r[1] for r in rows], index=frame.index, dtype=object)
    frame["worker"] = pd.Series([r[2] for r in rows], index=frame.index, dtype=text_dtype)
    frame["status"] = pd.Series([r[3] if r[3] is not None else "" for r in rows], index=frame.index, dtype=object)
    frame["unit"] = pd.Series([r[3] if r[0] % 3 else np.nan for r in rows], index=frame.index, dtype=object)
    frame["birth"] = pd.Series([r[4] for r in rows], index=frame.index, dtype=object)
    frame["age_given"] = [r[5] for r in rows]
    frame["alone"] = [r[0] % 2 == 0 for r in rows]
    frame["row"] = range(len(rows))
    return frame


@settings(max_examples=150, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=15), st.sampled_from(["object", "str"]), st.booleans())
def test_residents_equal_the_grouped_ones(rows: list[tuple[int, dt.date, str | None, str | None, dt.date | None, float]],
                                          text_dtype: str, one_each: bool) -> None:
    if one_each:  # a single day's sheet: every resident once
        rows = list({r[0]: r for r in rows}.values())
    obs = _observations(rows, text_dtype)
    residents, person = _residents_from(obs)
    expected, expected_person = _grouped(obs)
    pd.testing.assert_frame_equal(residents[expected.columns], expected)
    pd.testing.assert_series_equal(person, expected_person)


def test_a_row_per_resident_keeps_the_rows_in_order() -> None:
    obs = _observations([(2, DAYS[1], "王芳", "外出", None, 72.0), (1, DAYS[1], "", "", None, float("nan"))], "str")
    residents, person = _residents_from(obs)
    assert residents["person_key"].tolist() == ["k2", "k1"] and person.tolist() == [0, 1]
    assert residents["worker"].tolist() == ["王芳", ""] and residents["status"].tolist() == ["外出", ""]
