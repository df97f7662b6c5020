"""Who a resident is: normalised name, address and phone from any table, the roster, the worker
responsible for each building, and the residents exempt from checking in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from gridtool.config import Assignment, Settings
from gridtool.domain.findings import Finding
from gridtool.table.header import Table
from gridtool.table.values import (
    clean_text,
    format_address,
    map_unique,
    name_key,
    normalize_building,
    normalize_phone,
    normalize_room,
    normalize_unit,
    parse_address,
    parse_date,
)

PERSON_COLUMNS = ["name", "name_key", "building", "unit", "room", "addr_key", "phone", "worker",
                  "status", "person_key", "file", "sheet", "row"]
EXEMPT_WORDS = ("外出", "住院", "集中隔离", "隔离", "搬离", "搬走", "迁出", "已搬", "出差", "返乡", "离开",
                "不在本地", "长期不在", "去世", "死亡", "空置", "外地")


def _text(table: Table, field: str) -> pd.Series:
    if field in table.data.columns:
        return map_unique(table.data[field], clean_text).astype(str)
    return pd.Series("", index=table.data.index, dtype=str)


def people_frame(table: Table) -> pd.DataFrame:
    """One row per table row: who it is (normalised), where it came from."""
    data = table.data
    frame = pd.DataFrame(index=data.index)
    frame["name"] = _text(table, "name")
    frame["name_key"] = map_unique(frame["name"], name_key).astype(str)
    building = map_unique(_text(table, "building"), normalize_building).astype(str)
    unit = map_unique(_text(table, "unit"), normalize_unit).astype(str)
    room_text = _text(table, "room")
    room = map_unique(room_text, normalize_room).astype(str)
    combined = _text(table, "address")
    if "building" not in data.columns:
        # a 房号 column holding `1-101` or `3栋2单元502` is a whole address
        combined = combined.where(combined != "", room_text)
    parsed = map_unique(combined, parse_address)
    from_text = pd.DataFrame(parsed.tolist(), index=data.index, columns=["b", "u", "r"])
    frame["building"] = building.where(building != "", from_text["b"])
    frame["unit"] = unit.where(unit != "", from_text["u"])
    keep_room = room.ne("") & ("building" in data.columns)
    frame["room"] = room.where(keep_room | from_text["r"].eq(""), from_text["r"])
    frame["addr_key"] = frame["building"] + "-" + frame["unit"] + "-" + frame["room"]
    frame.loc[frame["addr_key"] == "--", "addr_key"] = ""
    frame["phone"] = map_unique(_text(table, "phone"), normalize_phone).astype(str)
    frame["worker"] = _text(table, "worker")
    frame["status"] = _text(table, "status")
    frame["person_key"] = frame["name_key"] + "|" + frame["addr_key"]
    no_address = frame["addr_key"] == ""
    frame.loc[no_address, "person_key"] = frame["name_key"] + "|tel:" + frame["phone"]
    frame["file"] = table.path.name
    frame["sheet"] = table.sheet
    frame["row"] = data.index.astype(int)
    return frame


def address_text(frame: pd.DataFrame) -> pd.Series:
    """`3栋2单元502室` for each row, for people to read."""
    return pd.Series(
        [format_address(b, u, r) for b, u, r in zip(frame["building"], frame["unit"], frame["room"],
                                                     strict=True)],
        index=frame.index, dtype=str,
    )


def build_roster(tables: Iterable[Table]) -> tuple[pd.DataFrame, list[Finding]]:
    """Roster residents, one per person; a second row for the same person is reported, not kept."""
    frames = [people_frame(t) for t in tables]
    if not frames:
        return pd.DataFrame(columns=PERSON_COLUMNS), []
    roster = pd.concat(frames, ignore_index=True)
    roster = roster[roster["name_key"] != ""]
    dupes = roster[roster.duplicated("person_key", keep="first")]
    problems = [
        Finding("duplicate_resident", r.file, r.sheet, int(r.row), "", r.name,
                f"名册中重复登记：{r.name} {format_address(r.building, r.unit, r.room)}，只保留第一条")
        for r in dupes.itertuples()
    ]
    return roster.drop_duplicates("person_key").reset_index(drop=True), problems


def assignments_from_table(table: Table) -> list[Assignment]:
    """An assignment sheet: 楼栋 (and 单元) -> 网格员."""
    frame = people_frame(table)
    rows = frame[(frame["building"] != "") & (frame["worker"] != "")]
    return [Assignment(b, w, u) for b, u, w in zip(rows["building"], rows["unit"], rows["worker"], strict=True)]


def assign_workers(residents: pd.DataFrame, assignments: Iterable[Assignment]) -> pd.Series:
    """The worker for each resident: their own worker column first, then building+unit, then building."""
    by_unit = {(a.building, a.unit): a.worker for a in assignments if a.unit}
    by_building = {a.building: a.worker for a in assignments if not a.unit}
    worker = residents["worker"].fillna("").astype(str)
    unit_keys = pd.Series(list(zip(residents["building"], residents["unit"], strict=True)),
                          index=residents.index, dtype=object)
    from_unit = unit_keys.map(by_unit).astype(object).fillna("")
    from_building = residents["building"].map(by_building).astype(object).fillna("")
    return worker.where(worker != "", from_unit.where(from_unit != "", from_building))


def exempt_by_status(residents: pd.DataFrame) -> pd.Series:
    """The reason a roster status exempts a resident (外出, 住院, 集中隔离, 搬离 …), else ''."""
    status = residents["status"].fillna("").astype(str)
    hit = status.str.contains("|".join(EXEMPT_WORDS), regex=True)
    return status.where(hit, "")


def exemption_periods(table: Table, default_year: int) -> tuple[pd.DataFrame, list[Finding]]:
    """An exemptions sheet: who, why, from when to when. A blank end means until further notice."""
    frame = people_frame(table)
    problems: list[Finding] = []
    starts, ends = [], []
    for field, out in (("start", starts), ("end", ends)):
        raw = table.data[field] if field in table.data.columns else pd.Series(None, index=table.data.index)
        for row, value in raw.items():
            text = clean_text(value)
            day = parse_date(text, default_year) if text else None
            if text and day is None:
                problems.append(Finding("bad_date", table.path.name, table.sheet, int(str(row)),
                                        table.letters.get(field, ""), text, f"无法识别的日期：{text}"))
            out.append(day or (dt.date.min if field == "start" else dt.date.max))
    frame["reason"] = _text(table, "reason")
    frame["start"] = starts
    frame["end"] = ends
    return frame, problems
