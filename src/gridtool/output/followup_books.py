"""Which follow-up files are written: one to-do workbook per grid worker and the overview."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gridtool.output.overview_book import write_overview
from gridtool.output.todo_sheets import Heading, write_worker_book
from gridtool.output.xlsx import OutputNames


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
    notes: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)


def write_followup_files(out_dir: Path, tables: FollowupTables, answers: Sequence[tuple[str, bool]],
                         inputs: Sequence[Path] = ()) -> list[Path]:
    """Every worker's to-do workbook (the unassigned in their own file) and the overview."""
    names = OutputNames(out_dir, inputs)
    stamp = tables.heading.date.isoformat()
    written: list[Path] = []
    for worker, items in tables.handout.groupby("worker", sort=True):
        path = names.path("待跟进", str(worker), stamp)
        write_worker_book(path, str(worker), items, tables.heading, answers)
        written.append(path)
    overview = names.path("汇总", stamp)
    write_overview(overview, tables)
    return [*written, overview]
