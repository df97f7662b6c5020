"""Counts per worker and per building, and per building and day: each row's group found once as an integer
code among the sorted distinct keys, the counts summed over the codes with numpy (a groupby of a million
rows by text, and a frame of a million boxed building names, cost a tenth of a second each)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gridtool.table.distinct import arrow_codes

COUNT_COLUMNS = ["residents", "exempt", "checked_in", "missing", "fever", "symptoms", "bad_temperature",
                 "flagged"]


def sorted_groups(keys: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Each row's position among the sorted distinct keys (-1 for a missing key, which a groupby leaves
    out), and those keys as the index a groupby makes of them."""
    encoded = arrow_codes(keys)
    if encoded is None:
        codes, uniques = pd.factorize(keys, sort=True)
    else:  # Arrow text: its hash, then the few distinct texts sorted (code point order, as Arrow sorts them)
        codes, texts = encoded[0], encoded[1].to_pylist()
        order = sorted(range(len(texts)), key=texts.__getitem__)
        rank = np.empty(len(texts) + 1, dtype=np.intp)
        rank[order] = np.arange(len(texts))
        rank[-1] = -1  # a missing key (code -1) stays missing
        codes, uniques = rank[codes], [texts[i] for i in order]
    # the keys' type inferred from the few distinct values, as a groupby infers it (text as text)
    return np.asarray(codes, dtype=np.intp), pd.Index(np.asarray(uniques, dtype=object), name=keys.name)


def group_counts(people: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of `by` (sorted): residents and the COUNT_COLUMNS that are true, and the check-in rate of
    the residents not exempt."""
    codes, keys = sorted_groups(people[by])
    kept = codes >= 0
    codes = codes[kept] if not kept.all() else codes
    sums = {"residents": np.bincount(codes, minlength=len(keys))}
    for column in COUNT_COLUMNS[1:]:
        marked = people[column].to_numpy(bool)
        sums[column] = np.bincount(codes[marked[kept]] if not kept.all() else codes[marked], minlength=len(keys))
    grouped = pd.DataFrame({name: counts.astype(np.int64) for name, counts in sums.items()}, index=keys)
    active = grouped["residents"] - grouped["exempt"]
    grouped["rate"] = (grouped["checked_in"] / active.where(active > 0)).fillna(0.0).round(4)
    return grouped.reset_index()


def building_history(building: pd.Series, checked: np.ndarray, days: list[dt.date],
                     active: np.ndarray) -> pd.DataFrame:
    """Per building and day: residents expected (today's `active` ones), those checked in, and the rate.

    `checked` is a residents x days matrix. A day with no rows at all for a building has checked 0 and
    `reported` False, so it reads as no data."""
    codes, keys = sorted_groups(building)
    kept = active & (codes >= 0)
    codes, checked = codes[kept], checked[kept]
    present = np.flatnonzero(np.bincount(codes, minlength=len(keys)))  # buildings with an active resident
    expected = np.bincount(codes, minlength=len(keys))[present].astype(np.int64)
    done = np.column_stack([np.bincount(codes[checked[:, day]], minlength=len(keys))[present]
                            for day in range(len(days))]).astype(np.int64) if len(days) else \
        np.zeros((len(present), 0), dtype=np.int64)
    reported = done.sum(axis=0) > 0  # a day without any check-in anywhere is a day without data
    long = pd.DataFrame({
        "building": keys.take(np.repeat(present, len(days))),
        "date": [days[day] for day in np.tile(np.arange(len(days)), len(present)).tolist()],
        "expected": np.repeat(expected, len(days)),
        "checked_in": done.ravel(),
    })
    long["rate"] = (long["checked_in"] / long["expected"]).round(4)
    long["reported"] = np.tile(reported, len(present))
    return long
