from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridtool.table.address import chinese_number, format_address, normalize_building, normalize_room, normalize_unit, parse_address
from gridtool.table.columnwise import map_unique
from gridtool.table.values import name_key, normalize_phone, parse_date, parse_temperature, parse_timestamp, parse_yes_no


@pytest.mark.parametrize("text, expected", [
    ("36.5", 36.5), ("36.5℃", 36.5), ("36.8 ℃", 36.8), ("37.5度", 37.5), ("３７．６", 37.6),
    ("37,2", 37.2), (" 36.6 ", 36.6), ("36.5°C", 36.5), ("体温36.7", 36.7), ("365", 365.0), ("36", 36.0),
])
def test_parse_temperature_reads_the_ways_staff_write_it(text: str, expected: float) -> None:
    assert parse_temperature(text) == expected


@pytest.mark.parametrize("text", ["", "未打卡", "—", "-"])
def test_parse_temperature_blank_is_none(text: str) -> None:
    assert parse_temperature(text) is None


@pytest.mark.parametrize("text", ["正常", "abc", "36.5.1", "三十六度五", "36.5/37.0"])
def test_parse_temperature_unreadable_is_nan(text: str) -> None:
    assert math.isnan(parse_temperature(text))


@given(st.decimals(min_value=30, max_value=45, places=1), st.sampled_from(["", "℃", " ℃", "度", "°C"]),
       st.booleans())
def test_parse_temperature_round_trips_any_formatting(value, unit: str, fullwidth: bool) -> None:
    text = f"{value}{unit}"
    if fullwidth:
        text = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_temperature(text) == pytest.approx(float(value))


@pytest.mark.parametrize("text, expected", [
    ("否", (False, "")), ("无", (False, "")), ("没有", (False, "")), ("正常", (False, "")),
    ("无不适", (False, "")), ("No", (False, "")), ("是", (True, "")), ("有", (True, "")),
    ("咳嗽", (True, "咳嗽")), ("是，咳嗽", (True, "咳嗽")), ("有：发热、乏力", (True, "发热、乏力")),
    ("", (None, "")), ("—", (None, "")), ("发热┋咳嗽", (True, "发热、咳嗽")), ("乏力|咽痛", (True, "乏力、咽痛")),
    ("无以上症状", (False, "")), ("否，身体健康", (False, "")),
])
def test_parse_yes_no(text: str, expected: tuple) -> None:
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize("text, day, time", [
    ("2026-11-21 09:05:00", dt.date(2026, 11, 21), dt.time(9, 5)),
    ("2026/11/21 9:05", dt.date(2026, 11, 21), dt.time(9, 5)),
    ("2026年11月21日 08:30", dt.date(2026, 11, 21), dt.time(8, 30)),
    ("1899-12-31 08:30:00", None, dt.time(8, 30)),
    ("08:30", None, dt.time(8, 30)),
    ("8:30:15", None, dt.time(8, 30, 15)),
    ("０８：３０", None, dt.time(8, 30)),
    ("2026/11/21 下午3:05:00", dt.date(2026, 11, 21), dt.time(15, 5)), ("上午9:10", None, dt.time(9, 10)),
    ("8:30 PM", None, dt.time(20, 30)),
    ("0.5", None, dt.time(12, 0)),
    ("46347.375", dt.date(2026, 11, 21), dt.time(9, 0)),
    ("46347", dt.date(2026, 11, 21), None),
    ("未打卡", None, None),
])
def test_parse_timestamp(text: str, day: dt.date | None, time: dt.time | None) -> None:
    assert parse_timestamp(text) == (day, time)


@pytest.mark.parametrize("text, expected", [
    ("2026-11-21", dt.date(2026, 11, 21)), ("2026/11/21", dt.date(2026, 11, 21)),
    ("2026年11月21日", dt.date(2026, 11, 21)), ("20261121", dt.date(2026, 11, 21)),
    ("11月21日", dt.date(2026, 11, 21)), ("健康打卡11.21", dt.date(2026, 11, 21)),
    ("46347", dt.date(2026, 11, 21)), ("2026-11-21 00:00:00", dt.date(2026, 11, 21)),
    ("Sheet1", None), ("2026-13-40", None),
])
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text, 2026) == expected


@given(st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_parse_date_reads_iso_and_chinese_forms(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day
    assert parse_date(f"{day.month}月{day.day}日", day.year) == day


@pytest.mark.parametrize("text, expected", [
    ("3-2-502", ("3", "2", "502")), ("3栋2单元502室", ("3", "2", "502")), ("3号楼2单元502", ("3", "2", "502")),
    ("3幢二单元502室", ("3", "2", "502")), ("幸福里小区3栋2单元502室", ("3", "2", "502")),
    ("1-101", ("1", "", "101")), ("3#2-502", ("3", "2", "502")), ("3号楼502", ("3", "", "502")),
    ("12-1-0301", ("12", "1", "301")), ("A座3单元1201室", ("A", "3", "1201")), ("３－２－５０２", ("3", "2", "502")),
    ("十二栋1单元101", ("12", "1", "101")), ("", ("", "", "")), ("不详", ("", "", "")),
])
def test_parse_address(text: str, expected: tuple[str, str, str]) -> None:
    assert parse_address(text) == expected


@given(st.integers(1, 40), st.integers(1, 6), st.integers(1, 33), st.integers(1, 4))
def test_every_address_form_gives_the_same_parts(building: int, unit: int, floor: int, door: int) -> None:
    room = f"{floor}{door:02d}"
    forms = [f"{building}-{unit}-{room}", f"{building}栋{unit}单元{room}室", f"{building}号楼{unit}单元{room}",
             f"{building}幢{unit}单元{room}号"]
    assert {parse_address(f) for f in forms} == {(str(building), str(unit), room)}


@given(st.text("0123456789", min_size=1, max_size=7), st.text("0123456789", min_size=1, max_size=3),
       st.text("0123456789", min_size=1, max_size=7), st.sampled_from(["{}-{}-{}", "{}栋{}单元{}室"]))
def test_the_plain_forms_read_as_the_general_parser_reads_them(building: str, unit: str, room: str, form: str) -> None:
    """`3-2-502` and `3栋2单元502室` in ASCII digits skip the general patterns; the parts are the same."""
    from gridtool.table.address import _PLAIN, _parse_address

    text = form.format(building, unit, room)
    assert parse_address(text) == _parse_address(text)
    assert any(plain.fullmatch(text) for plain in _PLAIN) == (form == "{}-{}-{}" or 2 <= len(room) <= 5)


def test_separate_address_columns_normalise_to_the_same_parts() -> None:
    assert normalize_building("3号楼") == normalize_building("3栋") == normalize_building("三幢") == "3"
    assert normalize_unit("2单元") == normalize_unit("二单元") == normalize_unit("2") == "2"
    assert normalize_room("502室") == normalize_room("0502") == normalize_room("502.0") == "502"
    assert format_address("3", "2", "502") == "3栋2单元502室"


def test_chinese_numbers() -> None:
    assert [chinese_number(t) for t in ("三", "十", "十二", "二十一", "A")] == ["3", "10", "12", "21", "A"]


@pytest.mark.parametrize("text, expected", [
    ("13800138000.0", "13800138000"), ("138 0013 8000", "13800138000"), ("+86-138-0013-8000", "13800138000"),
    ("8613800138000", "13800138000"), ("１３８００１３８０００", "13800138000"), ("", ""), ("无", "无"),
])
def test_normalize_phone(text: str, expected: str) -> None:
    assert normalize_phone(text) == expected


def test_name_key_ignores_width_spaces_and_dots() -> None:
    assert name_key(" 张 伟 ") == name_key("张伟") == "张伟"
    assert name_key("买买提·艾力") == "买买提艾力"
    assert name_key("ＬＩ Ｌｅｉ") == "lilei"


def test_map_unique_parses_each_distinct_value_once_and_keeps_missing() -> None:
    seen: list[str] = []

    def parse(text: str) -> str:
        seen.append(text)
        return text.upper()

    series = pd.Series(["a", "b", "a", None, "a"], index=[5, 6, 7, 8, 9])
    result = map_unique(series, parse)
    assert result.tolist() == ["A", "B", "A", "", "A"]
    assert list(result.index) == [5, 6, 7, 8, 9]
    assert sorted(seen) == ["", "a", "b"]


def test_records_are_the_dicts_to_dict_makes() -> None:
    import datetime as dt

    import numpy as np
    import pandas as pd

    from gridtool.table.columnwise import records

    arrow = pd.StringDtype("pyarrow", na_value=np.nan)
    frame = pd.DataFrame({
        "key": pd.array(["a1", None, "c3"], dtype=arrow), "n": [1, 2, 3], "t": [36.5, np.nan, 37.0],
        "closed": [True, False, True], "date": [dt.date(2026, 11, 21), None, "2026-11-20"],
        "at": pd.to_datetime(["2026-11-21 08:00", None, "2026-11-21 09:30"]), 7: ["x", "y", "z"],
    })
    assert repr(records(frame)) == repr(frame.to_dict("records"))  # missing cells (nan, NaT, None) alike
    assert [list(map(type, r.values())) for r in records(frame)] == \
        [list(map(type, r.values())) for r in frame.to_dict("records")]
    assert records(frame.iloc[:0]) == [] and records(pd.DataFrame(index=range(2))) == [{}, {}]
