"""What gridtool issued, entered in the follow-up log as it is handed out (`followups --log`,
`tasks`, `requests`): a sheet that never comes back still leaves its items open for tomorrow, and a returned
row can be checked against what was issued.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from gridtool import manifest
from gridtool.config import Settings
from gridtool.domain.loop.collect import CollectResult, with_completion
from gridtool.domain.loop.logmerge import Returned, merge, say_something
from gridtool.domain.loop.logread import LogFile, load_log
from gridtool.table.columnwise import texts_in

# what each command hands out, so a second run on the same day replaces its own unanswered items only
ISSUED_KINDS = {"followups": ("followup", "carried"), "tasks": ("request", "notice"), "requests": ("delivery",)}


def issued_items(items: pd.DataFrame, date: dt.date) -> pd.DataFrame:
    """The manifest's item table (gridtool.manifest.ITEMS) for to-do rows handed out on `date`."""
    source = items.rename(columns={"reason_text": "reason"}).assign(date=date.isoformat())
    table = source.reindex(columns=list(manifest.ITEMS))
    return table.astype(object).fillna("").astype(str).reset_index(drop=True)


def register(log_path: Path, handed_out: pd.DataFrame, date: dt.date, command: str, issued_at: dt.datetime,
             settings: Settings, known: LogFile | None = None) -> CollectResult:
    """The log with the items handed out on `date` added (the caller holds the log's lock and writes it);
    `known`: the log as the command read it, taken again if the file has not changed since."""
    items = issued_items(handed_out, date)
    log, history = load_log(log_path, known)
    today = log["date"] == date.isoformat()
    stale = today & ~say_something(log) & log["kind"].isin(ISSUED_KINDS[command]) \
        & ~texts_in(log["key"], items["key"])
    log = log[~stale].reset_index(drop=True)
    sheet = Returned(Path(""), command, "", date.isoformat(), issued_at.isoformat(), items,
                     pd.DataFrame(columns=["key"]))
    stamp = issued_at.isoformat(timespec="seconds")
    merged = merge(log, history, [sheet], stamp)
    result = CollectResult(merged.log, merged.history, merged.added, 0, [], [date.isoformat()], pd.DataFrame(),
                           pd.DataFrame(), pd.DataFrame())
    return with_completion(result, issued_at, settings.overdue_hours)
