"""The closed loop: filled-in to-do sheets read back into one follow-up log (发现-响应-解决-反馈).

A returned workbook is known by its hidden manifest, its rows by their key, so a sheet that was
sorted, annotated, stripped of columns or renamed still reads back. What cannot be matched is a
finding with the file and row; nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gridtool import manifest
from gridtool.domain.answers import judge
from gridtool.domain.findings import Finding
from gridtool.errors import GridtoolError
from gridtool.table.address import normalize_room
from gridtool.table.columns import SYNONYMS
from gridtool.table.header import Table, locate_table
from gridtool.table.read import EXCEL_SUFFIXES, RawSheet, read_sheets
from gridtool.table.values import clean_text, map_unique, name_key

TODO_SYNONYMS: dict[str, tuple[str, ...]] = {
    "key": (manifest.KEY_HEADER, "任务编号"),
    "answer": ("跟进结果", "处理结果", "办理结果", "结果"),
    "answered_at": ("跟进时间", "处理时间", "办理时间", "完成时间"),
    "note": ("备注", "情况说明", "说明"),
    "tick": ("完成(打√)", "完成打√", "打√", "打勾", "完成"),
    "name": SYNONYMS["name"],
    "room": SYNONYMS["room"],
}
LOG_HEADERS = {
    "key": "编号", "kind": "类型", "date": "日期", "worker": "网格员", "building": "楼栋", "unit": "单元",
    "room": "房号", "name": "姓名", "phone": "电话", "person_key": "居民", "reason": "原因", "answer": "跟进结果",
    "closed": "是否办结", "answered_at": "跟进时间", "note": "备注", "file": "来源文件", "issued_at": "发出时间",
    "collected_at": "收回时间",
}
LOG_FIELDS = list(LOG_HEADERS)
ANSWER_FIELDS = ["answer", "closed", "answered_at", "note"]


@dataclass
class Returned:
    """One returned workbook: its manifest and the answers found on its visible sheet."""

    path: Path
    kind: str
    issued_at: str
    items: pd.DataFrame
    answers: pd.DataFrame


@dataclass
class CollectResult:
    log: pd.DataFrame
    history: pd.DataFrame
    added: int
    updated: int
    files: list[str]
    dates: list[str]
    by_worker: pd.DataFrame
    by_building: pd.DataFrame
    open_items: pd.DataFrame
    problems: list[Finding] = field(default_factory=list)

    @property
    def batch(self) -> pd.DataFrame:
        return self.log[self.log["date"].isin(self.dates)]


def expand_paths(paths: Iterable[Path], skip: Path | None = None) -> list[Path]:
    """Files as given, and every workbook inside a folder given (lock and temporary files left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in EXCEL_SUFFIXES and p.is_file()
                            and not p.name.startswith(("~$", ".~")))
        else:
            found.append(path)
    return [p for p in dict.fromkeys(found) if skip is None or p.resolve() != skip.resolve()]


def read_manifest(raw: RawSheet) -> tuple[dict[str, str], pd.DataFrame]:
    """The metadata and item table of a `_gridtool` sheet."""
    cells = raw.cells.fillna("").astype(str)
    first = cells.iloc[:, 0].tolist()
    top = first.index(manifest.KEY_HEADER)
    meta = {k: v for k, v in zip(first[:top], cells.iloc[:top, 1].tolist(), strict=True) if k}
    items = cells.iloc[top + 1:, : len(manifest.ITEMS)].copy()
    items.columns = list(manifest.ITEMS)[: items.shape[1]]
    return meta, items[items["key"] != ""].reset_index(drop=True)


def read_returned(path: Path, answers: tuple[tuple[str, bool], ...]) -> tuple[Returned | None, list[Finding]]:
    """A returned to-do workbook, or None (with the reason as a finding) when it is not one of ours."""
    try:
        sheets = read_sheets(path, include_hidden=True)
    except GridtoolError as exc:
        return None, [Finding("unreadable", path.name, "", None, "", "", exc.message)]
    meta_sheet = next((s for s in sheets if s.name == manifest.SHEET), None)
    if meta_sheet is None:
        return None, [Finding("foreign_file", path.name, "", None, "", "",
                              "不是 gridtool 生成的待跟进表（没有隐藏的 _gridtool 页），未收录。"
                              "请确认是否发错文件；如是手工表格，请把结果抄回原待跟进表。")]
    meta, items = read_manifest(meta_sheet)
    if meta.get("kind") == "overview":
        empty = pd.DataFrame(columns=["key", *ANSWER_FIELDS, "row"])
        return Returned(path, "overview", meta.get("issued_at", ""), items, empty), []
    table = _visible_table(sheets)
    if table is None:
        return None, [Finding("no_table", path.name, "", None, "", "",
                              "找不到待跟进表的表头（编号、跟进结果），未收录。")]
    found, problems = _answers_on(table, items, answers)
    return Returned(path, meta.get("kind", ""), meta.get("issued_at", ""), items, found), problems


def _visible_table(sheets: list[RawSheet]) -> Table | None:
    for raw in sheets:
        if not raw.visible or raw.name == manifest.SHEET:
            continue
        table = locate_table(raw, TODO_SYNONYMS)
        if table is not None and {"answer", "key", "tick"} & set(table.fields):
            return table
    return None


def _answers_on(table: Table, items: pd.DataFrame,
                answers: tuple[tuple[str, bool], ...]) -> tuple[pd.DataFrame, list[Finding]]:
    data = table.data
    text = {f: map_unique(data[f], clean_text) if f in data.columns else pd.Series("", index=data.index)
            for f in ("key", "answer", "answered_at", "note", "tick", "name", "room")}
    problems: list[Finding] = []
    if "key" in data.columns:
        keys = text["key"]
    else:
        keys = _keys_by_name(text, items)
        problems.append(_finding(table, None, "key_column_removed", "",
                                 "编号列已被删除，已按姓名和房号对应到原表的行；请以后保留编号列。"))
    known = set(items["key"])
    rows = []
    for row in data.index:
        key, answer = keys[row], text["answer"][row]
        content = " ".join(t for t in (text["name"][row], answer, text["note"][row]) if t)
        if key not in known:
            if content:
                why = "手工添加或无法对应的行" if not key else f"编号「{key}」不在本表清单中"
                problems.append(_finding(table, row, "unmatched_row", content,
                                         f"{why}（{content}），未计入；请把结果填在原有的行里。"))
            continue
        kept, closes, outside = judge(answer, text["tick"][row], answers)
        if outside:
            problems.append(_finding(table, row, "answer_outside_list", kept,
                                     f"跟进结果「{kept}」不在下拉列表中，已原样保留，按未办结计。"))
        rows.append({"key": key, "answer": kept, "closed": closes, "answered_at": text["answered_at"][row],
                     "note": text["note"][row], "row": int(row)})
    found = pd.DataFrame(rows, columns=["key", *ANSWER_FIELDS, "row"])
    return found.drop_duplicates("key", keep="last"), problems


def _keys_by_name(text: dict[str, pd.Series], items: pd.DataFrame) -> pd.Series:
    """Without the key column: the item whose name and room are on the row, when exactly one is."""
    lookup = items.assign(n=items["name"].map(name_key), r=items["room"].map(normalize_room))
    unique = lookup.drop_duplicates(["n", "r"], keep=False).set_index(["n", "r"])["key"]
    pairs = list(zip(text["name"].map(name_key), text["room"].map(normalize_room), strict=True))
    return pd.Series([unique.get(pair, "") for pair in pairs], index=text["name"].index)


def _finding(table: Table, row: int | None, kind: str, value: str, message: str) -> Finding:
    return Finding(kind, table.path.name, table.sheet, row, "", value, message)


def merge(log: pd.DataFrame, history: pd.DataFrame, returned: list[Returned],
          now: dt.datetime) -> tuple[pd.DataFrame, pd.DataFrame, int, int]:
    """Add new items and answers; a changed answer replaces the old one, which moves to the history."""
    entries = {str(r["key"]): r for r in log.to_dict("records")}
    moved: list[dict[str, object]] = []
    added = updated = 0
    stamp = now.isoformat(timespec="seconds")
    for sheet in returned:
        answers = {str(r["key"]): r for r in sheet.answers.to_dict("records")}
        for item in sheet.items.to_dict("records"):
            key = str(item["key"])
            incoming = answers.get(key)
            old = entries.get(key)
            if old is None:
                entries[key] = _entry(item, incoming, sheet, stamp)
                added += 1
            elif incoming is not None and _changes(old, incoming):
                moved.append(dict(old))
                entries[key] = {**old, **{f: incoming[f] for f in ANSWER_FIELDS}, "file": sheet.path.name,
                                "collected_at": stamp}
                updated += 1
    merged = pd.DataFrame(list(entries.values()), columns=LOG_FIELDS)
    history = pd.concat([history, pd.DataFrame(moved, columns=LOG_FIELDS)], ignore_index=True)
    return merged, history, added, updated


def _entry(item: dict[str, object], incoming: dict[str, object] | None, sheet: Returned,
           stamp: str) -> dict[str, object]:
    entry: dict[str, object] = {f: item.get(f, "") for f in LOG_FIELDS}
    entry.update({"answer": "", "closed": False, "answered_at": "", "note": "", "issued_at": sheet.issued_at,
                  "file": sheet.path.name if incoming is not None else "", "collected_at": stamp})
    if incoming is not None:
        entry.update({f: incoming[f] for f in ANSWER_FIELDS})
    return entry


def _changes(old: dict[str, object], incoming: dict[str, object]) -> bool:
    """A new answer, time or note; a blank copy returned again does not erase an earlier answer."""
    if not any(incoming[f] for f in ("answer", "answered_at", "note")):
        return False
    return any(str(old.get(f, "")) != str(incoming[f]) for f in ("answer", "answered_at", "note"))
