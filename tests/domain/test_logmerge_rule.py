"""Merging returned answers column by column (`logmerge.merge`) settles every item as the item-by-item merge
does: the same log, history, counts and conflicts, on random days with answers coming back once, twice, late,
conflicting, again from the same file, and against answers already in the log (also a log that repeats a key)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from merge_reference import merged_item_by_item

from gridtool import logformat, manifest
from gridtool.domain.loop.followlog import FOUND_COLUMNS
from gridtool.domain.loop.logmerge import Returned, merge

ANSWERS = ["", "已联系，体温正常", "已送医", "无人接听"]
TIMES = ["", "", "09:30", "15:30", "11-22 08:00", "2026/11/22 16:45", "明天"]
FILES = ["待跟进_王芳_2026-11-21.xlsx", "待跟进_李强_2026-11-21.xlsx", "3栋_2026-11-21.xlsx"]
FILE_TIMES = ["", "2026-11-21T18:00:00", "2026-11-22T09:00:00"]


def _log(rng: np.random.Generator, size: int, repeat: bool) -> pd.DataFrame:
    keys = [f"k{i}" for i in range(size)]
    if repeat and size > 2:
        keys[-1] = keys[0]  # a hand-edited log with the same item twice
    frame = pd.DataFrame({f: pd.Series(rng.choice(["", "3", "张三"], size), dtype="str") for f in logformat.FIELDS})
    frame["key"] = pd.Series(keys, dtype="str")
    frame["date"] = pd.Series(rng.choice(["2026-11-21", "2026-11-22"], size), dtype="str")
    frame["answer"] = pd.Series(rng.choice(ANSWERS, size), dtype="str")
    frame["answered_at"] = pd.Series(rng.choice(TIMES, size), dtype="str")
    frame["note"] = pd.Series(rng.choice(["", "", "家属代答"], size), dtype="str")
    frame["file"] = pd.Series(rng.choice(["", *FILES], size), dtype="str")
    frame["file_time"] = pd.Series(rng.choice(FILE_TIMES, size), dtype="str")
    frame["closed"] = rng.random(size) < 0.3
    return frame


def _sheet(rng: np.random.Generator, keys: list[str], order: int) -> Returned:
    items = pd.DataFrame({f: [f"{f}{i}" for i in range(len(keys))] for f in manifest.ITEMS})
    items["key"] = keys
    items["date"] = rng.choice(["2026-11-21", "2026-11-22"], len(keys)).tolist()
    answered = [k for k in keys if rng.random() < 0.7]
    answers = pd.DataFrame({
        "key": answered,
        "answer": rng.choice(ANSWERS, len(answered)).tolist(),
        "closed": (rng.random(len(answered)) < 0.4).tolist(),
        "answered_at": rng.choice(TIMES, len(answered)).tolist(),
        "note": rng.choice(["", "", "不在家"], len(answered)).tolist(),
        "row": list(range(3, 3 + len(answered))),
        "name": "", "room": "",
    }, columns=FOUND_COLUMNS)
    path = Path(FILES[int(rng.integers(len(FILES)))])
    return Returned(path, "followups", "王芳", "2026-11-21", f"2026-11-21T0{order}:00:00", items, answers,
                    str(rng.choice(FILE_TIMES)))


def _day(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, list[Returned]]:
    rng = np.random.default_rng(seed)
    logged = int(rng.integers(0, 40))
    log = _log(rng, logged, repeat=seed % 5 == 0)
    pool = [f"k{i}" for i in range(logged)] + [f"n{i}" for i in range(30)]
    sheets = [_sheet(rng, sorted(set(rng.choice(pool, int(rng.integers(1, 25))).tolist())), order)
              for order in range(1, int(rng.integers(1, 5)) + 1)]
    return log, _log(rng, 3, repeat=False), sheets


@pytest.mark.parametrize("seed", range(60))
def test_the_column_by_column_merge_is_the_item_by_item_merge(seed: int) -> None:
    log, history, sheets = _day(seed)
    got = merge(log, history, sheets, "2026-11-22T10:00:00")
    expected = merged_item_by_item(log, history, sheets, "2026-11-22T10:00:00")
    pd.testing.assert_frame_equal(got.log.astype(object), expected.log.astype(object))
    pd.testing.assert_frame_equal(got.history.astype(object), expected.history.astype(object))
    assert (got.added, got.updated, got.conflicts) == (expected.added, expected.updated, expected.conflicts)


def test_the_random_days_hold_every_case() -> None:
    """The seeds above reach items answered twice (with conflicts), answers replacing answers (history) and
    answers collected again unchanged."""
    results = [merged_item_by_item(*_day(seed)[:2], _day(seed)[2], "2026-11-22T10:00:00") for seed in range(60)]
    assert sum(len(r.conflicts) for r in results) > 20
    assert sum(r.updated for r in results) > 50 and sum(r.added for r in results) > 200
    assert sum(len(r.history) - 3 for r in results) > 20


def test_collecting_the_same_books_again_changes_nothing() -> None:
    log, history, sheets = _day(7)
    first = merge(log, history, sheets, "2026-11-22T10:00:00")
    again = merge(first.log, first.history, sheets, "2026-11-22T11:00:00")
    pd.testing.assert_frame_equal(again.log, first.log)
    assert (again.added, again.updated) == (0, 0) and len(again.history) == len(first.history)


def test_keys_that_are_not_text_and_answers_that_are_not_flags_merge_as_item_by_item() -> None:
    """Keys typed as numbers, `closed` as 1/0, and a log that repeats a key under repeated row labels."""
    log = _log(np.random.default_rng(1), 4, repeat=True).set_axis([0, 0, 1, 1])
    sheets = []
    for order, (day, answer, at) in enumerate([("2026-11-23", "x", "09:30"), ("2026-11-20", "y", "10:00")], 1):
        items = pd.DataFrame({f: ["v", "w"] for f in manifest.ITEMS})
        items["key"], items["date"] = [1, 2], [day, day]
        answers = pd.DataFrame({"key": [1, 2], "answer": [answer, ""], "closed": [1, 0], "answered_at": [at, ""],
                                "note": ["", ""], "row": [3, 4], "name": "", "room": ""}, columns=FOUND_COLUMNS)
        sheets.append(Returned(Path(FILES[order]), "followups", "王芳", "2026-11-21", "", items, answers, ""))
    got = merge(log, log.iloc[:0], sheets, "2026-11-22T10:00:00")
    expected = merged_item_by_item(log, log.iloc[:0], sheets, "2026-11-22T10:00:00")
    pd.testing.assert_frame_equal(got.log.astype(object), expected.log.astype(object))
    assert (got.added, got.updated, got.conflicts) == (expected.added, expected.updated, expected.conflicts)
