"""Which follow-up files are written: one to-do workbook per grid worker and the overview."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from gridtool.output.overview_book import write_overview
from gridtool.output.second_process import Share, Standby, shared_out, taken
from gridtool.output.staging import OutputRun
from gridtool.output.todo_sheets import BOOK_FIELDS, Heading, write_worker_book
from gridtool.output.warm import FOLLOWUP_BOOKS

if TYPE_CHECKING:
    from gridtool.domain.checkins.followups import FollowupResult
    from gridtool.domain.findings import Finding, MatchNote


@dataclass
class FollowupTables:
    """What the follow-up files are made of: plain tables and counts, decided before they are written."""

    heading: Heading
    flagged: pd.DataFrame
    handout: pd.DataFrame
    by_worker: pd.DataFrame
    by_building: pd.DataFrame
    counts: dict[str, int]
    changes: pd.DataFrame
    carried: pd.DataFrame
    notes: list[MatchNote] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)

    @classmethod
    def of(cls, heading: Heading, result: FollowupResult) -> FollowupTables:
        return cls(heading, result.flagged, result.handout, result.by_worker, result.by_building, result.counts,
                   result.changes, result.carried, result.notes, result.problems)


# Above this many to-do rows the worker books are shared out between this process and a second one, which
# starts on them while this one writes the overview: writing is pure Python, and the machines have two cores.
PARALLEL_ROWS = 5000
WARM = FOLLOWUP_BOOKS  # what the second process imports while this one still reads the check-ins


def write_followup_files(run: OutputRun, tables: FollowupTables, answers: Sequence[tuple[str, bool]],
                         standby: Standby | None = None, enter_log: Callable[[], None] | None = None,
                         beside: Callable[[], None] | None = None) -> list[Path]:
    """Every worker's to-do workbook (the unassigned in their own file) and the overview. A `standby` second
    process, started while the check-ins were read, shares the books when there are many, and does
    `enter_log` (picklable: what was handed out entered in the follow-up log) first; this process does
    `beside` (the command's own work, such as its --json text) after the overview, before taking books."""
    stamp = tables.heading.date.isoformat()
    listed = tables.handout[[field for field in BOOK_FIELDS if field in tables.handout.columns]]
    jobs = [(run.list_path("待跟进", str(worker), stamp), str(worker), items)
            for worker, items in listed.groupby("worker", sort=True)]
    overview = run.path("汇总", stamp)
    if len(tables.handout) > PARALLEL_ROWS and (os.cpu_count() or 1) > 1:
        # the child gets the to-do rows only, not the parent's million-row frames; it dies with this process
        shared_out(write_worker_books, jobs, (tables.heading, answers), standby, WARM,
                   first=(lambda: _both(partial(write_overview, overview, tables), beside), enter_log))
    else:
        write_worker_books(jobs, tables.heading, answers)
        write_overview(overview, tables)
        for job in (enter_log, beside):
            if job is not None:
                job()
    return [*(path for path, _, _ in jobs), overview]


def _both(first: Callable[[], None], then: Callable[[], None] | None) -> None:
    first()
    if then is not None:
        then()


def write_worker_books(jobs: list[tuple[Path, str, pd.DataFrame]], heading: Heading,
                       answers: Sequence[tuple[str, bool]], share: Share | None = None) -> None:
    """The books of `jobs`; with a `share`, only those this process takes before the other one does."""
    for path, worker, items in taken(jobs, share):
        write_worker_book(path, worker, items, heading, answers)
