"""Answers as form platforms write them: temperature options, yes/no fever, several readings, 健康码."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from exports import write_xlsx
from gridtool.config import Settings
from gridtool.domain.checkins.followups import followups

TODAY = dt.date(2022, 11, 21)


def _run(tmp_path: Path, header: list[str], rows: list[list[object]], settings: Settings | None = None):
    path = write_xlsx(tmp_path / "健康打卡.xlsx", {"Sheet1": [header, *rows]})
    return followups([path], settings or Settings(), date=TODAY, today=TODAY)


def _reasons(result) -> dict[str, str]:
    return dict(zip(result.flagged["name"], result.flagged["reason_text"], strict=True))


def test_temperature_options_give_fever_high_fever_and_bands_to_check(tmp_path: Path) -> None:
    header = ["序号", "提交答卷时间", "1、您的姓名 ", "2、房号", "3、今日体温"]
    options = {"甲一": "37.2℃及以下", "乙二": "37.3℃-38.4℃（请及时就医并在3天内进行3次核酸检测）",
               "丙三": "38.5℃及以上（请及时就医并在3天内进行3次核酸检测）", "丁四": "36.5℃以上",
               "戊五": "36.5-37.2℃", "己六": "37.3℃以下", "庚七": "３８℃及以上"}
    rows = [[n, f"2022/11/21 8:0{n}:00", name, f"1-10{n}", option]
            for n, (name, option) in enumerate(options.items(), 1)]
    result = _run(tmp_path, header, rows)
    assert _reasons(result) == {
        "丙三": "体温38.5℃及以上（请及时就医并在3天内进行3次核酸检测）（高热）",
        "庚七": "体温３８℃及以上（高热）",
        "乙二": "体温37.3℃-38.4℃（请及时就医并在3天内进行3次核酸检测）",
        "丁四": "体温「36.5℃以上」跨过发热线，请核实",
    }
    assert result.flagged["reasons"].tolist() == [["fever"], ["fever"], ["fever"], ["temp_check"]]
    assert (result.counts["fever"], result.counts["urgent"], result.counts["temp_check"]) == (3, 2, 1)
    assert result.counts["bad_temperature"] == 0 and result.problems == []


def test_fever_asked_as_yes_no_is_fever_with_unknown_temperature(tmp_path: Path) -> None:
    header = ["提交时间", "姓名", "房号", "本日您是否有发烧症状（体温37.3℃以上）", "是否有咳嗽、乏力等症状"]
    rows = [["2022/11/21 08:00", "甲一", "1-101", "是", "否"], ["2022/11/21 08:05", "乙二", "1-102", "否", "否"],
            ["2022/11/21 08:10", "丙三", "1-103", "否", "咳嗽"]]
    result = _run(tmp_path, header, rows)
    assert _reasons(result) == {"甲一": "自报发热（未填体温）", "丙三": "有症状：咳嗽"}
    assert result.flagged["reasons"].tolist() == [["fever"], ["symptoms"]]


def test_several_readings_a_day_the_highest_counts_and_any_reading_is_a_check_in(tmp_path: Path) -> None:
    header = ["姓名", "房号", "上午体温", "下午体温"]
    rows = [["甲一", "1-101", "36.5", "37.9"], ["乙二", "1-102", "", "36.6"], ["丙三", "1-103", "38.6", "36.8"],
            ["丁四", "1-104", "", ""], ["戊五", "1-105", "36.4", ""]]
    result = _run(tmp_path, header, rows)
    assert _reasons(result) == {"丙三": "体温38.6℃（高热）", "甲一": "体温37.9℃", "丁四": "未打卡"}
    assert result.counts["checked_in"] == 4


def test_readings_named_in_brackets_morning_and_evening(tmp_path: Path) -> None:
    header = ["姓名", "房号", "体温（早）", "体温（晚）"]
    result = _run(tmp_path, header, [["甲一", "1-101", "36.5℃", "37.5℃"], ["乙二", "1-102", "36.5℃", "-"]])
    assert _reasons(result) == {"甲一": "体温37.5℃"}


def test_health_code_colours_are_follow_up_reasons_of_their_own(tmp_path: Path) -> None:
    header = ["姓名", "房号", "体温", "您的健康码颜色"]
    rows = [["甲一", "1-101", "36.5", "绿码"], ["乙二", "1-102", "36.5", "黄码"], ["丙三", "1-103", "36.5", "红色"],
            ["丁四", "1-104", "36.5", "灰码（请在到威海后第1、第2、第4天各完成1次核酸检测）"], ["戊五", "1-105", "36.5", "绿色"]]
    result = _run(tmp_path, header, rows)
    assert _reasons(result) == {"乙二": "健康码：黄码", "丙三": "健康码：红色",
                                "丁四": "健康码：灰码（请在到威海后第1、第2、第4天各完成1次核酸检测）"}
    assert result.flagged["reasons"].tolist() == [["health_code"]] * 3
    assert result.counts["health_code"] == 3
    only_red = _run(tmp_path, header, rows, Settings(health_codes=("红码",)))
    assert _reasons(only_red) == {"丙三": "健康码：红色"}


def test_a_later_submission_hiding_an_earlier_fever_is_said(tmp_path: Path) -> None:
    header = ["提交答卷时间", "姓名", "房号", "体温"]
    rows = [["2022/11/21 07:50", "甲一", "1-101", "38.2"], ["2022/11/21 09:10", "甲一", "1-101", "36.5"],
            ["2022/11/21 08:00", "乙二", "1-102", "36.5"]]
    result = _run(tmp_path, header, rows)
    assert result.flagged.empty
    assert [(n.kind, n.name, n.row, n.message) for n in result.notes] == [
        ("superseded", "甲一", 2, "同一天较早的提交（07:50）报告了体温「38.2」，最后一次提交（09:10）"
         "（健康打卡.xlsx「Sheet1」第3行）没有，按最后一次计，请核实")]


def test_building_and_room_fields_together_make_the_flat(tmp_path: Path) -> None:
    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": [["姓名", "楼栋", "单元", "房号"], ["甲一", "1", "1", "101"],
                                                         ["乙二", "1", "2", "101"]]})
    checkins = write_xlsx(tmp_path / "打卡.xlsx", {"Sheet1": [
        ["提交时间", "姓名", "楼栋号", "房间号", "体温"], ["2022/11/21 08:00", "甲一", "1栋", "1单元101", "36.5"],
        ["2022/11/21 08:01", "乙二", "1号楼", "二单元101室", "36.6"]]})
    result = followups([checkins], Settings(), date=TODAY, roster=roster, today=TODAY)
    assert result.flagged.empty and result.notes == []
    assert result.counts["checked_in"] == 2
