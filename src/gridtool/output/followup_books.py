"""Which follow-up files are written: one to-do workbook per grid worker and the overview."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gridtool.output.overview_book import write_overview
from gridtool.output.todo_sheets import Heading, write_worker_book
from gridtool.output.xlsx import safe_filename, unique_path


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
    protected = {p.resolve() for p in inputs}
    stamp = tables.heading.date.isoformat()
    taken: set[Path] = set()
    written: list[Path] = []

    def target(stem: str) -> Path:
        path = unique_path(out_dir, stem, ".xlsx", taken)
        if path.resolve() in protected:
            path = unique_path(out_dir, stem + "_输出", ".xlsx", taken)
        return path

    for worker, items in tables.handout.groupby("worker", sort=True):
        name = str(worker)
        path = target(f"待跟进_{safe_filename(name)}_{stamp}")
        write_worker_book(path, name, items, tables.heading, answers)
        written.append(path)
    overview = target(f"汇总_{stamp}")
    write_overview(overview, tables)
    written.append(overview)
    return written
