"""`gridtool check`: what the reader understood of each file, and the values it could not read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gridtool.config import Settings
from gridtool.domain.checkins.observations import observations
from gridtool.domain.findings import Finding, finding, reading_findings
from gridtool.domain.sources import KIND_LABELS, PEOPLE_KINDS, Progress, SourceInfo, load_sources
from gridtool.domain.stock.levels import inventory_items, movement_rows
from gridtool.table.header import Table
from gridtool.table.kinds import SKIPPED_LABEL
from gridtool.table.values import MISSING_MARKERS, clean_text


@dataclass
class CheckReport:
    sources: list[SourceInfo]
    problems: list[Finding] = field(default_factory=list)
    kind_labels: dict[str, str] = field(default_factory=lambda: {**KIND_LABELS, "skipped": SKIPPED_LABEL})

    @property
    def unmapped(self) -> dict[tuple[str, str], list[str]]:
        return {(s.file, s.sheet): s.unmapped for s in self.sources if s.kind != "skipped"}


def inspect_files(paths: list[Path], settings: Settings, progress: Progress | None = None,
                  today: dt.date | None = None) -> CheckReport:
    """Exactly what every command's loader decides for these files, and the values it could not read."""
    today = today or dt.date.today()
    loaded = load_sources(paths, settings, progress)
    report = CheckReport(loaded.sources, reading_findings(loaded.read_notes))
    for kind, table in loaded.in_order:
        report.problems += _problems(table, kind, today)
    return report


def _skipped_rows(table: Table) -> list[Finding]:
    """Rows under the header that were not taken as records: notes, totals, repeated headers."""
    return [finding("skipped_row", table.path.name, table.sheet, row) for row in table.dropped_rows[:50]]


def _problems(table: Table, kind: str, today: dt.date) -> list[Finding]:
    return _skipped_rows(table) + _value_problems(table, kind, today)


def _value_problems(table: Table, kind: str, today: dt.date) -> list[Finding]:
    if kind == "inventory":
        return inventory_items(table)[1]
    if kind == "movements":
        return movement_rows(table, today.year)[1]
    if kind not in PEOPLE_KINDS:
        return []
    frame, problems = observations([table], today.year, today)
    if "checked_at" in table.data.columns:
        raw = table.data["checked_at"].map(clean_text)
        odd = frame["time"].isna().to_numpy() & frame["checked_in"].to_numpy() & \
            ~raw.str.lower().isin(MISSING_MARKERS).to_numpy()
        problems += [finding("unreadable_time", table.path.name, table.sheet, int(row), table.letters["checked_at"],
                             value=raw.loc[row]) for row in raw.index[odd][:200]]
    phones = frame.set_index("row")["phone"].astype(str)
    bad = phones.ne("") & ~phones.str.fullmatch(r"\d{7,12}")
    problems += [finding("bad_phone", table.path.name, table.sheet, int(row), table.letters.get("phone", ""),
                         value=phone) for row, phone in phones[bad].iloc[:200].items()]
    return problems
