"""The row's own date wins over the date in a file or sheet name; a day without data stops the run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exports import write_xlsx
from gridtool.config import Settings
from gridtool.domain.checkins.followups import followups
from gridtool.errors import GridtoolError

LOG = [["序号", "提交答卷时间", "所用时间", "1、您的姓名", "2、房号", "3、今日体温"],
       [1, "2022/11/18 8:01:10", "35秒", "甲一", "1-101", "36.5"],
       [2, "2022/11/18 8:03:00", "40秒", "乙二", "1-102", "36.6"],
       [3, "2022/11/19 8:01:00", "31秒", "甲一", "1-101", "37.8"],
       [4, "2022/11/20 8:02:00", "28秒", "乙二", "1-102", "36.5"]]


def test_dates_in_the_rows_decide_and_the_file_name_disagreeing_is_reported(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "社区每日健康打卡_数据_20221120.xlsx", {"Sheet1": LOG})
    result = followups([path], Settings(), today=dt.date(2022, 11, 21))
    assert result.date == dt.date(2022, 11, 20)
    assert result.days == [dt.date(2022, 11, d) for d in (18, 19, 20)]
    assert result.flagged[["name", "reason_text"]].values.tolist() == [["甲一", "未打卡"]]
    day19 = followups([path], Settings(), date=dt.date(2022, 11, 19), today=dt.date(2022, 11, 21))
    assert day19.flagged[["name", "reason_text"]].values.tolist() == [["甲一", "体温37.8℃"], ["乙二", "未打卡"]]
    assert [(p.type, p.value, p.message) for p in result.problems] == [(
        "date_mismatch", "2022-11-20",
        "表名或文件名中的日期是 11月20日，但表中各行的日期是 11月18日、11月19日、11月20日；"
        "已按每行自己的日期计算（没有日期的行才按表名或文件名的日期）。")]


def test_the_file_name_date_is_the_fallback_for_rows_without_one(tmp_path: Path) -> None:
    rows = [["提交时间（自动）", "姓名（必填）", "房号（必填）", "体温（必填）"],
            ["2022/10/05 09:00:00", "甲一", "1-101", "36.5"], ["08:10", "乙二", "1-102", "38.1"]]
    path = write_xlsx(tmp_path / "10.5核酸统计（收集结果）.xlsx", {"Sheet1": rows})
    result = followups([path], Settings(), today=dt.date(2022, 10, 6))
    assert result.date == dt.date(2022, 10, 5) and result.days == [dt.date(2022, 10, 5)]
    assert result.flagged[["name", "reason_text"]].values.tolist() == [["乙二", "体温38.1℃（高热）"]]
    assert result.problems == []


def test_a_date_the_files_do_not_cover_names_the_days_they_do(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "社区每日健康打卡_数据_20221120.xlsx", {"Sheet1": LOG})
    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": [["姓名", "房号"], ["甲一", "1-101"], ["乙二", "1-102"]]})
    for extra in ({}, {"roster": roster}):
        with pytest.raises(GridtoolError) as caught:
            followups([path], Settings(), date=dt.date(2022, 11, 22), today=dt.date(2022, 11, 22), **extra)
        assert caught.value.message == ("数据中没有 2022年11月22日 的打卡记录。"
                                        "数据包含的日期：11月18日、11月19日、11月20日。")


def test_a_roster_passed_as_the_check_in_file_is_recognised(tmp_path: Path) -> None:
    roster = write_xlsx(tmp_path / "居民名册.xlsx", {"名册": [["姓名", "楼栋", "房号", "电话"], ["甲一", "1", "101", "13800000001"]]})
    with pytest.raises(GridtoolError) as caught:
        followups([roster], Settings(), today=dt.date(2022, 11, 22))
    assert caught.value.message == "居民名册.xlsx「名册」 看起来是居民名册，不是打卡表：表中没有体温、打卡时间、是否打卡或症状列。"
    assert "--roster" in caught.value.hint


def test_a_day_where_nobody_checked_in_writes_nothing(tmp_path: Path) -> None:
    rows = [["姓名", "房号", "打卡时间"], ["甲一", "101", ""], ["乙二", "102", "未打卡"]]
    path = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows})
    with pytest.raises(GridtoolError, match="没有任何人已打卡"):
        followups([path], Settings(), today=dt.date(2022, 11, 21))
