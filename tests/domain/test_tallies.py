"""The counts summed over integer codes (tallies) equal the plain pandas groupby they replace, on random
residents: per worker and building, and per building and day, dtypes included."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.domain.checkins.tallies import COUNT_COLUMNS, building_history, group_counts

DAYS = [dt.date(2026, 11, 19), dt.date(2026, 11, 20), dt.date(2026, 11, 21)]
BUILDINGS = ["1栋", "10栋", "2栋", "", "幸福里3号楼"]


def plain_group_counts(people: pd.DataFrame, by: str) -> pd.DataFrame:
    grouped = people.assign(residents=True).groupby(by, sort=True)[COUNT_COLUMNS].sum().astype(int)
    active = grouped["residents"] - grouped["exempt"]
    grouped["rate"] = (grouped["checked_in"] / active.where(active > 0)).fillna(0.0).round(4)
    return grouped.reset_index()


def plain_building_history(building: pd.Series, checked: np.ndarray, days: list[dt.date]) -> pd.DataFrame:
    frame = pd.DataFrame(checked, columns=range(len(days))).assign(building=building.to_numpy())
    done = frame.groupby("building", sort=True).sum()
    expected = building.value_counts().reindex(done.index)
    long = done.stack().rename("checked_in").reset_index().rename(columns={"level_1": "day"})
    long["date"] = [days[int(i)] for i in long["day"]]
    long["expected"] = long["building"].map(expected).to_numpy()
    long["rate"] = (long["checked_in"] / long["expected"]).round(4)
    reported = done.sum(axis=0) > 0
    long["reported"] = long["day"].map(reported).to_numpy(bool)
    return long[["building", "date", "expected", "checked_in", "rate", "reported"]]


def _people(data: st.DataObject, size: int, text: str) -> pd.DataFrame:
    marks = {column: data.draw(st.lists(st.booleans(), min_size=size, max_size=size)) for column in COUNT_COLUMNS[1:]}
    people = pd.DataFrame({
        "building": data.draw(st.lists(st.sampled_from(BUILDINGS), min_size=size, max_size=size)),
        "worker": data.draw(st.lists(st.sampled_from(["网格员01", "网格员02", "未分配"]), min_size=size, max_size=size)),
        **marks,
    })
    if text == "arrow":
        people = people.astype({"building": pd.StringDtype("pyarrow", na_value=np.nan),
                                "worker": pd.StringDtype("pyarrow", na_value=np.nan)})
    else:
        people = people.astype({"building": object, "worker": object})
    return people


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(1, 25), st.sampled_from(["arrow", "object"]))
def test_group_counts_equal_the_groupby(data: st.DataObject, size: int, text: str) -> None:
    people = _people(data, size, text)
    for by in ("building", "worker"):
        pd.testing.assert_frame_equal(group_counts(people, by), plain_group_counts(people, by))


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(1, 25), st.sampled_from(["arrow", "object"]), st.integers(1, 3))
def test_building_history_equals_the_groupby(data: st.DataObject, size: int, text: str, days: int) -> None:
    people = _people(data, size, text)
    checked = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=days, max_size=days),
                                          min_size=size, max_size=size)), dtype=bool).reshape(size, days)
    active = np.array(data.draw(st.lists(st.booleans(), min_size=size, max_size=size)), dtype=bool)
    if not active.any():
        active[0] = True
    expected = plain_building_history(people["building"][active], checked[active], DAYS[:days])
    pd.testing.assert_frame_equal(building_history(people["building"], checked, DAYS[:days], active), expected)


def test_a_building_without_active_residents_is_left_out() -> None:
    building = pd.Series(["1栋", "2栋", "1栋"], dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    checked = np.array([[True, False], [True, True], [False, True]])
    history = building_history(building, checked, DAYS[:2], np.array([True, False, True]))
    assert history["building"].tolist() == ["1栋", "1栋"]
    assert history["expected"].tolist() == [2, 2]
    assert history["checked_in"].tolist() == [1, 1]
    assert history["rate"].tolist() == [0.5, 0.5]
    assert history["reported"].tolist() == [True, True]
