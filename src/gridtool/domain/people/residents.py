"""Who a resident is: normalised name, address and phone from any table, the roster, the worker
responsible for each building, and the residents exempt from checking in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from gridtool.config import Assignment
from gridtool.domain.findings import Finding, finding
from gridtool.table.address import (
    format_address,
    normalize_unit,
    parse_address,
    plain_addresses,
    split_building,
    split_room,
)
from gridtool.table.columnwise import constant_text, map_unique, map_unique_columns
from gridtool.table.header import Table
from gridtool.table.values import (
    PLAIN_NAME,
    PLAIN_PHONE,
    age_on,
    clean_text,
    name_key,
    normalize_phone,
    parse_age,
    parse_birth,
    parse_date,
    parse_yes_no,
)

PERSON_COLUMNS = ["name", "name_key", "building", "unit", "room", "addr_key", "phone", "worker",
                  "status", "person_key", "birth", "age_given", "alone", "chronic", "leader", "file", "sheet", "row"]
# 集中隔离 only: a resident in 居家隔离 (home quarantine) is at home and still checks in.
EXEMPT_WORDS = ("外出", "住院", "集中隔离", "搬离", "搬走", "迁出", "已搬", "出差", "返乡", "离开",
                "不在本地", "长期不在", "去世", "死亡", "空置", "外地")


def stack_tables(tables: Sequence[Table]) -> pd.DataFrame:
    """The rows of several tables one under another: a column per field (empty where a table lacks
    it) and the row's origin: file, sheet, row number, and `source`, the table's position."""
    parts = []
    for number, table in enumerate(tables):
        part = table.data.reset_index(names="row")
        part["file"] = table.path.name
        part["sheet"] = table.sheet
        part["source"] = number
        part["has_building"] = "building" in table.data.columns
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["row", "file", "sheet"])


def field_text(rows: pd.DataFrame, field: str) -> pd.Series:
    """A field's cleaned text, or empty text where no table had the column."""
    if field in rows.columns:
        return map_unique(rows[field], clean_text)
    return pd.Series("", index=rows.index, dtype=object)


def raw_column(rows: pd.DataFrame, field: str) -> pd.Series:
    return rows[field] if field in rows.columns else pd.Series(None, index=rows.index, dtype=object)


def join_text(parts: list[pd.Series | str], separator: str) -> pd.Series:
    """Text columns joined row by row, in Arrow's C kernels rather than a Python loop; a part given as text
    is that text on every row. The columns share an index, which the result keeps."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # an Arrow-backed column is handed over as it is; only object columns are converted
    arrays = [pa.scalar(part, pa.large_string()) if isinstance(part, str) else
              pa.array(part, type=pa.large_string(), from_pandas=True) for part in parts]
    joined = pc.binary_join_element_wise(*arrays, pa.scalar(separator, pa.large_string()))
    index = next(part.index for part in parts if isinstance(part, pd.Series))
    # kept in Arrow: a million keys made into Python strings cost a quarter of a second each time
    chunked = joined if isinstance(joined, pa.ChunkedArray) else pa.chunked_array([joined])
    return pd.Series(pd.arrays.ArrowStringArray(chunked, dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
                     index=index)


def _alone(text: str) -> bool:
    answer, _ = parse_yes_no(text)
    return answer is True or ("独居" in text and not text.startswith(("否", "不", "非")))


def _chronic(text: str) -> str:
    answer, detail = parse_yes_no(text)
    return (detail or "是") if answer else ""


def profile_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """What matters for notices and visits: birth date (given, or from the ID number), age as given,
    living alone, chronic illness, and the building leader named on the row."""
    birth = _parsed(rows, "birth", parse_birth, object)
    from_id = _parsed(rows, "id_number", parse_birth, object)
    return pd.DataFrame({
        "birth": birth.where(birth.notna(), from_id),
        "age_given": _parsed(rows, "age", parse_age, float),
        "alone": _parsed(rows, "alone", _alone, bool),
        "chronic": _parsed(rows, "chronic", _chronic, object),
        "leader": field_text(rows, "leader"),
    }, index=rows.index)


def _parsed(rows: pd.DataFrame, field: str, parse: Callable[[str], Any], dtype: type) -> pd.Series:
    """A column parsed, as `dtype`; a column the table does not have is what a blank cell gives, made at once."""
    if field not in rows.columns:
        blank = parse("")
        if isinstance(blank, str) and dtype is object and len(rows):  # the text column pandas makes of it
            return pd.Series(constant_text(blank, len(rows)), index=rows.index)
        return pd.Series(np.full(len(rows), blank, dtype=dtype), index=rows.index)
    return map_unique(rows[field], parse).astype(dtype)


def ages_on(people: pd.DataFrame, day: dt.date) -> pd.Series:
    """Each resident's age on `day`: from the birth date when known, else the age as given."""
    from_birth = people["birth"].map(lambda b: age_on(b, day) if isinstance(b, dt.date) else None).astype(float)
    return from_birth.where(from_birth.notna(), people["age_given"])


def _name_parts(text: str) -> tuple[str, str]:
    return clean_text(text), name_key(text)


def people_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Who each row is, normalised: one factorize per column, each distinct text parsed once."""
    frame = map_unique_columns(raw_column(rows, "name"), _name_parts, ["name", "name_key"], PLAIN_NAME)
    frame["building"], frame["unit"], frame["room"] = _address(rows)
    frame["addr_key"] = join_text([frame["building"], frame["unit"], frame["room"]], "-")
    no_address = (frame["addr_key"] == "--").to_numpy(bool)
    if no_address.any():
        frame.loc[no_address, "addr_key"] = ""
    frame["phone"] = map_unique(raw_column(rows, "phone"), normalize_phone, PLAIN_PHONE)
    frame["worker"] = field_text(rows, "worker")
    frame["status"] = field_text(rows, "status")
    profile = profile_frame(rows)
    for column in profile.columns:  # the same rows: no join to align them
        frame[column] = profile[column]
    # who a row is: name and address, or name and phone when no address was given (then "tel:" and the
    # phone is the key's third part; with an address it is "tel:" alone, one text for every row)
    tel = "tel:" + frame["phone"].where(no_address, "") if no_address.any() else "tel:"
    frame["person_key"] = join_text([frame["name_key"], frame["addr_key"], tel], "|")
    for column in ("file", "sheet", "row", "source"):
        frame[column] = rows[column] if column in rows else 0
    return frame


def _address(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each row's building, unit and room, from their own columns and from a whole address."""
    # `楼栋号` = `1栋` with `房号` = `1单元101` is flat 1-1-101: the unit may sit in either field
    building_parts = map_unique_columns(raw_column(rows, "building"), split_building, ["building", "unit"])
    room_parts = map_unique_columns(raw_column(rows, "room"), split_room, ["unit", "room"])
    building, room = building_parts["building"], room_parts["room"]
    unit = map_unique(raw_column(rows, "unit"), normalize_unit)
    for more in (building_parts["unit"], room_parts["unit"]):
        unit = unit.where(unit != "", more)
    has_building = rows["has_building"].astype(bool) if "has_building" in rows else False
    combined = raw_column(rows, "address")
    # a 房号 column holding `1-101` or `3栋2单元502` is the whole address when there is no 楼栋 column
    combined = combined.where(combined.notna() | has_building, raw_column(rows, "room"))
    if len(rows) and combined.isna().all() and parse_address("") == ("", "", ""):
        return building, unit, room  # no address anywhere: the parts as their own columns gave them
    parsed = map_unique_columns(combined, parse_address, ["b", "u", "r"], bulk=plain_addresses)
    keep_room = (room != "") & has_building
    return (building.where(building != "", parsed["b"]), unit.where(unit != "", parsed["u"]),
            room.where(keep_room | (parsed["r"] == ""), parsed["r"]))


def build_roster(tables: Iterable[Table]) -> tuple[pd.DataFrame, list[Finding]]:
    """Roster residents, one per person; a second row for the same person is reported, not kept."""
    tables = list(tables)
    if not tables:
        return pd.DataFrame(columns=PERSON_COLUMNS), []
    roster = people_frame(stack_tables(tables))
    roster = roster[roster["name_key"] != ""]
    repeated = roster.duplicated("person_key", keep="first")  # hashed once, for the findings and the residents
    dupes = roster[repeated]
    problems = [
        finding("duplicate_resident", r.file, r.sheet, int(r.row), value=r.name,
                address=format_address(r.building, r.unit, r.room))
        for r in dupes.itertuples()
    ]
    return roster[~repeated].reset_index(drop=True), problems


def assignments_from_table(table: Table) -> list[Assignment]:
    """An assignment sheet: 楼栋 (and 单元) -> 网格员."""
    frame = people_frame(stack_tables([table]))
    rows = frame[(frame["building"] != "") & ((frame["worker"] != "") | (frame["leader"] != ""))]
    # in an assignment sheet the phone column is the building leader's when a leader column is there
    phones = rows["phone"] if "leader" in table.data.columns else pd.Series("", index=rows.index)
    return [Assignment(b, w, u, leader, phone) for b, u, w, leader, phone in
            zip(rows["building"], rows["unit"], rows["worker"], rows["leader"], phones, strict=True)]


def assign_workers(residents: pd.DataFrame, assignments: Iterable[Assignment]) -> pd.Series:
    """The worker for each resident: their own worker column first, then building+unit, then building."""
    by_unit = {(a.building, a.unit): a.worker for a in assignments if a.unit and a.worker}
    by_building = {a.building: a.worker for a in assignments if not a.unit and a.worker}
    worker = residents["worker"].fillna("").astype(str)
    if not by_unit and not by_building:  # no assignment sheet: a million residents need no lookup
        return worker
    from_unit = _unit_keys(residents).map({_UNIT.join(key): worker for key, worker in by_unit.items()}) \
        .astype(object).fillna("") if by_unit else pd.Series("", index=residents.index)
    from_building = residents["building"].map(by_building).astype(object).fillna("")
    return worker.where(worker != "", from_unit.where(from_unit != "", from_building))


_UNIT = "\x1f"  # between a building and a unit in one key (a control character no cell keeps)
_NO_TEXT = "\x1e"  # a missing building or unit: matches no assignment (pandas fills a NUL as "")


def _unit_keys(residents: pd.DataFrame) -> pd.Series:
    """Each resident's building and unit as one text, joined column by column (200k residents: 0.26 s as
    Python tuples); a missing one matches nothing."""
    parts = [residents[column].fillna(_NO_TEXT).astype(str) for column in ("building", "unit")]
    return parts[0] + _UNIT + parts[1]


def exempt_by_status(residents: pd.DataFrame) -> pd.Series:
    """The reason a roster status exempts a resident (外出, 住院, 集中隔离, 搬离 …), else ''."""
    status = residents["status"].fillna("").astype(str)
    hit = status.str.contains("|".join(EXEMPT_WORDS), regex=True)
    return status.where(hit, "")


def exemption_periods(table: Table, default_year: int) -> tuple[pd.DataFrame, list[Finding]]:
    """An exemptions sheet: who, why, from when to when. A blank end means until further notice."""
    frame = people_frame(stack_tables([table]))
    problems: list[Finding] = []
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    for field, out in (("start", starts), ("end", ends)):
        raw = table.data[field] if field in table.data.columns else pd.Series(None, index=table.data.index)
        for row, value in raw.items():
            text = clean_text(value)
            day = parse_date(text, default_year) if text else None
            if text and day is None:
                problems.append(finding("bad_date", table.path.name, table.sheet, int(str(row)),
                                        table.letters.get(field, ""), value=text))
            out.append(day or (dt.date.min if field == "start" else dt.date.max))
    frame["reason"] = field_text(table.data.reset_index(drop=True), "reason").to_numpy()
    frame["start"] = starts
    frame["end"] = ends
    return frame, problems
