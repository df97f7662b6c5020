"""gridtool volunteers: every crediting rule and every ledger check, with exact balances."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from exports import write_xlsx
from gridtool.config import Settings
from gridtool.domain.volunteers.entries import parse_hours
from gridtool.domain.volunteers.report import EVERYTHING, Period, VolunteerResult, volunteer_report
from gridtool.domain.volunteers.rules import VolunteerRules, volunteer_rules
from gridtool.errors import GridtoolError

LOG = ["日期", "志愿者", "服务类型", "开始时间", "结束时间", "时长(小时)", "服务对象", "是否紧急"]
REDEEM = ["日期", "志愿者", "兑换人", "兑换内容", "积分", "小时", "经办人"]
ROSTER = ["姓名", "电话", "组别", "所在楼栋", "家属"]
MEMBERS = [["张伟", "13800000001", "跑腿组", "1栋", "李秀英"], ["李娜", "13800000002", "宣传组", "2号楼", ""]]


def ledger(tmp_path: Path, shifts: list[list[Any]], redemptions: list[list[Any]] | None = None,
           members: list[list[Any]] | None = None, period: Period = EVERYTHING, **rules: Any) -> VolunteerResult:
    sheets: dict[str, list[list[Any]]] = {"服务记录": [LOG, *shifts]}
    if redemptions is not None:
        sheets["兑换"] = [REDEEM, *redemptions]
    if members is not None:
        sheets["名册"] = [ROSTER, *members]
    path = write_xlsx(tmp_path / "志愿者.xlsx", sheets)
    return volunteer_report([path], Settings(volunteers=rules), period)


def figures(result: VolunteerResult) -> dict[str, tuple[float, ...]]:
    return {b.name: (b.hours, b.points, b.redeemed_points, b.redeemed_hours, b.balance_points, b.balance_hours)
            for b in result.volunteers}


def problems(result: VolunteerResult) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.type, p.message) for p in result.problems]


def test_points_per_hour_by_service_type_with_ten_by_default(tmp_path: Path) -> None:
    result = ledger(tmp_path, [["2026-11-17", "张伟", "跑腿", "09:00", "11:00", "", "", ""],
                               ["2026-11-17", "张伟", "宣传", "", "", "1.5", "", ""]], service_points={"跑腿": 12})
    assert figures(result) == {"张伟": (3.5, 39.0, 0.0, 0.0, 39.0, 3.5)}
    assert [e.points for e in result.statements["张伟"]] == [15.0, 24.0]  # a day's shifts without a start first


def test_night_hours_weekend_and_urgent_multiply(tmp_path: Path) -> None:
    result = ledger(tmp_path, [["2026-11-17", "张伟", "值守", "21:00", "23:00", "", "", ""],   # 1 h day, 1 h night
                               ["2026-11-21", "李娜", "送菜", "09:00", "11:00", "", "", "紧急"]],  # Saturday, urgent
                    multipliers={"night": 1.5, "weekend": 1.2, "urgent": 2})
    assert figures(result)["张伟"][:2] == (2.0, 25.0)
    assert figures(result)["李娜"][:2] == (2.0, 48.0)
    assert result.statements["李娜"][0].note == "周末 ×1.2；紧急 ×2"
    assert result.statements["张伟"][0].note == "夜间 1 小时 ×1.5"


def test_a_shift_past_midnight_counts_when_the_duration_says_so(tmp_path: Path) -> None:
    result = ledger(tmp_path, [["2026-11-17", "张伟", "值守", "22:00", "02:00", "4", "", ""],
                               ["2026-11-18", "张伟", "值守", "18:00", "08:00", "", "", ""]], multipliers={"night": 2})
    assert figures(result)["张伟"][:2] == (4.0, 80.0)
    assert problems(result) == [(3, "volunteer_end_before_start", "张伟：结束时间早于开始时间（18:00–08:00），未计入；"
                                 "如果跨过午夜，请在“时长”列写明小时数")]


def test_the_daily_cap_cuts_the_later_shifts_of_the_day(tmp_path: Path) -> None:
    shifts = [["2026-11-17", "张伟", "跑腿", "13:00", "17:00", "", "", ""],
              ["2026-11-17", "张伟", "跑腿", "07:00", "13:00", "", "", ""],
              ["2026-11-18", "张伟", "跑腿", "", "", "3", "", ""]]
    result = ledger(tmp_path, shifts, daily_cap_hours=8)
    assert [(e.hours, e.points) for e in result.statements["张伟"]] == [(6.0, 60.0), (2.0, 20.0), (3.0, 30.0)]
    assert result.statements["张伟"][1].note == "超出每日上限 8 小时，2 小时未计入"
    assert figures(ledger(tmp_path, shifts, daily_cap_hours=0))["张伟"][:2] == (13.0, 130.0)


def test_time_bank_hours_are_drawn_by_the_volunteer_or_a_registered_family_member(tmp_path: Path) -> None:
    shifts = [["2026-11-17", "张伟", "跑腿", "", "", "5", "", ""]]
    redemptions = [["2026-11-18", "张伟", "李秀英", "陪同就医", "", "2", "王芳"],
                   ["2026-11-18", "张伟", "王小明", "上门助浴", "", "1", "王芳"],
                   ["2026-11-19", "张伟", "", "大米", "30", "", "王芳"]]
    result = ledger(tmp_path, shifts, redemptions, MEMBERS)
    assert figures(result)["张伟"] == (5.0, 50.0, 30.0, 2.0, 20.0, 3.0)
    assert result.statements["张伟"][1].note == "由家属 李秀英 使用"
    assert problems(result) == [(3, "volunteer_not_family", "张伟：王小明 不是名册中登记的家属，不能使用 张伟 的时间银行小时，未计入；"
                                 "请在志愿者名册的“家属”列登记")]
    closed = ledger(tmp_path, shifts, redemptions[:1], MEMBERS, time_bank={"transfer_to_family": False})
    assert figures(closed)["张伟"][-1] == 5.0 and [p.type for p in closed.problems] == ["volunteer_transfer_closed"]


def test_a_family_member_named_alone_draws_on_the_volunteers_hours(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "v.xlsx", {"服务": [LOG, ["2026-11-17", "张伟", "跑腿", "", "", "3", "", ""]],
                                            "兑换": [["日期", "兑换人", "兑换内容", "小时"], ["2026-11-18", "李秀英", "理发", 1]],
                                            "名册": [ROSTER, *MEMBERS]})
    result = volunteer_report([path], Settings())
    assert figures(result)["张伟"][-1] == 2.0 and result.problems == []


def test_a_redemption_that_would_go_below_zero_is_refused(tmp_path: Path) -> None:
    result = ledger(tmp_path, [["2026-11-17", "李娜", "宣传", "", "", "2", "", ""]],
                    [["2026-11-16", "李娜", "", "洗衣液", "10", "", "王芳"],      # before she earned anything
                     ["2026-11-18", "李娜", "", "食用油", "15", "", "王芳"],
                     ["2026-11-19", "李娜", "", "毛巾", "10", "", "王芳"]])
    assert figures(result)["李娜"] == (2.0, 20.0, 15.0, 0.0, 5.0, 2.0)
    assert problems(result) == [
        (2, "volunteer_below_zero", "李娜：11月16日兑换“洗衣液”将使余额变为负数（积分余额 0，兑换 10），未计入"),
        (4, "volunteer_below_zero", "李娜：11月19日兑换“毛巾”将使余额变为负数（积分余额 5，兑换 10），未计入")]


def test_overlapping_shifts_of_one_person_are_both_left_out(tmp_path: Path) -> None:
    result = ledger(tmp_path, [["2026-11-18", "张伟", "跑腿", "09:00", "11:00", "", "", ""],
                               ["2026-11-18", "张伟", "送菜", "10:30", "12:00", "", "", ""],
                               ["2026-11-18", "张伟", "送菜", "11:00", "12:00", "", "", ""],
                               ["2026-11-18", "李娜", "宣传", "09:00", "11:00", "", "", ""]])
    assert figures(result) == {"李娜": (2.0, 20.0, 0.0, 0.0, 20.0, 2.0)}  # no roster: 张伟 has nothing that counts
    assert [(row, kind) for row, kind, _ in problems(result)] == [(row, "volunteer_overlap") for row in (2, 3, 4)]
    assert problems(result)[1][2] == ("张伟：11月18日 10:30–12:00 与第2行（09:00–11:00）、第4行（11:00–12:00）"
                                      "时间重叠，均未计入；请核对后改正")


def test_an_exact_duplicate_counts_once(tmp_path: Path) -> None:
    row = ["2026-11-18", "张伟", "跑腿", "09:00", "11:00", "", "刘桂英", ""]
    result = ledger(tmp_path, [row, ["2026-11-18", "张伟", "跑腿", "14:00", "15:00", "", "刘桂英", ""], row])
    assert figures(result)["张伟"][:2] == (3.0, 30.0)
    assert problems(result) == [(4, "volunteer_duplicate", "张伟：与第2行完全相同（重复录入），未计入")]


@pytest.mark.parametrize(("duration", "message"), [
    ("-2", "张伟：时长「-2」为负数，未计入"), ("30", "张伟：时长「30」超过 24 小时，未计入"),
    ("0", "张伟：时长「0」为 0，未计入"), ("三小时", "张伟：时长「三小时」无法识别，未计入")])
def test_impossible_durations_are_left_out(tmp_path: Path, duration: str, message: str) -> None:
    result = ledger(tmp_path, [["2026-11-18", "张伟", "跑腿", "", "", duration, "", ""],
                               ["2026-11-18", "张伟", "跑腿", "", "", "1", "", ""]])
    assert figures(result)["张伟"][:2] == (1.0, 10.0)
    assert problems(result) == [(2, "volunteer_bad_duration", message)]


def test_a_duration_that_disagrees_with_start_and_end_is_left_out(tmp_path: Path) -> None:
    result = ledger(tmp_path, [["2026-11-18", "张伟", "跑腿", "09:00", "10:00", "3", "", ""]])
    assert problems(result) == [(2, "volunteer_duration_mismatch", "张伟：时长 3 小时与起止时间 09:00–10:00（1 小时）不符，未计入")]


def test_a_name_not_on_the_roster_suggests_the_closest_names(tmp_path: Path) -> None:
    members = [*MEMBERS, ["陈静怡", "", "宣传组", "3栋", ""], ["陈静茹", "", "宣传组", "3栋", ""]]
    result = ledger(tmp_path, [["2026-11-18", "张维", "跑腿", "", "", "1", "", ""],
                               ["2026-11-18", "陈静宜", "宣传", "", "", "1", "", ""],
                               ["2026-11-18", "钱多多", "宣传", "", "", "1", "", ""]], members=members)
    assert all(b.hours == 0 for b in result.volunteers)
    assert [m for _, _, m in problems(result)] == [
        "张维 不在志愿者名册中，未计入；名册中相近的名字：张伟（同音）",
        "陈静宜 不在志愿者名册中，未计入；名册中相近的名字：陈静怡（同音）、陈静茹（一字之差）",
        "钱多多 不在志愿者名册中，未计入；名册中没有相近的名字（新志愿者请先登记）"]


def test_the_period_counts_service_inside_it_and_the_balance_up_to_its_end(tmp_path: Path) -> None:
    shifts = [["2026-11-10", "张伟", "跑腿", "", "", "2", "", ""], ["2026-11-17", "张伟", "跑腿", "", "", "3", "", ""],
              ["2026-11-25", "张伟", "跑腿", "", "", "4", "", ""]]
    redemptions = [["2026-11-18", "张伟", "", "大米", "10", "", ""], ["2026-11-26", "张伟", "", "油", "70", "", ""]]
    import datetime as dt

    result = ledger(tmp_path, shifts, redemptions, period=Period(dt.date(2026, 11, 15), dt.date(2026, 11, 20)))
    assert figures(result)["张伟"] == (3.0, 30.0, 10.0, 0.0, 40.0, 5.0)
    assert [b.to_dict()["balance_points"] for b in result.volunteers] == [40.0]
    assert result.problems == []  # the refused-looking 11-26 redemption lies after the period


def test_totals_per_group_and_building_and_a_leaderboard_with_ties(tmp_path: Path) -> None:
    members = [*MEMBERS, ["王磊", "", "跑腿组", "1", ""], ["赵敏", "", "", "", ""]]
    result = ledger(tmp_path, [["2026-11-18", "张伟", "跑腿", "", "", "2", "", ""],
                               ["2026-11-18", "王磊", "跑腿", "", "", "2", "", ""],
                               ["2026-11-18", "李娜", "宣传", "", "", "3", "", ""]], members=members)
    assert [(rank, b.name) for rank, b in result.leaderboard] == [(1, "李娜"), (2, "张伟"), (2, "王磊")]
    assert result.totals("group") == [
        {"group": "宣传组", "volunteers": 1, "hours": 3.0, "points": 30.0},
        {"group": "跑腿组", "volunteers": 2, "hours": 4.0, "points": 40.0},
        {"group": "（未登记）", "volunteers": 1, "hours": 0.0, "points": 0.0}]
    assert [(t["building"], t["hours"]) for t in result.totals("building")] == [("1栋", 4.0), ("2栋", 3.0),
                                                                               ("（未登记）", 0.0)]


def test_rules_from_gridtool_toml(tmp_path: Path) -> None:
    assert volunteer_rules(Settings()) == VolunteerRules()
    rules = volunteer_rules(Settings(volunteers={"points_per_hour": 8, "service_points": {"技术帮扶": 15},
                                                 "night_start": "21:00", "multipliers": {"night": 1.5}}))
    assert (rules.rate("技术帮扶"), rules.rate("值守"), rules.night, rules.night_start.hour) == (15.0, 8.0, 1.5, 21)


@pytest.mark.parametrize(("raw", "message"), [
    ({"point_per_hour": 8}, "[volunteers] 中没有「point_per_hour」这一项"),
    ({"points_per_hour": -1}, "points_per_hour「-1」不是有效的值：应为 0 到 1000 分之间的数字。"),
    ({"points_per_hour": "十"}, "points_per_hour「十」不是有效的值：应为 0 到 1000 分之间的数字。"),
    ({"multipliers": {"night": 0}}, "multipliers 的 night（夜间倍数）「0」不是有效的值：应为 0.1 到 10 倍之间的数字。"),
    ({"night_start": "25:00"}, "night_start：「25:00」不是有效的时间"),
    ({"daily_cap_hours": 30}, "daily_cap_hours「30」不是有效的值：应为 0 到 24 小时之间的数字。"),
    ({"time_bank": {"transfer_to_family": "是"}}, "transfer_to_family 应为 true 或 false"),
])
def test_bad_rules_name_the_key(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(GridtoolError, match=None) as caught:
        volunteer_rules(Settings(volunteers=raw))
    assert message in caught.value.message


def test_durations_as_staff_write_them() -> None:
    assert [parse_hours(t) for t in ("2", "2小时", "1.5h", "90分钟", "1小时30分", "１.５", "-2", "三小时", "")] == \
        [2.0, 2.0, 1.5, 1.5, 1.5, 1.5, -2.0, None, None]


EXPECTED_EXAMPLE_CHECKS = {"volunteer_duplicate", "volunteer_overlap", "volunteer_bad_duration",
                           "volunteer_end_before_start", "volunteer_not_on_roster", "volunteer_not_family",
                           "volunteer_below_zero"}


def test_the_examples_exercise_every_check(example_dir: Path) -> None:
    result = volunteer_report([example_dir], Settings())
    assert {p.type for p in result.problems} == EXPECTED_EXAMPLE_CHECKS
    assert figures(result)["张伟"] == (7.0, 70.0, 50.0, 2.0, 20.0, 5.0)
    cut = [e for e in result.statements["周欣怡"] if e.note.startswith("超出每日上限")]
    assert [(e.date.day, e.hours) for e in cut] == [(17, 8.0)]


def test_the_config_gridtool_init_writes_holds_the_default_rules() -> None:
    from gridtool.config import load_settings

    template = Path(__file__).parents[2] / "src" / "gridtool" / "templates" / "gridtool.toml"
    assert volunteer_rules(load_settings(template)) == VolunteerRules()


def test_a_round_is_credited_once_and_a_shift_logged_for_it_is_reported(tmp_path: Path) -> None:
    """Delivery rounds (as `gridtool requests` rounds will arrive through the follow-up log) reach `settle`
    as shifts with a round key; the same round seen twice counts once, and the logged copy is refused."""
    import datetime as dt

    from gridtool.domain.volunteers.entries import Origin, Shift
    from gridtool.domain.volunteers.report import read_volunteer_sheets, settle

    path = write_xlsx(tmp_path / "v.xlsx", {"服务": [LOG, ["2026-11-18", "张伟", "送菜", "09:00", "10:00", "", "刘桂英", ""],
                                                       ["2026-11-18", "张伟", "跑腿", "14:00", "15:00", "", "", ""]]})
    sheets = read_volunteer_sheets([path], Settings(), 2026)
    day = dt.date(2026, 11, 18)
    round_ = Shift(Origin("跟进记录.xlsx", "跟进记录", 5), "张伟", day, "送菜", 1.5, dt.time(9, 0), dt.time(10, 30),
                   "刘桂英", round_key="R-1118-1")
    again = Shift(Origin("跟进记录.xlsx", "跟进记录", 9), "张伟", day, "送菜", 1.5, dt.time(9, 0), dt.time(10, 30),
                  "刘桂英", round_key="R-1118-1")
    result = settle(sheets, VolunteerRules(), EVERYTHING, [round_, again])
    assert figures(result)["张伟"][:2] == (2.5, 25.0)
    assert problems(result) == [(2, "volunteer_credited_from_round",
                                 "张伟：这次服务已按配送轮次「R-1118-1」计入（跟进记录.xlsx「跟进记录」 第5行），这一行未重复计入")]
