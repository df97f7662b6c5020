"""Entering a handout in the follow-up log (merge with no answers, as `register` calls it) is made column by
column; the log it gives is the one the item-by-item merge gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from merge_reference import merged_item_by_item

from gridtool import logformat, manifest
from gridtool.domain.loop.logmerge import Returned, merge


def _log(keys: list[str], rng: np.random.Generator) -> pd.DataFrame:
    frame = pd.DataFrame({f: pd.Series(rng.choice(["", "3栋", "张三", "已联系"], len(keys)), dtype="str")
                          for f in logformat.FIELDS})
    frame["key"] = pd.Series(keys, dtype="str")
    frame["closed"] = rng.random(len(keys)) < 0.3
    return frame


def _sheet(keys: list[str], name: str) -> Returned:
    items = pd.DataFrame({f: [f"{f}{i}" for i in range(len(keys))] for f in manifest.ITEMS})
    items["key"] = keys
    return Returned(Path(""), "followups", "", "2026-11-21", f"2026-11-21T0{name}:00:00", items,
                    pd.DataFrame(columns=["key"]))


@pytest.mark.parametrize("logged", [0, 1, 40])
def test_a_handout_entered_at_once_is_the_item_by_item_merge(logged: int) -> None:
    rng = np.random.default_rng(logged)
    log = _log([f"k{i}" for i in range(logged)], rng)
    # items already in the log, new ones, and one key on both sheets (the first sheet's item is entered)
    sheets = [_sheet(["k0", "n1", "n2", "n1"], "8"), _sheet(["n2", "n3", f"k{max(logged - 1, 0)}"], "9")]
    history = _log(["h1"], rng)
    got = merge(log, history, sheets, "2026-11-21T10:00:00")
    expected = merged_item_by_item(log, history, sheets, "2026-11-21T10:00:00")
    pd.testing.assert_frame_equal(got.log.astype(object), expected.log.astype(object))
    assert (got.added, got.updated, got.conflicts) == (expected.added, expected.updated, expected.conflicts)
    assert got.history is history
    handed = dict.fromkeys([*sheets[0].items["key"], *sheets[1].items["key"]])  # in order, each once
    assert got.log["key"].tolist() == [*log["key"], *(k for k in handed if k not in set(log["key"]))]


def test_say_something_is_says_something_row_by_row() -> None:
    from gridtool.domain.loop.logmerge import say_something, says_something
    from gridtool.table.columnwise import records

    rng = np.random.default_rng(3)
    size = 400
    frame = pd.DataFrame({
        "closed": rng.random(size) < 0.2,
        "answer": pd.Series(rng.choice(["", "已联系", None], size), dtype=object),
        "answered_at": pd.Series(rng.choice(["", "15:30"], size), dtype="str"),
        "note": pd.Series(rng.choice(["", "x", np.nan], size), dtype=object),
    })
    expected = [says_something(row) for row in records(frame)]
    assert say_something(frame).tolist() == expected and any(expected) and not all(expected)
    assert say_something(frame[["answer"]]).tolist() == [says_something(r) for r in records(frame[["answer"]])]


def test_texts_in_is_isin() -> None:
    from gridtool.table.columnwise import texts_in

    rng = np.random.default_rng(4)
    column = pd.Series(rng.choice(["k1", "k2", "键3", "", None], 300), dtype="str", index=range(10, 310))
    among = pd.Series(["k2", "键3", "", "k9"], dtype=object)
    got = texts_in(column, among)
    assert got.tolist() == column.isin(among).tolist() and got.index.equals(column.index)
    assert texts_in(column, among.iloc[:0]).sum() == 0
