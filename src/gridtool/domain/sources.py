"""Turning input files into recognised tables, and saying what each sheet was taken to be."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gridtool.config import Settings
from gridtool.table.columns import FIELD_LABELS, merge_synonyms
from gridtool.table.header import Table, locate_table
from gridtool.table.read import read_sheets

Progress = Callable[[str], None]

KIND_LABELS = {"people": "居民/打卡表", "exemptions": "免打卡登记", "assignments": "网格分工表",
               "requests": "居民诉求", "skipped": "未识别（已跳过）"}


@dataclass
class SourceInfo:
    file: str
    sheet: str
    kind: str
    rows: int = 0
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "sheet": self.sheet, "kind": self.kind, "rows": self.rows,
                "header_row": self.header_row, "columns": self.columns}


def source_info(table: Table, kind: str, labels: Mapping[str, str] = FIELD_LABELS) -> SourceInfo:
    """What a sheet was taken to be: its kind, header row, rows, and which column became which field."""
    return SourceInfo(table.path.name, table.sheet, kind, len(table.data), table.header_row,
                      {labels.get(c.field, c.field): f"{table.letters[c.field]}「{c.header}」" for c in table.columns},
                      [h for h in table.headers if h], table.fields)


def classify(table: Table) -> str:
    """What a recognised table holds, judged by the fields it has."""
    fields = set(table.fields)
    if "name" in fields and "reason" in fields and fields & {"start", "end"}:
        return "exemptions"
    if "building" in fields and fields & {"worker", "leader"} and "name" not in fields:
        return "assignments"
    if "request" in fields:
        return "requests"
    if "name" in fields:
        return "people"
    return "skipped"


@dataclass
class Loaded:
    tables: dict[str, list[Table]] = field(default_factory=lambda: {k: [] for k in KIND_LABELS})
    sources: list[SourceInfo] = field(default_factory=list)


def load_tables(paths: Iterable[Path], settings: Settings, progress: Progress | None = None,
                synonyms: Mapping[str, tuple[str, ...]] | None = None) -> Loaded:
    """Read every sheet of every file, find its table and sort it by kind."""
    synonyms = synonyms or merge_synonyms(settings.columns)
    loaded = Loaded()
    for path in paths:
        if progress:
            progress(f"读取 {path.name}")
        for raw in read_sheets(path):
            table = locate_table(raw, synonyms)
            if table is None:
                loaded.sources.append(SourceInfo(path.name, raw.name, "skipped"))
                continue
            kind = classify(table)
            loaded.tables[kind].append(table)
            loaded.sources.append(source_info(table, kind))
    return loaded
