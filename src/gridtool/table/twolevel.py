"""Two-row headers: a parent cell over sub-labels, as hand-made daily templates draw them.

`体温` (merged, repeated, or written once with blank cells after it) over `上午`/`下午`, or `健康状况`
over one column per symptom. Each column is named by both rows, `体温 上午`, so the usual synonyms find
it; a sub-label that is a known column name on its own (`基本信息` over `姓名`) keeps its own name. The
pair of rows is taken only when it names more than the one row does, so a title above the header or a
data row below it never changes anything.

Several sub-columns under one parent that all stand for the parent's field and hold only ticks and
crosses (是/否, √/×, 有/无) are one question asked as one column per option: they are read as one
column listing the options ticked (`咳嗽、乏力`), `无` when every option was answered no.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridtool.table.columns import ColumnMatch, match_columns
from gridtool.table.columnwise import map_unique
from gridtool.table.values import parse_yes_no

_DIGITS = re.compile(r"\d")
CHECKBOX_SAMPLE = 500  # data rows looked at to decide that sub-columns hold ticks only
NONE_TICKED = "无"


@dataclass(frozen=True)
class HeaderRows:
    """The header's rows (first == last for a one-row header), its column names and their parent cells."""

    first: int
    last: int
    texts: list[str]
    parents: list[int]  # per column, the index of the column whose upper cell is its parent, or -1


def row_texts(cells: pd.DataFrame, row: int) -> list[str]:
    return cell_texts(cells.loc[row].tolist())


def cell_texts(values: list[object]) -> list[str]:
    return ["" if pd.isna(v) else str(v).strip() for v in values]


def header_rows(cells: pd.DataFrame, row: int,
                synonyms: Mapping[str, tuple[str, ...]]) -> tuple[HeaderRows, list[ColumnMatch]]:
    """The found header row alone, or with the row above or below it when the pair names more columns.

    A pair keeps every field the one row named; its upper row is not a lone title and its sub-labels are
    words, not the numbers of a data row (`36.5`, `1-101`, `08:00`).
    """
    texts = row_texts(cells, row)
    single = match_columns(texts, synonyms)
    best, best_matches = HeaderRows(row, row, texts, [-1] * len(texts)), single
    for first in (row - 1, row):
        if first not in cells.index or first + 1 not in cells.index:
            continue
        top, bottom = row_texts(cells, first), row_texts(cells, first + 1)
        names, parents = combine(top, bottom, synonyms)
        if not _looks_like_two_rows(top, bottom, parents):
            continue
        pair = HeaderRows(first, first + 1, names, parents)
        matches = checkbox_groups(cells, pair, match_columns(names, synonyms), synonyms)
        if _coverage(matches) > _coverage(best_matches) and {m.field for m in single} <= {m.field for m in matches}:
            best, best_matches = pair, matches
    return best, best_matches


def _looks_like_two_rows(top: list[str], bottom: list[str], parents: list[int]) -> bool:
    filled = [i for i, text in enumerate(top) if text]
    if not any(p >= 0 for p in parents) or filled == [0]:  # nothing joined, or a title over the header
        return False
    return all(len(_DIGITS.findall(bottom[i])) <= 2 for i, p in enumerate(parents) if p >= 0)


def _coverage(matches: list[ColumnMatch]) -> tuple[int, int]:
    """(columns named, how well): a column per option counts once per column."""
    return sum(len(m.members) or 1 for m in matches), sum(2 if m.exact else 1 for m in matches)


def combine(top: list[str], bottom: list[str], synonyms: Mapping[str, tuple[str, ...]]) -> tuple[list[str], list[int]]:
    """Column names from an upper and a lower header row, and each column's parent (-1 for none).

    A cell filled in both rows with the same text (a vertically merged header) is one name; an upper cell
    over a different lower one is a parent, and so is it for the following columns whose upper cell is
    blank (merged cells give their text to the first cell only).
    """
    names: list[str] = []
    parents: list[int] = []
    parent = -1
    for index, (upper, lower) in enumerate(zip(top, bottom, strict=True)):
        if not lower or lower == upper:
            parent = -1
            names.append(upper)
            parents.append(-1)
            continue
        if upper:
            parent = index
        names.append(lower if parent < 0 else _child_name(top[parent], lower, synonyms))
        parents.append(parent)
    return names, parents


def _child_name(parent: str, label: str, synonyms: Mapping[str, tuple[str, ...]]) -> str:
    own = match_columns([label], synonyms)
    return label if own and own[0].exact else f"{parent} {label}"


def checkbox_groups(cells: pd.DataFrame, rows: HeaderRows, matches: list[ColumnMatch],
                    synonyms: Mapping[str, tuple[str, ...]]) -> list[ColumnMatch]:
    """The matches with each group of tick-only sub-columns taken as one column of its parent's field."""
    top = row_texts(cells, rows.first)
    for parent in sorted({p for p in rows.parents if p >= 0}):
        own = match_columns([top[parent]], synonyms)
        if not own:
            continue
        field = own[0].field
        members = [i for i, p in enumerate(rows.parents) if p == parent and _stands_for(rows.texts[i], field, synonyms)]
        holder = next((m for m in matches if m.field == field), None)
        labels = tuple(rows.texts[i].removeprefix(top[parent]).strip() for i in members)
        if len(set(labels)) < 2 or (holder is not None and holder.index not in members) or _are_answers(labels):
            continue
        if not _ticks_only(cells.loc[rows.last + 1: rows.last + CHECKBOX_SAMPLE, [cells.columns[i] for i in members]]):
            continue
        group = ColumnMatch(field, members[0], f"{top[parent]}（{'、'.join(labels)}）", False, tuple(members), labels)
        matches = sorted([m for m in matches if m.field != field and m.index not in members] + [group],
                         key=lambda m: m.index)
    return matches


def _stands_for(text: str, field: str, synonyms: Mapping[str, tuple[str, ...]]) -> bool:
    found = match_columns([text], synonyms)
    return bool(found) and found[0].field == field


def _are_answers(labels: tuple[str, ...]) -> bool:
    """Sub-labels that read as 是/否 are the first data row, not options."""
    return any(parse_yes_no(label)[1] == "" for label in labels)


def _ticks_only(sample: pd.DataFrame) -> bool:
    texts = pd.unique(sample.to_numpy(dtype=object).ravel())
    answers = [parse_yes_no(str(t)) for t in texts if isinstance(t, str) and t.strip()]
    return bool(answers) and all(detail == "" for _, detail in answers)


def ticked(body: pd.DataFrame, labels: list[str]) -> pd.Series:
    """Per row, the labels of the columns answered yes (`咳嗽、乏力`), `无` when all said no, else blank."""
    answers = [map_unique(body[c], lambda t: parse_yes_no(t)[0]) for c in body.columns]
    yes = np.column_stack([a.eq(True).to_numpy(bool) for a in answers])
    said = np.column_stack([a.notna().to_numpy(bool) for a in answers])
    codes = yes.astype(np.int64) @ (1 << np.arange(len(labels), dtype=np.int64))
    text = {int(c): "、".join(label for j, label in enumerate(labels) if int(c) >> j & 1) for c in np.unique(codes)}
    values = pd.Series(codes, index=body.index).map(text).astype(object)
    values[codes == 0] = None
    values[(codes == 0) & said.any(axis=1)] = NONE_TICKED
    return values
