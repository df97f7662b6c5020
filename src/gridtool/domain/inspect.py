"""`gridtool check`: what the reader understood of each file, and the values it could not read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gridtool.config import Settings
from gridtool.domain.checkins import observations
from gridtool.domain.findings import Finding
from gridtool.domain.sources import KIND_LABELS, Progress, SourceInfo, load_tables
from gridtool.table.values import MISSING_MARKERS, clean_text


@dataclass
class CheckReport:
    sources: list[SourceInfo]
    unmapped: dict[tuple[str, str], list[str]]
    problems: list[Finding] = field(default_factory=list)
    kind_labels: dict[str, str] = field(default_factory=lambda: dict(KIND_LABELS))


def inspect_files(paths: list[Path], settings: Settings, progress: Progress | None = None,
                  today: dt.date | None = None) -> CheckReport:
    loaded = load_tables(paths, settings, progress)
    today = today or dt.date.today()
    unmapped: dict[tuple[str, str], list[str]] = {}
    problems: list[Finding] = []
    for tables in loaded.tables.values():
        for table in tables:
            used = {c.index for c in table.columns}
            unmapped[(table.path.name, table.sheet)] = [h for i, h in enumerate(table.headers)
                                                        if h and i not in used]
    for table in loaded.tables["people"]:
        frame, found = observations([table], today.year, today)
        problems += found
        if "checked_at" in table.data.columns:
            raw = table.data["checked_at"].map(clean_text)
            odd = frame["time"].isna().to_numpy() & frame["checked_in"].to_numpy() & \
                ~raw.str.lower().isin(MISSING_MARKERS).to_numpy()
            problems += [Finding("unreadable_time", table.path.name, table.sheet, int(row),
                                 table.letters["checked_at"], raw.loc[row],
                                 f"打卡时间「{raw.loc[row]}」不是时间，按“已打卡”处理")
                         for row in raw.index[odd][:200]]
        phones = frame.set_index("row")["phone"].astype(str)
        bad = phones.ne("") & ~phones.str.fullmatch(r"\d{7,12}")
        problems += [Finding("bad_phone", table.path.name, table.sheet, int(row), table.letters.get("phone", ""),
                             phone, f"电话「{phone}」不像电话号码")
                     for row, phone in phones[bad].iloc[:200].items()]
    return CheckReport(loaded.sources, unmapped, problems)
