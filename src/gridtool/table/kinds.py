"""A registry of sheet kinds and the one loader that sorts every sheet into them.

A kind declares its vocabulary (the fields it knows and the column names staff use for them), how it is
recognised from the fields its header names, and its Chinese label. `load` reads every sheet of every
file (and every spreadsheet in a folder) once, finds each sheet's header under each vocabulary once, and
gives the sheet to the first kind, in declaration order, that recognises it. What `load` decided is kept
as a `SourceInfo` per sheet, so `gridtool check` shows exactly what every command sees.

This module knows no kinds: the community's kinds are declared in `gridtool.domain.sources`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gridtool.errors import GridtoolError
from gridtool.table.columns import ColumnMatch, platform_column
from gridtool.table.columnwise import side_by_side
from gridtool.table.header import Header, Table, build_table, find_header
from gridtool.table.invisible import hidden_characters, hidden_rows, shown
from gridtool.table.notes import ReadNote
from gridtool.table.read import (
    TEXT_SUFFIXES,
    RawSheet,
    column_letter,
    file_notes,
    read_sheets,
    sheet_place,
)
from gridtool.table.workbook import EXCEL_SUFFIXES, display_name

Progress = Callable[[str], None]
SKIPPED = "skipped"
SKIPPED_LABEL = "未识别（已跳过）"


@dataclass(frozen=True)
class Vocabulary:
    """Fields and the column names that stand for them; `labels` are the fields' Chinese names."""

    name: str
    synonyms: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, str]

    def extended(self, extra: Mapping[str, Iterable[str]]) -> Vocabulary:
        """This vocabulary plus the names a community added (gridtool.toml [columns]) for its own fields."""
        merged = dict(self.synonyms)
        for name, names in extra.items():
            if name in merged:
                merged[name] = tuple(names) + merged[name]
        return Vocabulary(self.name, merged, self.labels)


@dataclass(frozen=True)
class Kind:
    """A kind of sheet: recognised when `recognise` accepts the set of fields its header names.

    A kind with a `marker_sheet` is a whole workbook recognised by a sheet of that name (often hidden):
    every sheet of such a workbook belongs to it and to no other kind. A kind that `claims_workbook`
    takes the other sheets of a workbook where one sheet is recognised as it (a log's summary pages).
    """

    name: str
    label: str
    vocabulary: Vocabulary
    recognise: Callable[[frozenset[str]], bool]
    marker_sheet: str | None = None
    claims_workbook: bool = False


@dataclass
class SourceInfo:
    """What one sheet was taken to be: its kind, header row, rows, and which column became which field."""

    file: str
    sheet: str
    kind: str
    label: str = SKIPPED_LABEL
    rows: int = 0
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    header_first: int | None = None  # the first header row, when the header takes two rows

    @property
    def where(self) -> str:
        return sheet_place(self.file, self.sheet)

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "sheet": self.sheet, "kind": self.kind, "label": self.label, "rows": self.rows,
                "header_row": self.header_row, "columns": self.columns}


@dataclass
class Loaded:
    """Every table found, by kind name, and what was decided for every sheet (in reading order)."""

    tables: dict[str, list[Table]]
    sources: list[SourceInfo] = field(default_factory=list)
    in_order: list[tuple[str, Table]] = field(default_factory=list)
    read_notes: list[tuple[str, str, ReadNote]] = field(default_factory=list)  # (file, sheet, note)

    def of(self, *kinds: str) -> list[Table]:
        return [table for kind in kinds for table in self.tables.get(kind, [])]


def spreadsheet_files(paths: Iterable[Path]) -> list[Path]:
    """The given files, with every folder replaced by the spreadsheets in it (sorted; Office lock files skipped)."""
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXCEL_SUFFIXES | TEXT_SUFFIXES
                        and not p.name.startswith(("~$", ".")))
        if not inside:
            raise GridtoolError(f"文件夹 {path} 里没有表格文件（.xlsx .xls .csv 等）。", "请检查文件夹是否选对。")
        files += inside
    return files


def load(paths: Iterable[Path], kinds: Sequence[Kind], extra: Mapping[str, Iterable[str]] | None = None,
         progress: Progress | None = None) -> Loaded:
    """Read every sheet of every file once and sort it into the first kind that recognises it."""
    vocabularies = {k.vocabulary.name: k.vocabulary.extended(extra or {}) for k in kinds}
    loaded = Loaded({k.name: [] for k in kinds})
    for path in spreadsheet_files(paths):
        if progress:
            progress(f"读取 {display_name(path)}")
        sheets = read_sheets(path, include_hidden=True)
        loaded.read_notes += [(display_name(path), sheet, note) for sheet, note in file_notes(sheets)]
        _sort_workbook(sheets, kinds, vocabularies, loaded)
    return loaded


def _sort_workbook(sheets: list[RawSheet], kinds: Sequence[Kind], vocabularies: Mapping[str, Vocabulary],
                   loaded: Loaded) -> None:
    names = {raw.name for raw in sheets}
    marked = next((k for k in kinds if k.marker_sheet and k.marker_sheet in names), None)
    if marked is not None:
        loaded.sources += [SourceInfo(raw.path.name, raw.name, marked.name, marked.label) for raw in sheets]
        return
    sorted_sheets = [_sort_sheet(raw, [k for k in kinds if not k.marker_sheet], vocabularies)
                     for raw in sheets if raw.visible]
    claimed = next((kind for kind, _, _ in sorted_sheets if kind is not None and kind.claims_workbook), None)
    for kind, table, info in sorted_sheets:
        if claimed is not None and kind is not claimed:
            info = SourceInfo(info.file, info.sheet, claimed.name, f"{claimed.label}（附表）")
            kind = table = None
        if kind is not None and table is not None:
            loaded.tables[kind.name].append(table)
            loaded.in_order.append((kind.name, table))
            loaded.read_notes += [(info.file, table.sheet, note)
                                  for note in hidden_text_notes(table, vocabularies[kind.vocabulary.name].labels)]
        loaded.sources.append(info)


HIDDEN_NOTES = 50  # per sheet: a sheet full of them gets one more note with the count


def hidden_text_notes(table: Table, labels: Mapping[str, str]) -> list[ReadNote]:
    """A note for every cell whose text holds a character that does not show or that reorders what shows
    (U+202E, U+200B …): the text may be made to read as something, or someone, else."""
    found = side_by_side(hidden_rows, [table.data[name] for name in table.fields], len(table.data))
    cells = [(int(str(row)), name) for name, rows in zip(table.fields, found, strict=True) for row in rows]
    notes = []
    for row, name in sorted(cells)[:HIDDEN_NOTES]:
        text = str(table.data.at[row, name])
        codes = "、".join(f"U+{ord(ch):04X}" for ch in hidden_characters(text))
        notes.append(ReadNote("hidden_characters", f"{labels.get(name, name)}「{shown(text)}」含有看不见的字符（{codes}），"
                              "会让显示的内容与实际不同；gridtool 输出时已标成〔U+…〕，请核对后在原表中删除。",
                              row, table.letters[name], text))
    if len(cells) > HIDDEN_NOTES:
        notes.append(ReadNote("hidden_characters", f"共有 {len(cells)} 个单元格含有看不见的字符，以上只列出前 {HIDDEN_NOTES} 个。"))
    return notes


def _sort_sheet(raw: RawSheet, kinds: Sequence[Kind],
                vocabularies: Mapping[str, Vocabulary]) -> tuple[Kind | None, Table | None, SourceInfo]:
    headers: dict[str, Header | None] = {}
    for kind in kinds:
        vocabulary = vocabularies[kind.vocabulary.name]
        if vocabulary.name not in headers:
            headers[vocabulary.name] = find_header(raw, vocabulary.synonyms)
        header = headers[vocabulary.name]
        if header is not None and kind.recognise(header.fields):
            table = build_table(raw, header)
            return kind, table, source_info(table, kind.name, kind.label, vocabulary.labels)
    seen = [h for h in headers.values() if h is not None]
    best = max(seen, key=lambda h: len(h.matches), default=None)
    return None, None, SourceInfo(
        raw.path.name, raw.name, SKIPPED, header_row=best.row if best else None,
        headers=[h for h in best.headers if h] if best else [], fields=sorted(best.fields) if best else [])


def source_info(table: Table, kind: str, label: str, labels: Mapping[str, str]) -> SourceInfo:
    used = {i for c in table.columns for i in (c.index, *c.members)}
    platform = {i: platform_column(h) for i, h in enumerate(table.headers) if h and i not in used}
    columns = {labels.get(c.field, c.field): f"{_letters(table, c)}「{c.header}」" for c in table.columns}
    for index, what in platform.items():
        if what:
            columns.setdefault(what, f"{column_letter(index)}「{table.headers[index]}」")
    return SourceInfo(
        table.path.name, table.sheet, kind, label, len(table.data), table.header_row, columns,
        [h for h in table.headers if h], table.fields,
        [h for i, h in enumerate(table.headers) if h and i not in used and not platform.get(i)],
        table.header_first if table.header_first != table.header_row else None)


def _letters(table: Table, column: ColumnMatch) -> str:
    """`F`, or `F-H` for one question asked as a column per option."""
    letter = table.letters[column.field]
    return f"{letter}-{column_letter(column.members[-1])}" if column.members else letter
