"""Nothing on a returned sheet is believed blindly: each row must be what gridtool issued.

A row's key, worker, date and the name and room visible on it must agree with the item as issued: the
log's entry when the log knows the key (issued or collected before), else the sheet's own manifest,
whose key must then be the one gridtool derives from the date and the resident. A row that does not
agree is reported and not applied, so a book carrying another worker's keys closes nothing.

A building leader's book and a volunteer's 配送单 say nothing of the resident but what they print: their
keys are opaque (leader_view.sheet_key) and only the log of issued items, with the secret kept beside it,
says which item each stands for (`resolved`). A key the log does not know is not applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from gridtool import manifest
from gridtool.domain.checkins.flagged import item_key
from gridtool.domain.checkins.messages import mask_name
from gridtool.domain.findings import Finding, finding
from gridtool.domain.loop.leader_view import sheet_key
from gridtool.domain.loop.logmerge import Returned
from gridtool.table.address import normalize_room
from gridtool.table.columnwise import records
from gridtool.table.values import name_key


def derived_key(item: dict[str, str]) -> str:
    """The key gridtool gives an item of this kind, date and resident (see domain.checkins.flagged and loop.tasks)."""
    day = dt.date.fromisoformat(item["date"])
    person = item["person_key"]
    if item["kind"] == "request":
        return item_key(day, f"request|{person}|{item['reason']}")
    if item["kind"] == "notice":
        return item_key(day, f"notice|{person}")
    return item_key(day, person)


def mismatch(item: dict[str, str], sheet: Returned, issued: dict[str, str] | None,
             visible: dict[str, object] | None) -> str:
    """Why this row is not what gridtool issued to this sheet's owner, or ''."""
    if item["date"] != sheet.date:
        return f"日期 {item['date']} 与本表日期 {sheet.date} 不符"
    if sheet.kind == "followups" and item["worker"] != sheet.owner:
        return f"属于网格员「{item['worker']}」，不是本表的「{sheet.owner}」"
    if sheet.kind == manifest.LEADER and not sheet.owner.startswith(f"{item['building']}栋"):
        return f"在 {item['building']} 栋，不是本表的「{sheet.owner}」"
    if sheet.kind == manifest.DELIVERY and item["worker"] != sheet.owner:
        return f"是「{item['worker']}」的配送单上的，不是本表的「{sheet.owner}」"
    if issued is None:
        if derived_key(item) != item["key"]:
            return "编号与日期、居民对不上"
    else:
        for field, label in (("worker", "网格员"), ("date", "日期"), ("name", "姓名"), ("room", "房号")):
            if str(issued.get(field, "")) != item[field]:
                return f"{label}与发出时不同（发出时为「{issued.get(field, '')}」）"
    if visible is not None:
        shown_name, shown_room = str(visible.get("name", "")), str(visible.get("room", ""))
        if shown_name and name_key(shown_name) != name_key(item["name"]) and shown_name != mask_name(item["name"]):
            return f"表中姓名「{shown_name}」与编号对应的「{item['name']}」不同"
        if shown_room and normalize_room(shown_room) != normalize_room(item["room"]):
            return f"表中房号「{shown_room}」与编号对应的「{item['room']}」不同"
    return ""


def issued_items(log: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The log's items by key, made once for all the sheets `checked` (a day-two log of 116k items, once per
    returned book, took 0.3 s a book)."""
    return {str(r["key"]): r for r in records(log)}


def checked(sheet: Returned, issued: Mapping[str, dict[str, Any]]) -> tuple[Returned, list[Finding]]:
    """The sheet without the rows that do not agree with what was issued (`issued_items`), and a finding for each."""
    visible = {str(r["key"]): r for r in records(sheet.answers)}
    problems: list[Finding] = []
    bad: set[str] = set()
    for item in records(sheet.items.astype(str)):
        why = mismatch(item, sheet, issued.get(item["key"]), visible.get(item["key"]))
        if why:
            bad.add(item["key"])
            row = visible.get(item["key"], {}).get("row")
            problems.append(finding("not_as_issued", sheet.path.name, "", None if row is None else int(str(row)),
                                    value=item["key"], name=item["name"], why=why))
    if not bad:
        return sheet, problems
    items = sheet.items[~sheet.items["key"].isin(bad)].reset_index(drop=True)
    answers = sheet.answers[~sheet.answers["key"].isin(bad)].reset_index(drop=True)
    return Returned(sheet.path, sheet.kind, sheet.owner, sheet.date, sheet.issued_at, items, answers,
                    sheet.file_time), problems


def leader_keys(log: pd.DataFrame, secret: bytes | None, dates: set[str]) -> dict[str, dict[str, str]]:
    """The log's items of these dates by the key a building leader's sheet or a 配送单 shows for them."""
    if secret is None:
        return {}
    rows = records(log[log["date"].astype(str).isin(dates)].astype(str))
    return {sheet_key(secret, row["key"]): row for row in rows}


def resolved(sheet: Returned, issued: dict[str, dict[str, str]], unknown: str) -> tuple[Returned, list[Finding]]:
    """A building leader's book or a 配送单 with each opaque key replaced by the item the log says it stands
    for, the printed name and room checked against it; a key the log does not know is a finding (`unknown`
    says why), not applied."""
    if sheet.kind not in manifest.PRINTED_ONLY:
        return sheet, []
    rows = {str(r["key"]): r.get("row") for r in records(sheet.answers)}
    problems: list[Finding] = []
    real: dict[str, str] = {}
    for item in records(sheet.items.astype(str)):
        entry = issued.get(item["key"])
        why = _printed_mismatch(item, entry) if entry is not None else unknown
        if why:
            row = rows.get(item["key"])
            problems.append(finding("not_as_issued", sheet.path.name, "", None if row is None else int(str(row)),
                                    value=item["key"], name=item["name"], why=why))
        elif entry is not None:
            real[item["key"]] = entry["key"]
    items = pd.DataFrame([{f: issued[k][f] for f in manifest.ITEMS} for k in real], columns=list(manifest.ITEMS))
    answers = sheet.answers[sheet.answers["key"].isin(real)]
    answers = answers.assign(key=answers["key"].map(real)).reset_index(drop=True)
    return Returned(sheet.path, sheet.kind, sheet.owner, sheet.date, sheet.issued_at, items, answers,
                    sheet.file_time), problems


def _printed_mismatch(item: dict[str, str], entry: dict[str, str]) -> str:
    """Why the manifest's printed row is not the issued item its key stands for, or ''."""
    name, room = item["name"], item["room"]
    if name_key(name) != name_key(entry["name"]) and name != mask_name(entry["name"]):
        return f"清单中的姓名「{name}」与编号对应的事项不同"
    if normalize_room(room) != normalize_room(entry["room"]):
        return f"清单中的房号「{room}」与编号对应的事项不同"
    return ""
