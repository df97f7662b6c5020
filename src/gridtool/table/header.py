"""Finding the table inside a sheet: the header row under titles and notes, and the data rows under it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gridtool.table.columns import ColumnMatch, match_columns
from gridtool.table.columnwise import side_by_side
from gridtool.table.read import RawSheet, sheet_place
from gridtool.table.twolevel import cell_texts, header_rows, row_texts, ticked

HEADER_SCAN_ROWS = 30
NOTE_PREFIXES = ("注", "备注", "说明", "合计", "总计", "小计", "制表", "填表", "审核", "统计", "共计")


@dataclass
class Table:
    """A recognised table: canonical fields as columns, Excel row numbers as the index."""

    path: Path
    sheet: str
    header_row: int
    columns: list[ColumnMatch]
    letters: dict[str, str]
    headers: list[str]
    data: pd.DataFrame
    title: str = ""
    dropped_rows: list[int] = field(default_factory=list)
    header_first: int = 0  # the first header row: header_row - 1 for a two-row header

    @property
    def where(self) -> str:
        return sheet_place(self.path.name, self.sheet)

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.columns]

    def cell(self, field_name: str, row: int) -> str:
        return f"{self.letters.get(field_name, '?')}{row}"


def find_header_row(cells: pd.DataFrame, synonyms: Mapping[str, tuple[str, ...]]) -> int | None:
    """The row (1-based) among the first rows whose cells name the most known fields; at least two."""
    best_row, best_score = None, 0
    head = cells.iloc[:HEADER_SCAN_ROWS]  # taken as rows at once: a row of a frame held as columns is slow
    for row, values in zip(head.index, head.to_numpy(dtype=object).tolist(), strict=True):
        matches = match_columns(cell_texts(values), synonyms)
        score = sum(2 if m.exact else 1 for m in matches)
        if len(matches) >= 2 and score > best_score:
            best_row, best_score = row, score
    return best_row


@dataclass(frozen=True)
class Header:
    """Where a sheet's table starts and which of its columns name known fields.

    `row` is the header's last row (data follow it), `first` its first: they differ for a two-row header,
    whose `headers` name each column by both rows (`体温 上午`).
    """

    row: int
    headers: list[str]
    matches: list[ColumnMatch]
    first: int = 0

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(m.field for m in self.matches)


def find_header(raw: RawSheet, synonyms: Mapping[str, tuple[str, ...]]) -> Header | None:
    """The header of the sheet's table under these synonyms, or None; reads only the first rows."""
    if raw.cells.empty:
        return None
    header_row = find_header_row(raw.cells, synonyms)
    if header_row is None:
        return None
    rows, matches = header_rows(raw.cells, int(header_row), synonyms)
    return Header(rows.last, rows.texts, matches, rows.first)


def locate_table(raw: RawSheet, synonyms: Mapping[str, tuple[str, ...]]) -> Table | None:
    """The sheet's table, or None when no row looks like a header."""
    header = find_header(raw, synonyms)
    return build_table(raw, header) if header is not None else None


def build_table(raw: RawSheet, header: Header) -> Table:
    """The rows under a found header, as canonical fields; notes, totals and repeated headers dropped."""
    cells, header_row, headers, matches = raw.cells, header.row, header.headers, header.matches
    first = header.first or header_row
    letters = {m.field: str(cells.columns[m.index]) for m in matches}
    below = cells.loc[header_row + 1:]
    stripped = side_by_side(_stripped, [below[letters[m.field]] for m in matches], len(below))
    body = pd.DataFrame(dict(zip([m.field for m in matches], stripped, strict=True)), index=below.index)
    for match in (m for m in matches if m.members):
        body[match.field] = ticked(cells.loc[header_row + 1:, [cells.columns[i] for i in match.members]],
                                   list(match.options))
    keep = _data_rows(body, cells.loc[header_row + 1:], headers, matches)
    title = " ".join(
        " ".join(t for t in row_texts(cells, r) if t) for r in cells.index[: first - 1]
    ).strip()
    return Table(
        path=raw.path, sheet=raw.name, header_row=int(header_row), columns=matches, letters=letters,
        headers=headers, data=_kept(body, keep), title=title,
        dropped_rows=[int(r) for r in body.index[~keep & body.notna().any(axis=1)]], header_first=first,
    )


def _stripped(column: pd.Series) -> pd.Series:
    """The column's text without spaces at its ends; a cell left empty by that is missing."""
    return column.str.strip().replace("", None)


def _data_rows(body: pd.DataFrame, full: pd.DataFrame, headers: list[str],
               matches: list[ColumnMatch]) -> pd.Series:
    """Rows that hold a record: not blank, not a trailing note or total, not a repeated header.

    The first field's text is looked at for a note only when it is not the sheet's first column: a note there
    was already found in the first column's stripped text, which starts the same."""
    keep = body.notna().any(axis=1)
    first_column = full.iloc[:, 0]
    first_column = first_column.str.strip() if _is_arrow_text(first_column) else first_column.fillna("").str.strip()
    same = bool(matches) and matches[0].index == 0 and not matches[0].members and len(body.columns) > 0
    lead = [] if same or not len(body.columns) else [body.iloc[:, 0]]
    for text in (first_column, *lead):
        keep &= ~note_rows(text)
    for match in matches:  # a missing cell is unequal to any header text
        keep &= body[match.field].ne(headers[match.index]).fillna(True) | (headers[match.index] == "")
    return keep


def _is_arrow_text(column: pd.Series) -> bool:
    return isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow"


_NOTE_STARTS = sorted({prefix[0] for prefix in NOTE_PREFIXES})


def note_rows(text: pd.Series) -> np.ndarray:
    """Which cells start like a note or a total (注, 合计 …); a missing cell does not. In Arrow text only the
    cells whose first character starts a prefix are looked at one by one."""
    if not _is_arrow_text(text):
        return np.asarray(text.fillna("").str.startswith(NOTE_PREFIXES).to_numpy(), dtype=bool)
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pa.array(text.array)
    first = pc.utf8_slice_codeunits(texts, 0, 1)
    maybe = np.flatnonzero(pc.fill_null(pc.is_in(first, value_set=pa.array(_NOTE_STARTS, first.type)), False)
                           .to_numpy(zero_copy_only=False))
    found = np.zeros(len(text), dtype=bool)
    found[maybe] = [cell.startswith(NOTE_PREFIXES) for cell in texts.take(maybe).to_pylist()]
    return found


def _kept(body: pd.DataFrame, keep: pd.Series) -> pd.DataFrame:
    """The rows kept: a slice (no copy of a million cells) when they are one run, as under a title and above
    a closing note."""
    rows = np.flatnonzero(keep.to_numpy(bool))
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        return body.iloc[rows[0]:rows[-1] + 1]
    return body[keep]
