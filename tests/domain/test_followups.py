from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exports import HEADER, daily_sheet, write_csv, write_xlsx
from gridtool.config import Assignment, Settings
from gridtool.domain.checkins.followups import Extras, followups
from gridtool.errors import GridtoolError

DAY1 = [  # 序号 姓名 房号 体温 是否有症状 打卡时间 网格员
    [1, "甲一", "1-101", 36.5, "否", dt.time(8, 0), "王芳"],
    [2, "乙二", "1-102", 36.5, "否", "08:10", "王芳"],
    [3, "丙三", "1-201", 36.4, "否", "08:20", "王芳"],
    [4, "丁四", "2-101", 36.6, "否", "08:30", "李强"],
    [5, "戊五", "2-102", 36.6, "否", "08:30", "李强"],
    [6, "己六", "2-201", 36.6, "否", "08:30", "李强"],
    [7, "庚七", "2-202", 36.6, "否", "08:30", "李强"],
    [8, "辛八", "1-202", 36.5, "否", "08:30", "王芳"],
]


def day(rows: list[list], changes: dict[str, list]) -> list[list]:
    return [changes.get(r[1], r) for r in rows]


@pytest.fixture
def three_days(tmp_path: Path) -> Path:
    day2 = day(DAY1, {"甲一": [1, "甲一", "1-101", None, None, "未打卡", "王芳"]})
    day3 = day(DAY1, {
        "甲一": [1, "甲一", "1-101", None, None, "", "王芳"],
        "乙二": [2, "乙二", "1-102", 38.0, None, "—", "王芳"],  # stale temperature next to a missing marker
        "丙三": [3, "丙三", "1-201", "37.8℃", "否", "09:00", "王芳"],
        "丁四": [4, "丁四", "2-101", "38.5度", "无", "09:00", "李强"],
        "戊五": [5, "戊五", "2-102", "36.5", "咳嗽", "09:00", "李强"],
        "己六": [6, "己六", "2-201", "365", "否", "09:00", "李强"],
    })
    sheets = {f"11月{d}日": daily_sheet(f"幸福里社区健康打卡 11月{d}日", rows)
              for d, rows in ((19, DAY1), (20, day2), (21, day3))}
    return write_xlsx(tmp_path / "打卡记录.xlsx", sheets, merges={n: ["A1:G1"] for n in sheets})


def test_daily_sheets_give_each_check_and_urgency_order(three_days: Path) -> None:
    result = followups([three_days], Settings(), today=dt.date(2026, 11, 23))
    assert result.date == dt.date(2026, 11, 21)
    assert result.days == [dt.date(2026, 11, d) for d in (19, 20, 21)]
    flagged = result.flagged
    assert flagged["name"].tolist() == ["丁四", "丙三", "戊五", "己六", "甲一", "乙二"]
    assert flagged["reasons"].tolist() == [["fever"], ["fever"], ["symptoms"], ["bad_temperature"],
                                           ["missing"], ["missing"]]
    assert flagged["reason_text"].tolist() == ["体温38.5℃（高热）", "体温37.8℃", "有症状：咳嗽",
                                               "体温填写有误：365，请核实", "连续2天未打卡", "未打卡"]
    assert flagged["missing_days"].tolist() == [0, 0, 0, 0, 2, 1]
    assert flagged["temperature"].tolist()[:3] == [38.5, 37.8, 36.5]
    assert result.counts == {"residents": 8, "exempt": 0, "checked_in": 6, "missing": 2, "fever": 2,
                             "symptoms": 1, "bad_temperature": 1, "flagged": 6, "urgent": 1, "temp_check": 0, "health_code": 0,
                             "resolved": 0}
    assert result.by_worker.set_index("worker")["flagged"].to_dict() == {"李强": 3, "王芳": 3}


def test_an_earlier_date_and_a_stricter_threshold(three_days: Path) -> None:
    result = followups([three_days], Settings(fever_threshold=36.6), date=dt.date(2026, 11, 20))
    assert result.date == dt.date(2026, 11, 20)
    assert result.days == [dt.date(2026, 11, 19), dt.date(2026, 11, 20)]
    by_name = result.flagged.set_index("name")["reasons"].to_dict()
    assert by_name == {"丁四": ["fever"], "戊五": ["fever"], "己六": ["fever"], "庚七": ["fever"], "甲一": ["missing"]}


def test_one_file_per_day_dates_from_file_names(tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "健康打卡2026-11-20.xlsx", {"Sheet1": daily_sheet("打卡", DAY1)})
    second = write_xlsx(tmp_path / "健康打卡2026-11-21.xlsx", {"Sheet1": daily_sheet("打卡", day(DAY1, {
        "甲一": [1, "甲一", "1-101", None, None, "未填报", "王芳"]}))})
    result = followups([second, first], Settings())
    assert result.days == [dt.date(2026, 11, 20), dt.date(2026, 11, 21)]
    assert result.flagged[["name", "missing_days"]].values.tolist() == [["甲一", 1]]


def test_sheet_without_a_time_column_counts_a_temperature_as_a_check_in(tmp_path: Path) -> None:
    rows = [["姓名", "楼栋", "单元", "房号", "体温"], ["张三", "3栋", "2单元", "502室", 36.5],
            ["李四", 3, 2, 501, None]]
    result = followups([write_xlsx(tmp_path / "11月21日.xlsx", {"Sheet1": rows})], Settings())
    assert result.date == dt.date(2026, 11, 21)
    assert result.flagged[["name", "building", "unit", "room"]].values.tolist() == [["李四", "3", "2", "501"]]


LOG_HEADER = ["序号", "提交时间", "姓名", "住址", "手机号码", "体温(℃)", "有无症状"]
ROSTER = [
    ["姓名", "住址", "电话", "网格员", "居住状态"],
    ["张伟", "3栋2单元502室", "13800000001", "王芳", "在住"],
    ["李娜", "3-2-501", "13800000002", "王芳", "在住"],
    ["王强", "3-1-101", "13800000003", "王芳", "外出务工"],
    ["赵敏", "4-1-101", "13800000004", "李强", "在住"],
    ["刘洋", "4-1-102", "13800000005", "李强", "在住"],
    ["刘洋", "5-1-102", "13800000006", "李强", "在住"],
    ["陈静", "4-2-301", "13800000007", "李强", "在住"],
]


@pytest.fixture
def log_and_roster(tmp_path: Path) -> tuple[Path, Path]:
    log = [
        LOG_HEADER,
        [1, "2026/11/20 08:01:00", "张伟", "3-2-502", "13800000001", "36.5", "无"],
        [2, "2026/11/20 08:02:00", "李娜", "3-2-501", "13800000002", "36.5", "无"],
        [3, "2026/11/20 08:05:00", "陈静", "4-2-301", "13800000007", "36.5", "无"],
        [4, "2026/11/21 08:01:00", "张维", "3号楼2单元502", "13800000001", "36.6", "无"],  # homophone, other form
        [5, "2026/11/21 08:03:00", "李娜", "3-2-501", "13800000002", "37.9", "无"],
        [6, "2026/11/21 08:30:00", "李娜", "3-2-501", "13800000002", "36.7", "无"],  # resubmission, later wins
        [7, "2026/11/21 08:04:00", "刘洋", "", "", "36.5", "无"],  # two 刘洋 on the roster
        [8, "2026/11/21 08:05:00", "周新", "9-1-101", "13900000000", "36.5", "无"],  # not on the roster
        [9, "2026/11/21 08:06:00", "陈静", "4栋2单元301", "13800000007", "36.5", "咳嗽"],
    ]
    roster = write_xlsx(tmp_path / "名册.xlsx", {
        "花名册": [["幸福里社区居民名册"], *ROSTER],
        "免打卡": [["姓名", "住址", "原因", "开始日期", "结束日期"],
                   ["赵敏", "4-1-101", "住院", "11月18日", "11月25日"],
                   ["陈静", "4-2-301", "集中隔离", "11月1日", "11月10日"]],
    })
    return write_csv(tmp_path / "提交记录.csv", log, encoding="gb18030"), roster


def test_log_with_roster_matches_explains_and_exempts(log_and_roster: tuple[Path, Path]) -> None:
    log, roster = log_and_roster
    result = followups([log], Settings(), roster=roster)
    assert result.date == dt.date(2026, 11, 21)
    # 王强 外出 and 赵敏 住院 (11-18..11-25) are exempt; 陈静's quarantine ended on 11-10;
    # the 刘洋 submission without an address could be either 刘洋, so both stay missing
    assert result.flagged[["name", "building", "reasons"]].values.tolist() == [
        ["陈静", "4", ["symptoms"]], ["刘洋", "4", ["missing"]], ["刘洋", "5", ["missing"]]]
    counts = result.counts
    assert (counts["residents"], counts["exempt"], counts["checked_in"], counts["missing"]) == (7, 2, 3, 2)
    kinds = {(n.kind, n.name) for n in result.notes}
    # 李娜's 37.9 was replaced by a later 36.7 the same day: the last counts, and that is said
    assert kinds == {("matched", "张维"), ("doubtful", "刘洋"), ("not_on_roster", "周新"), ("superseded", "李娜")}
    matched = next(n for n in result.notes if n.kind == "matched")
    assert "同音" in matched.message and "张伟" in matched.message
    doubtful = next(n for n in result.notes if n.kind == "doubtful")
    assert len(doubtful.candidates) == 2


def test_resubmission_same_day_is_one_check_in_and_the_latest_counts(log_and_roster: tuple[Path, Path]) -> None:
    log, roster = log_and_roster
    result = followups([log], Settings(), roster=roster)
    assert "李娜" not in set(result.flagged["name"])  # 37.9 then 36.7: the later report stands


def test_log_without_roster_absent_days_count_as_missing(log_and_roster: tuple[Path, Path]) -> None:
    log, _ = log_and_roster
    result = followups([log], Settings())
    flagged = result.flagged.set_index("name")
    assert flagged.loc["张伟", "missing_days"] == 1  # 张维 is a different person without a roster
    assert result.counts["residents"] == 6


def test_worker_from_assignment_table_and_unassigned(tmp_path: Path) -> None:
    rows = [["姓名", "楼栋", "单元", "房号", "打卡时间"], ["张三", "3", "1", "101", ""], ["李四", "3", "2", "101", ""],
            ["王五", "7", "1", "101", ""], ["赵六", "7", "1", "102", "08:00"]]  # a day with no check-in stops
    checkins = write_xlsx(tmp_path / "11月21日打卡.xlsx", {"Sheet1": rows})
    table = write_xlsx(tmp_path / "分工.xlsx", {"分工": [["楼栋", "单元", "网格员"], ["3号楼", "", "王芳"],
                                                        ["3号楼", "2单元", "李强"]]})
    result = followups([checkins], Settings(), extras=Extras(assignments=table))
    assert result.flagged.set_index("name")["worker"].to_dict() == {"张三": "王芳", "李四": "李强", "王五": "未分配"}
    from_toml = followups([checkins], Settings(assignments=(Assignment("7", "陈静"),)))
    assert from_toml.flagged.set_index("name")["worker"].to_dict()["王五"] == "陈静"


def test_no_table_found_names_the_file_and_what_is_expected(tmp_path: Path) -> None:
    empty = write_xlsx(tmp_path / "空表.xlsx", {"Sheet1": [["随便写的"], ["一些", "内容"]]})
    with pytest.raises(GridtoolError) as caught:
        followups([empty], Settings())
    assert "空表.xlsx" in caught.value.message and "姓名" in caught.value.message


def test_missing_name_column_lists_columns_present(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "打卡.xlsx", {"Sheet1": [["房号", "体温", "打卡时间"], ["101", 36.5, "08:00"]]})
    with pytest.raises(GridtoolError) as caught:
        followups([path], Settings())
    text = str(caught.value)
    assert "打卡.xlsx「Sheet1」" in text and "缺少必需的列「姓名」" in text and "房号、体温、打卡时间" in text


def test_header_synonyms_from_settings(tmp_path: Path) -> None:
    rows = [["户主", "门牌", "晨检读数", "打卡时间"], ["张三", "1-101", 38.2, "08:00"]]
    path = write_xlsx(tmp_path / "11月21日.xlsx", {"Sheet1": rows})
    settings = Settings(columns={"name": ("户主",), "temperature": ("晨检读数",)})
    result = followups([path], settings)
    assert result.flagged["reasons"].tolist() == [["fever"]]


def test_exemption_sheet_with_unreadable_date_is_a_problem(tmp_path: Path) -> None:
    rows = [HEADER, [1, "张三", "1-101", None, None, "未打卡", "王芳"], [2, "王五", "1-102", 36.5, "否", "08:00", "王芳"]]
    checkins = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows, "免打卡": [
        ["姓名", "房号", "原因", "开始日期", "结束日期"], ["张三", "1-101", "出差", "下周一", ""]]})
    result = followups([checkins], Settings())
    assert result.counts["exempt"] == 1  # an unreadable start is treated as open-ended, and reported
    assert [(p.type, p.column, p.row) for p in result.problems] == [("bad_date", "D", 2)]


def test_unreadable_temperature_is_flagged_and_reported_with_its_cell(tmp_path: Path) -> None:
    rows = [HEADER, [1, "张三", "1-101", "正常", "否", "08:00", "王芳"]]
    result = followups([write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows})], Settings())
    assert result.flagged["reasons"].tolist() == [["bad_temperature"]]
    assert [(p.type, p.column, p.row, p.value) for p in result.problems] == [("bad_temperature", "D", 2, "正常")]


def test_a_date_with_no_data_is_an_input_error(three_days: Path) -> None:
    with pytest.raises(GridtoolError) as caught:
        followups([three_days], Settings(), date=dt.date(2026, 11, 25))
    assert "没有 2026年11月25日 的打卡记录" in caught.value.message
    assert "11月19日、11月20日、11月21日" in caught.value.message


def test_home_quarantine_still_checks_in_central_quarantine_is_exempt(tmp_path: Path) -> None:
    rows = [["姓名", "房号", "状态", "打卡时间"], ["张三", "1-101", "居家隔离", "未打卡"],
            ["李四", "1-102", "集中隔离", "未打卡"], ["王五", "1-103", "在住", "08:00"]]
    result = followups([write_xlsx(tmp_path / "11月21日.xlsx", {"Sheet1": rows})], Settings())
    assert result.flagged["name"].tolist() == ["张三"] and result.counts["exempt"] == 1


def test_one_character_typo_at_the_same_address_and_phone_is_matched_with_a_note(tmp_path: Path) -> None:
    log = write_csv(tmp_path / "log.csv", [LOG_HEADER,
                                           [1, "2026/11/21 08:00", "陈青", "4-2-301", "13800000007", "36.5", "无"],
                                           [2, "2026/11/21 08:01", "李娜", "3-501", "13800000002", "36.5", "无"]])
    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": ROSTER})
    result = followups([log], Settings(), roster=roster)
    notes = {n.name: n for n in result.notes}
    assert notes["陈青"].kind == "matched" and "一字之差" in notes["陈青"].message
    assert notes["李娜"].kind == "matched" and "住址写法不完整或不同" in notes["李娜"].message
    assert {"陈静", "李娜"}.isdisjoint(set(result.flagged["name"]))


def test_a_one_character_typo_without_other_evidence_is_left_for_a_person(tmp_path: Path) -> None:
    log = write_csv(tmp_path / "log.csv", [LOG_HEADER,
                                           [1, "2026/11/21 08:00", "陈青", "4-2-301", "", "36.5", "无"]])
    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": ROSTER})
    result = followups([log], Settings(), roster=roster)
    [note] = result.notes
    assert note.kind == "doubtful" and note.candidates[0].startswith("陈静 4栋2单元301室")
    assert "陈静" in set(result.flagged["name"])


def test_roster_worker_is_used_when_the_checkins_have_none(log_and_roster: tuple[Path, Path]) -> None:
    log, roster = log_and_roster
    result = followups([log], Settings(), roster=roster)
    assert result.flagged.set_index("name")["worker"].to_dict() == {"陈静": "李强", "刘洋": "李强"}


def test_changes_since_the_day_before(tmp_path: Path) -> None:
    before = [["姓名", "房号", "体温", "打卡时间"], ["甲", "101", 38.2, "8:00"], ["乙", "102", None, "未打卡"],
              ["丙", "103", 36.5, "8:00"], ["丁", "104", 36.5, "8:00"]]
    today = [["姓名", "房号", "体温", "打卡时间"], ["甲", "101", 36.6, "8:00"], ["乙", "102", 36.5, "8:00"],
             ["丙", "103", None, "未打卡"], ["丁", "104", 37.6, "8:00"]]
    path = write_xlsx(tmp_path / "打卡.xlsx", {"11月20日": before, "11月21日": today})
    result = followups([path], Settings())
    assert result.previous == dt.date(2026, 11, 20)
    assert {code: table["name"].tolist() for code, table in result.changes_by_kind().items()} == {
        "newly_missing": ["丙"], "back": ["乙"], "new_fever": ["丁"], "recovered": ["甲"]}


def test_no_changes_without_the_day_before(tmp_path: Path) -> None:
    rows = [["姓名", "房号", "打卡时间"], ["甲", "101", "未打卡"], ["乙", "102", "08:00"]]
    path = write_xlsx(tmp_path / "打卡.xlsx", {"11月18日": rows, "11月21日": rows})
    result = followups([path], Settings())
    assert result.previous is None and all(t.empty for t in result.changes_by_kind().values())


@pytest.mark.parametrize("rows", [[["姓名", "房号", "打卡时间"]], [["姓名", "房号", "打卡时间"], [None, "101", "8:00"]]])
def test_a_table_without_residents_is_an_input_error(tmp_path: Path, rows: list) -> None:
    path = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": [["健康打卡"], *rows]})
    with pytest.raises(GridtoolError, match="下面没有任何居民"):
        followups([path], Settings())


def test_an_empty_roster_is_an_input_error(tmp_path: Path) -> None:
    checkins = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": [["姓名", "房号", "打卡时间"], ["张三", "101", ""]]})
    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": [["姓名", "住址"]]})
    with pytest.raises(GridtoolError, match="名册 名册.xlsx「名册」 中没有任何居民"):
        followups([checkins], Settings(), roster=roster)


def test_a_checked_in_status_column_without_times(tmp_path: Path) -> None:
    rows = [["姓名", "房号", "今日是否打卡", "体温"], ["张三", "101", "已打卡", 36.5], ["李四", "102", "未打卡", 36.6],
            ["王五", "103", "否", None], ["赵六", "104", "是", 36.4], ["钱七", "105", None, None]]
    result = followups([write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows})], Settings())
    assert sorted(result.flagged["name"]) == ["李四", "王五", "钱七"]  # 李四's stale 36.6 does not count


def test_one_sheet_holding_several_days_through_a_date_column(tmp_path: Path) -> None:
    rows = [["日期", "姓名", "房号", "体温", "打卡时间"]]
    for day in (19, 20, 21):
        rows += [[f"2026年11月{day}日", "张三", "1-101", 36.5, "8:00"],
                 [f"2026-11-{day}", "李四", "1-102", None, "未打卡"],
                 [46345 + day - 19, "王五", "1-103", 36.6 if day != 21 else None, "8:00" if day != 21 else ""]]
    result = followups([write_xlsx(tmp_path / "打卡汇总.xlsx", {"汇总": rows})], Settings())
    assert result.date == dt.date(2026, 11, 21) and len(result.days) == 3
    assert result.flagged[["name", "missing_days"]].values.tolist() == [["李四", 3], ["王五", 1]]


def test_a_sheet_with_no_time_and_no_date_is_judged_for_the_given_day(tmp_path: Path) -> None:
    rows = [["姓名", "房号", "体温"], ["张三", "101", 36.5], ["李四", "102", None]]
    path = write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": rows})
    result = followups([path], Settings(), today=dt.date(2026, 11, 23))
    assert result.date == dt.date(2026, 11, 23) and result.flagged["name"].tolist() == ["李四"]


def test_a_wenjuanxing_style_export_with_a_roster(tmp_path: Path) -> None:
    header = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您的姓名：", "2、您的住址（楼栋-单元-房号）：",
              "3、今日体温（℃）：", "4、您今天是否有以下症状？（多选）"]
    rows = [header,
            [1, "2026/11/21 8:01:13", "35秒", "微信", "N/A", "1.2.3.4(浙江-杭州)", "张伟", "3-2-502", "36.5", "以上都没有"],
            [2, "2026/11/21 8:05:40", "20秒", "微信", "N/A", "1.2.3.5(浙江-杭州)", "李娜", "3-2-501", "37.8", "发热┋咳嗽"],
            [3, "2026/11/21 8:09:02", "41秒", "手机提交", "直接访问", "1.2.3.6(浙江-杭州)", "陈静", "4-2-301", "36.6", "以上都没有"]]
    export = write_csv(tmp_path / "健康打卡_问卷星.csv", rows, encoding="gb18030")
    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": ROSTER})
    result = followups([export], Settings(), roster=roster)
    by_name = result.flagged.set_index("name")["reason_text"].to_dict()
    assert by_name["李娜"] == "体温37.8℃；有症状：发热、咳嗽"
    assert {"张伟", "陈静"}.isdisjoint(by_name) and {"赵敏", "刘洋"} <= set(by_name)
