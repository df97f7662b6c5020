"""Each resident's exemption by status, worked out per distinct text (_status_reasons), equals the row-by-row
way: today's status where the row gives one, else the roster's, through exempt_by_status."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.domain.checkins.daystatus import _status_reasons
from gridtool.domain.people.residents import exempt_by_status

STATUSES = [None, "", "外出", "在家", "住院治疗", "居家隔离", "集中隔离中", "已搬走"]
ARROW = pd.StringDtype("pyarrow", na_value=np.nan)


def plain_reasons(today: pd.Series, roster: pd.Series) -> pd.Series:
    status = today.fillna("").astype(str).to_numpy()
    return exempt_by_status(pd.DataFrame({"status": np.where(status != "", status, roster)}))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(STATUSES), st.sampled_from(STATUSES)), min_size=1, max_size=30),
       st.sampled_from([object, ARROW]), st.sampled_from([object, ARROW]))
def test_status_reasons_equal_the_row_by_row_way(rows: list[tuple[str | None, str | None]], today_type: object,
                                                 roster_type: object) -> None:
    today = pd.Series([t for t, _ in rows], dtype=today_type)
    roster = pd.Series([r for _, r in rows], dtype=roster_type)
    pd.testing.assert_series_equal(_status_reasons(today, roster), plain_reasons(today, roster))


def test_today_wins_and_a_blank_today_falls_back_to_the_roster() -> None:
    today = pd.Series(["在家", "", None, "外出"], dtype=object)
    roster = pd.Series(["外出", "住院", None, None], dtype=object)
    assert _status_reasons(today, roster).tolist() == ["", "住院", "", "外出"]
