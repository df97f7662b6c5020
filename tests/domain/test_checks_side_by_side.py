"""The day's checks done two at a time (columns stripped and searched, who each row is beside what it
reported) give what they give done one after another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import gridtool.table.columnwise as columnwise
from gridtool.config import load_settings
from gridtool.domain.checkins.followups import followups

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.mark.parametrize("roster", [None, EXAMPLES / "居民名册.xlsx"])
def test_checks_side_by_side_are_the_checks_one_by_one(monkeypatch: pytest.MonkeyPatch, roster: Path | None) -> None:
    settings = load_settings(None, env={})
    monkeypatch.setattr(columnwise.os, "cpu_count", lambda: 2)
    results = []
    for threaded_rows in (1 << 40, 1):
        monkeypatch.setattr(columnwise, "THREADED_ROWS", threaded_rows)
        results.append(followups([EXAMPLES / "打卡记录.xlsx"], settings, roster=roster, today=dt.date(2026, 11, 21)))
    one_by_one, side_by_side = results
    assert len(one_by_one.flagged) > 0 and one_by_one.counts == side_by_side.counts
    pd.testing.assert_frame_equal(one_by_one.people, side_by_side.people)
    pd.testing.assert_frame_equal(one_by_one.flagged, side_by_side.flagged)
    assert [p.to_dict() for p in one_by_one.problems] == [p.to_dict() for p in side_by_side.problems]
