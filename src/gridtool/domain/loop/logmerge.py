"""Merging returned answers into the follow-up log, once and by one rule.

The same item can come back on two sheets (the grid worker's and the building leader's, or one sheet
sent twice). Of the answers that say something, the one with the later 跟进时间 wins; without two
comparable times, the later file (by its modification time, then by the order given). An answer
already in the log takes part by the same rule, so collecting the same files again changes nothing;
a sheet edited again since (same file name) replaces its own earlier answer. Differing answers are
listed as conflicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gridtool.logformat import ANSWER_FIELDS, FIELDS
from gridtool.table.columnwise import records, texts_in
from gridtool.table.values import parse_date, parse_timestamp


@dataclass
class Returned:
    """One returned workbook: its manifest and the answers found on its visible sheet."""

    path: Path
    kind: str
    owner: str
    date: str
    issued_at: str
    items: pd.DataFrame
    answers: pd.DataFrame
    file_time: str = ""


@dataclass
class Merged:
    log: pd.DataFrame
    history: pd.DataFrame
    added: int
    updated: int
    conflicts: list[dict[str, str]]


@dataclass(frozen=True)
class Candidate:
    """One answer to one item, with what decides between answers."""

    values: dict[str, object]
    file: str
    file_time: str
    when: dt.datetime | None
    order: int


def answered_moment(text: str, date: str) -> dt.datetime | None:
    """`11-22 15:30`, `15:30`, `2026/11/22 15:30` as a moment; the item's day when the text has none."""
    if not text:
        return None
    day, moment = parse_timestamp(text)
    if moment is None:
        return None
    base = dt.date.fromisoformat(date) if date else dt.date.today()
    day = day or parse_date(text, default_year=base.year) or base
    return dt.datetime.combine(day, moment)


def later(a: Candidate, b: Candidate) -> bool:
    """Is `a` the later answer? Times first when both have one, else the file time, else the order."""
    if a.when is not None and b.when is not None and a.when != b.when:
        return a.when > b.when
    if a.file_time != b.file_time and a.file_time and b.file_time:
        return a.file_time > b.file_time
    return a.order > b.order


SAID = ("answer", "answered_at", "note")  # besides `closed`, what says an item was answered


def says_something(values: dict[str, object]) -> bool:
    return bool(values.get("closed")) or any(str(values.get(f, "")) for f in SAID)


def say_something(frame: pd.DataFrame) -> pd.Series:
    """says_something of every row of `frame`, column by column."""
    said = frame["closed"].astype(bool) if "closed" in frame.columns else pd.Series(False, index=frame.index)
    for name in SAID:
        if name in frame.columns:
            said = said | frame[name].astype(str).ne("")
    return said.astype(bool)


def merge(log: pd.DataFrame, history: pd.DataFrame, returned: list[Returned], stamp: str) -> Merged:
    """Add items not yet in the log and settle every answered item by the one rule."""
    incoming = _candidates(returned)
    if not incoming and list(log.columns) == list(FIELDS) and log["key"].astype(str).is_unique:
        # only items handed out (`register`), to a log of distinct keys: no rule to apply
        added = _new_entries(log, returned, stamp)
        return Merged(pd.concat([log, added], ignore_index=True) if len(added) else log.reset_index(drop=True),
                      history, len(added), 0, [])
    return _merged_by_rule(log, history, returned, incoming, stamp)


def _merged_by_rule(log: pd.DataFrame, history: pd.DataFrame, returned: list[Returned],
                    incoming: dict[str, list[Candidate]], stamp: str) -> Merged:
    """merge, item by item: the new items added, each answered one settled by the one rule."""
    entries = {str(r["key"]): r for r in records(log)}
    updated = 0
    moved: list[dict[str, object]] = []
    conflicts: list[dict[str, str]] = []
    new: set[str] = set()
    for sheet in returned:
        for item in records(sheet.items):
            key = str(item["key"])
            if key not in entries:
                entries[key] = _entry(item, sheet, stamp)
                new.add(key)
    for key, found in incoming.items():
        old = entries[key]
        winner, losers = _decide(old, found)
        conflicts += [_conflict(old, winner, loser) for loser in losers]
        if all(str(old.get(f, "")) == str(winner.values[f]) for f in ANSWER_FIELDS):
            continue
        if says_something(old):
            moved.append(dict(old))
        updated += int(key not in new)
        entries[key] = {**old, **{f: winner.values[f] for f in ANSWER_FIELDS}, "file": winner.file,
                        "file_time": winner.file_time, "collected_at": stamp}
    merged = pd.DataFrame(list(entries.values()), columns=FIELDS)
    history = pd.concat([history, pd.DataFrame(moved, columns=FIELDS)], ignore_index=True) if moved else history
    return Merged(merged, history, len(new), updated, conflicts)


def _candidates(returned: list[Returned]) -> dict[str, list[Candidate]]:
    found: dict[str, list[Candidate]] = {}
    for order, sheet in enumerate(returned, 1):
        dates = dict(zip(sheet.items["key"], sheet.items["date"], strict=True))
        for answer in records(sheet.answers):
            if not says_something(answer):
                continue
            key = str(answer["key"])
            when = answered_moment(str(answer["answered_at"]), str(dates.get(key, sheet.date)))
            found.setdefault(key, []).append(
                Candidate({f: answer[f] for f in ANSWER_FIELDS}, sheet.path.name, sheet.file_time, when, order))
    return found


def _decide(old: dict[str, object], found: list[Candidate]) -> tuple[Candidate, list[Candidate]]:
    """The winning answer, and the losers whose answer differs from it."""
    files = {c.file for c in found}
    pool = list(found)
    if says_something(old) and str(old.get("file", "")) not in files:
        pool.insert(0, Candidate({f: old.get(f, "") for f in ANSWER_FIELDS}, str(old.get("file", "")),
                                 str(old.get("file_time", "")),
                                 answered_moment(str(old.get("answered_at", "")), str(old.get("date", ""))), 0))
    winner = pool[0]
    for candidate in pool[1:]:
        if later(candidate, winner):
            winner = candidate
    verdicts = {(winner.values["answer"], bool(winner.values["closed"])): winner}
    for candidate in pool:  # one conflict per differing answer, however many copies carry it
        verdicts.setdefault((candidate.values["answer"], bool(candidate.values["closed"])), candidate)
    return winner, [c for c in verdicts.values() if c is not winner]


def _conflict(item: dict[str, object], kept: Candidate, other: Candidate) -> dict[str, str]:
    by_time = kept.when is not None and other.when is not None and kept.when != other.when
    return {"key": str(item.get("key", "")), "date": str(item.get("date", "")), "name": str(item.get("name", "")),
            "room": str(item.get("room", "")), "worker": str(item.get("worker", "")),
            "kept": str(kept.values["answer"]), "kept_from": kept.file,
            "other": str(other.values["answer"]), "other_from": other.file,
            "rule": "跟进时间较晚" if by_time else "文件较新"}


def _new_entries(log: pd.DataFrame, returned: list[Returned], stamp: str) -> pd.DataFrame:
    """What merge's loop over the items adds when no answer comes with them, made column by column: each
    item whose key is neither in the log nor on an earlier sheet, as `_entry` makes it."""
    frames = [_entries(sheet.items, sheet, stamp) for sheet in returned if len(sheet.items)]
    if not frames:
        return pd.DataFrame(columns=FIELDS)
    items = pd.concat(frames, ignore_index=True)
    keys = items["key"].astype(str)
    return items[~texts_in(keys, log["key"]) & ~keys.duplicated()].reset_index(drop=True)


def _entries(items: pd.DataFrame, sheet: Returned, stamp: str) -> pd.DataFrame:
    size = len(items)
    fixed = {"answer": "", "closed": False, "answered_at": "", "note": "", "issued_at": sheet.issued_at,
             "file": "", "file_time": "", "collected_at": stamp}
    return pd.DataFrame({f: [fixed[f]] * size if f in fixed else items[f].tolist() if f in items.columns
                         else [""] * size for f in FIELDS})


def _entry(item: dict[str, object], sheet: Returned, stamp: str) -> dict[str, object]:
    entry: dict[str, object] = {f: item.get(f, "") for f in FIELDS}
    entry.update({"answer": "", "closed": False, "answered_at": "", "note": "", "issued_at": sheet.issued_at,
                  "file": "", "file_time": "", "collected_at": stamp})
    return entry
