"""The follow-up log's merge as it was written first, item by item: the reference that the column-by-column
`logmerge.merge` must agree with (the rule itself, `_decide`, is shared)."""

from __future__ import annotations

import pandas as pd

from gridtool.domain.loop.logmerge import (
    Candidate,
    Merged,
    Returned,
    _conflict,
    _decide,
    answered_moment,
    says_something,
)
from gridtool.logformat import ANSWER_FIELDS, FIELDS
from gridtool.table.columnwise import records


def merged_item_by_item(log: pd.DataFrame, history: pd.DataFrame, returned: list[Returned], stamp: str) -> Merged:
    incoming = candidates(returned)
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


def candidates(returned: list[Returned]) -> dict[str, list[Candidate]]:
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


def _entry(item: dict[str, object], sheet: Returned, stamp: str) -> dict[str, object]:
    entry: dict[str, object] = {f: item.get(f, "") for f in FIELDS}
    entry.update({"answer": "", "closed": False, "answered_at": "", "note": "", "issued_at": sheet.issued_at,
                  "file": "", "file_time": "", "collected_at": stamp})
    return entry
