"""Two-row headers: a parent cell (merged, repeated or blank on its continuation cells) over sub-labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from exports import write_xlsx
from gridtool.table.columns import SYNONYMS
from gridtool.table.header import Header, build_table, find_header
from gridtool.table.read import RawSheet, read_sheets, text_cells
from gridtool.table.twolevel import ticked


def _sheet(rows: list[list[Any]]) -> RawSheet:
    width = max(len(r) for r in rows)
    frame = pd.DataFrame([[None if v is None else str(v) for v in r] + [None] * (width - len(r)) for r in rows],
                         dtype=object)
    return RawSheet(Path("体温.xlsx"), "Sheet1", text_cells(frame))


def _found(rows: list[list[Any]]) -> Header:
    header = find_header(_sheet(rows), SYNONYMS)
    assert header is not None
    return header


def _fields(header: Header) -> dict[str, str]:
    return {m.field: header.headers[m.index] for m in header.matches}


def test_a_repeated_parent_names_each_reading() -> None:
    header = _found([["姓名", "体温", "体温"], [None, "第一次", "第二次"], ["张伟", "36.5", "37.4"]])
    assert (header.first, header.row) == (1, 2)
    assert _fields(header) == {"name": "姓名", "temperature": "体温 第一次", "temperature_2": "体温 第二次"}


def test_a_merged_parent_read_from_a_workbook_names_both_columns(tmp_path: Path) -> None:
    rows = [["监测表"], ["姓名", "体温（℃）", None, "是否发热"], [None, "早", "晚", None], ["张伟", "36.5", "37.4", "否"]]
    path = write_xlsx(tmp_path / "监测.xlsx", {"S": rows}, {"S": ["A1:D1", "A2:A3", "B2:C2", "D2:D3"]})
    [raw] = read_sheets(path)
    # calamine gives a merged cell's text to its first cell only
    assert raw.cells.loc[2, "B"] == "体温（℃）" and pd.isna(raw.cells.loc[2, "C"])
    header = find_header(raw, SYNONYMS)
    assert header is not None and (header.first, header.row) == (2, 3)
    assert _fields(header) == {"name": "姓名", "temperature": "体温（℃） 早", "temperature_2": "体温（℃） 晚",
                               "fever_answer": "是否发热"}
    table = build_table(raw, header)
    assert table.title == "监测表" and table.data.to_dict("index") == {
        4: {"name": "张伟", "temperature": "36.5", "temperature_2": "37.4", "fever_answer": "否"}}


def test_a_group_row_above_the_found_row_is_joined_and_known_sub_labels_keep_their_name() -> None:
    header = _found([["基本信息", None, "体温", None], ["姓名", "房号", "上午", "下午"], ["张伟", "1-101", "36.5", ""]])
    assert (header.first, header.row) == (1, 2)
    assert _fields(header) == {"name": "姓名", "room": "房号", "temperature": "体温 上午",
                               "temperature_2": "体温 下午"}


def test_a_title_above_or_a_data_row_below_a_one_row_header_is_not_joined() -> None:
    header = _found([["幸福里社区体温登记表"], ["姓名", "房号", "体温", None], ["张伟", "1-101", "36.5", "已复测"]])
    assert (header.first, header.row) == (2, 2)
    assert header.headers == ["姓名", "房号", "体温", ""]


def test_tick_columns_under_one_parent_are_one_symptoms_column() -> None:
    rows = [["姓名", "健康状况", None, None], [None, "发热", "咳嗽", "其他症状"],
            ["张伟", "否", "√", "是"], ["王芳", "否", "否", "否"], ["李娜", None, None, None]]
    raw = _sheet(rows)
    header = find_header(raw, SYNONYMS)
    assert header is not None
    [symptoms] = [m for m in header.matches if m.field == "symptoms"]
    assert (symptoms.members, symptoms.options) == ((1, 2, 3), ("发热", "咳嗽", "其他症状"))
    assert build_table(raw, header).data["symptoms"].tolist() == ["咳嗽、其他症状", "无", None]


def test_sub_columns_holding_more_than_ticks_stay_separate() -> None:
    rows = [["姓名", "体温", None, "健康状况", None], [None, "上午", "下午", "咳嗽", "乏力"], ["张伟", "36.5", "36.6", "轻微", "否"]]
    header = _found(rows)
    assert all(not m.members for m in header.matches)
    assert _fields(header) == {"name": "姓名", "temperature": "体温 上午", "temperature_2": "体温 下午",
                               "symptoms": "健康状况 咳嗽"}  # `健康状况 乏力` is left for check to show


def test_ticked_lists_the_options_answered_yes() -> None:
    body = pd.DataFrame({"a": ["是", "否", None, "有"], "b": ["√", "无", None, "×"]}, index=[5, 6, 7, 8])
    assert ticked(body, ["发热", "咳嗽"]).to_dict() == {5: "发热、咳嗽", 6: "无", 7: None, 8: "发热"}
