"""The closed loop: filled-in to-do sheets read back (发现-响应-解决-反馈).

A returned workbook is known by its hidden manifest, its rows by their key, so a sheet that was
sorted, annotated, stripped of columns or renamed still reads back. What cannot be matched is a
finding with the file and row; nothing is dropped silently. A workbook that is not a returnable to-do
sheet (the overview, another table, a manifest that was tampered with) is reported as the wrong file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from gridtool import manifest
from gridtool.domain.findings import Finding, finding
from gridtool.domain.loop.answers import judge
from gridtool.domain.loop.logmerge import Returned
from gridtool.errors import GridtoolError
from gridtool.logformat import ANSWER_FIELDS
from gridtool.table.address import normalize_room
from gridtool.table.columns import SYNONYMS
from gridtool.table.columnwise import map_unique
from gridtool.table.header import Table, locate_table
from gridtool.table.invisible import unmarked
from gridtool.table.read import RawSheet, read_sheets
from gridtool.table.values import clean_text, name_key

TODO_SYNONYMS: dict[str, tuple[str, ...]] = {
    "key": (manifest.KEY_HEADER, "任务编号"),
    "answer": ("跟进结果", "处理结果", "办理结果", "结果"),
    "answered_at": ("跟进时间", "处理时间", "办理时间", "完成时间"),
    "note": ("备注", "情况说明", "说明"),
    "tick": ("完成(打√)", "完成打√", "打√", "打勾", "完成"),
    "name": SYNONYMS["name"],
    "room": SYNONYMS["room"],
}
FOUND_COLUMNS = ["key", *ANSWER_FIELDS, "row", "name", "room"]


def file_time(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="microseconds")


def read_manifest(raw: RawSheet) -> tuple[dict[str, str], pd.DataFrame]:
    """The metadata and item table of a `_gridtool` sheet; ManifestError when it cannot be trusted."""
    if raw.cells.shape[0] > manifest.MAX_ITEMS + 10:
        raise manifest.ManifestError(f"隐藏的清单有 {raw.cells.shape[0]} 行，超过上限 {manifest.MAX_ITEMS}")
    rows = [[unmarked(text) for text in row] for row in raw.cells.fillna("").astype(str).to_numpy().tolist()]
    meta, items = manifest.parse(rows)
    return meta, pd.DataFrame(items, columns=list(manifest.ITEMS))


def read_returned(path: Path, answers: tuple[tuple[str, bool], ...]) -> tuple[Returned | None, list[Finding]]:
    """A returned to-do workbook, or None (with the reason as findings) when it cannot be collected."""
    try:
        sheets = read_sheets(path, include_hidden=True)
    except GridtoolError as exc:
        return None, [finding("unreadable", path.name, detail=exc.message)]
    meta_sheet = next((s for s in sheets if s.name == manifest.SHEET), None)
    table = _visible_table(sheets)
    if meta_sheet is None:
        return None, [finding("foreign_file", path.name)]
    try:
        meta, items = read_manifest(meta_sheet)
        if table is not None and len(items) > 10 * len(table.data) + 1000:
            raise manifest.ManifestError(f"隐藏的清单列出 {len(items)} 项，表中只有 {len(table.data)} 行")
    except manifest.ManifestError as exc:
        return None, [finding("manifest_broken", path.name, manifest.SHEET, detail=str(exc)),
                      *_visible_answers(table)]
    if meta["kind"] == manifest.OVERVIEW:
        return None, [finding("wrong_file", path.name)]
    if table is None:
        return None, [finding("no_table", path.name)]
    found, problems = _answers_on(table, items, answers)
    return Returned(path, meta["kind"], meta.get("owner", ""), meta["date"], meta.get("issued_at", ""), items,
                    found, file_time(path)), problems


def _visible_table(sheets: list[RawSheet]) -> Table | None:
    for raw in sheets:
        if not raw.visible or raw.name == manifest.SHEET:
            continue
        table = locate_table(raw, TODO_SYNONYMS)
        if table is not None and {"answer", "key", "tick"} & set(table.fields):
            return table
    return None


def _shown_text(value: str) -> str:
    """A name or room as gridtool printed it, read back exactly (a hidden character was printed as a marker)."""
    return unmarked(clean_text(value))


def _texts(data: pd.DataFrame) -> dict[str, pd.Series]:
    return {f: map_unique(data[f], _shown_text if f in ("name", "room") else clean_text) if f in data.columns
            else pd.Series("", index=data.index) for f in ("key", "answer", "answered_at", "note", "tick", "name", "room")}


def _visible_answers(table: Table | None) -> list[Finding]:
    """What was written on a sheet that cannot be collected, so nobody's work is lost unseen."""
    if table is None:
        return []
    text = _texts(table.data)
    found = []
    for row in table.data.index:
        written = " ".join(t for t in (text["answer"][row], text["tick"][row], text["answered_at"][row],
                                       text["note"][row]) if t)
        if written:
            who = " ".join(t for t in (text["name"][row], text["room"][row]) if t)
            found.append(finding("answer_not_collected", table.path.name, table.sheet, int(row), value=written,
                                 who=who))
    return found


def _answers_on(table: Table, items: pd.DataFrame,
                answers: tuple[tuple[str, bool], ...]) -> tuple[pd.DataFrame, list[Finding]]:
    data = table.data
    text = _texts(data)
    problems: list[Finding] = []
    if "key" in data.columns:
        keys = text["key"]
    else:
        keys = _keys_by_name(text, items)
        problems.append(finding("key_column_removed", table.path.name, table.sheet))
    known = set(items["key"])
    rows = []
    # plain lists, not a Series lookup per cell: a district's returned books hold a hundred thousand rows
    cells = zip(data.index.tolist(), keys.tolist(), *(text[f].tolist() for f in
                                                      ("answer", "tick", "answered_at", "note", "name", "room")),
                strict=True)
    for row, key, answer, tick, answered_at, note, name, room in cells:
        content = " ".join(t for t in (name, answer, note) if t)
        if key not in known:
            if content:
                why = "手工添加或无法对应的行" if not key else f"编号「{key}」不在本表清单中"
                problems.append(finding("unmatched_row", table.path.name, table.sheet, int(row), value=content,
                                        why=why))
            continue
        kept, closes, outside = judge(answer, tick, answers)
        if outside:
            problems.append(finding("answer_outside_list", table.path.name, table.sheet, int(row), value=kept))
        rows.append({"key": key, "answer": kept, "closed": closes, "answered_at": answered_at, "note": note,
                     "row": int(row), "name": name, "room": room})
    found = pd.DataFrame(rows, columns=FOUND_COLUMNS)
    return found.drop_duplicates("key", keep="last"), problems


def _keys_by_name(text: dict[str, pd.Series], items: pd.DataFrame) -> pd.Series:
    """Without the key column: the item whose name and room are on the row, when exactly one is."""
    lookup = items.assign(n=items["name"].map(name_key), r=items["room"].map(normalize_room))
    unique = lookup.drop_duplicates(["n", "r"], keep=False).set_index(["n", "r"])["key"]
    pairs = list(zip(text["name"].map(name_key), text["room"].map(normalize_room), strict=True))
    return pd.Series([unique.get(pair, "") for pair in pairs], index=text["name"].index)

