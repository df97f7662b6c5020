"""Resident requests: the categoriser, urgency, overdue boundaries, staff-typed categories and delivery rounds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exports import write_xlsx
from gridtool.config import RequestSettings, Settings
from gridtool.domain.requests.categories import categorise, request_actions, urgent_word
from gridtool.domain.requests.report import triage_requests
from gridtool.domain.requests.rounds import Volunteer, parse_buildings, plan_rounds
from gridtool.domain.requests.rules import rules_from
from gridtool.domain.requests.triage import parse_moment

RULES = rules_from(Settings())

# What residents type, and the category a service-desk worker would file it under.
PHRASINGS = {
    "生活物资": ["家里没菜了", "米快吃完了，家里两个老人", "冰箱空了，想团购点肉和蔬菜", "能不能帮忙买点鸡蛋和牛奶",
             "宝宝奶粉只够明天了", "卫生纸用完了", "方便面吃完了，能买点吃的吗"],
    "药品": ["高血压药还剩两天", "胰岛素快用完了", "速效救心丸没了", "帮忙配一下硝苯地平缓释片，处方在我这",
           "老人需要止咳药"],
    "就医": ["孩子发烧想去医院", "透析病人需要出行", "母亲化疗时间到了", "老伴胸口闷，喘不上气",
           "孕妇要去医院产检，怎么出小区", "老人腿摔伤了，走不了路"],
    "检测": ["想做核酸但行动不便", "上门核酸漏了我们家", "抗原自测两道杠", "抗原试剂能不能再发两盒", "采样点在哪里做"],
    "心理": ["一个人在家隔离，天天睡不着", "晚上失眠，很焦虑", "孩子哭闹，我情绪快崩溃了", "压力大，想找人聊聊",
           "隔离太久了很孤独"],
    "快递/代办": ["快递在小区门口放了三天了", "两个快递在丰巢柜里，取件码发给你们", "帮忙交一下电费",
              "家里猫粮没了，能帮忙带点吗", "垃圾放门口两天没人收了"],
    "咨询": ["请问什么时候可以解封？", "健康码变黄了怎么回事", "隔离期还有多久", "能否下楼走走", "出入证怎么办理"],
    "其他": ["楼上漏水，家里天花板一直滴水", "门禁卡坏了", "家里网断了，孩子要上网课", "家里马桶堵了",
           "不需要买菜了，邻居已经帮忙带了"],
}


# What residents type that must NOT be filed under the category named: the need is said to be over, or
# the word only appears in passing; and where it goes instead.
NOT_FILED = {
    "生活物资": [("不需要买菜了，邻居已经帮忙带了", "其他"), ("不需要团购了，想问问什么时候解封", "咨询")],
    "药品": [("不用送药了，已经买到", "其他")],
    "就医": [("发烧已退，想问问还要不要再做核酸", "检测"), ("没有发烧，想买点菜", "生活物资")],
    "检测": [("不需要做核酸了，已经转阴", "其他")],
    "心理": [("不用心理疏导，谢谢", "其他")],
    "快递/代办": [("不需要代取快递了", "其他")],
    "咨询": [("能不能帮忙买点鸡蛋", "生活物资"), ("请问能不能帮忙取个快递", "快递/代办")],
}


def test_every_default_category_has_five_phrasings_and_one_that_must_not_match() -> None:
    assert {c for c, texts in PHRASINGS.items() if len(texts) >= 5} == set(RULES.names)
    assert set(NOT_FILED) == set(RULES.names) - {"其他"}


@pytest.mark.parametrize(("category", "text"), [(c, t) for c, texts in PHRASINGS.items() for t in texts])
def test_each_phrasing_is_filed_under_its_category(category: str, text: str) -> None:
    assert categorise(pd.Series([text]), RULES)["category"].tolist() == [category]


@pytest.mark.parametrize(("category", "text", "instead"), [(c, t, i) for c, pairs in NOT_FILED.items() for t, i in pairs])
def test_a_phrasing_that_must_not_match_goes_elsewhere(category: str, text: str, instead: str) -> None:
    assert categorise(pd.Series([text]), RULES)["category"].tolist() == [instead] != [category]


def test_the_matched_keyword_and_a_second_category_are_given() -> None:
    found = categorise(pd.Series(["发烧了需要退烧药", "高血压药还剩两天"]), RULES)
    assert found.to_dict("list") == {"category": ["就医", "药品"], "matched": ["发烧", "药"],
                                     "second": ["药品", ""], "second_matched": ["药", ""]}


def test_words_said_not_to_be_needed_do_not_count() -> None:
    found = categorise(pd.Series(["不需要买菜了", "不用送药了，已经买到", "没有发烧，想买点菜"]), RULES)
    assert found["category"].tolist() == ["其他", "其他", "生活物资"]


@pytest.mark.parametrize(("text", "word"), [
    ("孩子发烧38度5", "发烧"), ("已经断药一天了", "断药"), ("降压药吃完了", "药吃完"), ("我爸是透析病人", "透析"),
    ("宝宝奶粉只够明天了", "奶粉"), ("胰岛素只剩一支了", "胰岛素"), ("老婆待产，万一要生怎么出去", "待产"),
    ("胸痛得厉害", "胸痛"), ("呼吸困难", "呼吸困难"),
    ("发烧已退，想问问还要不要做核酸", ""), ("烧退了，谢谢", ""), ("没有发烧，就是想买菜", ""),
    ("家里没菜了", ""), ("想咨询解封时间", ""),
])
def test_urgent_words(text: str, word: str) -> None:
    assert urgent_word(pd.Series([text]), RULES).tolist() == [word]


def test_a_category_staff_typed_wins_and_the_text_gives_the_second() -> None:
    found = categorise(pd.Series(["家里没菜了", "想问问垃圾什么时候收", "门禁卡坏了", "想买点盐"]), RULES,
                       pd.Series(["药品", "咨询", "物业维修", "买菜"]))
    assert found.to_dict("list") == {
        "category": ["药品", "咨询", "物业维修", "生活物资"], "matched": ["登记类别"] * 4,
        "second": ["生活物资", "快递/代办", "", ""], "second_matched": ["没菜", "垃圾", "", ""]}


def test_a_typed_category_repeated_or_left_blank_is_looked_up_once_for_every_row() -> None:
    found = categorise(pd.Series(["家里没菜了", "降压药没了", "想买点盐", "孩子发烧"]), RULES,
                       pd.Series(["买菜", "", "买菜", None]))
    assert found[["category", "matched"]].values.tolist() == [
        ["生活物资", "登记类别"], ["药品", "药"], ["生活物资", "登记类别"], ["就医", "发烧"]]


def test_gridtool_toml_changes_keywords_and_adds_categories() -> None:
    own = RequestSettings(categories=(("生活物资", ("买菜",)), ("物业", ("漏水", "门禁"))))
    rules = rules_from(dataclasses.replace(Settings(), requests=own))
    found = categorise(pd.Series(["家里没菜了", "想买菜", "楼上漏水"]), rules)
    assert found["category"].tolist() == ["其他", "生活物资", "物业"]
    assert rules.names[-2:] == ["物业", "其他"]


def test_building_sheets_get_an_action_without_the_residents_words() -> None:
    actions = request_actions(pd.Series(["高血压药还剩两天", "孩子发烧想去医院", "楼上漏水"]), RULES)
    assert actions.tolist() == ["代购药品", "就医协助", "其他求助（详情问网格员）"]


def _log(tmp_path: Path, rows: list[list[object]], extra: dict[str, list[list[object]]] | None = None) -> Path:
    header = ["登记时间", "姓名", "住址", "联系电话", "诉求内容", "类别", "办理状态", "处理人", "完成时间"]
    return write_xlsx(tmp_path / "诉求.xlsx", {"诉求": [header, *rows], **(extra or {})})


def test_logged_times_in_every_form_are_read_as_parse_moment_reads_them(tmp_path: Path) -> None:
    times = ["2026-11-21 09:10", "2026/11/21 8:00", "2026-11-21 25:10", "11月21日 下午3点", ""]
    path = _log(tmp_path, [[t, f"居民{i}", f"1-1-10{i}", "", "家里没菜了", "", "待办理", "", ""]
                           for i, t in enumerate(times)])
    frame = triage_requests([path], Settings(), dt.datetime(2026, 11, 21, 18)).requests
    assert frame["logged_at"].tolist() == [pd.Timestamp(parse_moment(t)) if parse_moment(t) else pd.NaT for t in times]
    assert frame["logged_at"].tolist()[:3] == [pd.Timestamp("2026-11-21 09:10"), pd.Timestamp("2026-11-21 08:00"),
                                               pd.Timestamp("2026-11-21 00:00")]
    assert frame["waited_hours"].tolist()[:3] == [8.8, 10.0, 18.0]


@pytest.mark.parametrize(("now", "overdue", "urgent_overdue"), [
    ("2026-11-22 08:00", False, True),   # 24 h exactly: not yet overdue; the urgent one (4 h) is
    ("2026-11-22 08:01", True, True),
    ("2026-11-21 12:00", False, False),  # 4 h exactly
    ("2026-11-21 12:01", False, True),
])
def test_overdue_after_24_hours_or_4_when_urgent(tmp_path: Path, now: str, overdue: bool, urgent_overdue: bool) -> None:
    path = _log(tmp_path, [["2026-11-21 08:00", "张三", "1-1-101", "", "家里没菜了", "", "待办理", "", ""],
                           ["2026-11-21 08:00", "李四", "1-1-102", "", "孩子高烧39度", "", "处理中", "", ""],
                           ["2026-11-21 08:00", "王五", "1-1-201", "", "想买点米", "", "已办结", "王芳",
                            "2026-11-23 08:00"]])
    moment = dt.datetime.fromisoformat(now)
    frame = triage_requests([path], Settings(), moment).requests
    assert frame[["overdue", "urgent"]].values.tolist() == [[overdue, False], [urgent_overdue, True], [False, False]]
    assert frame["waited_hours"].tolist()[2] == 48.0


def test_a_vulnerable_resident_on_the_roster_asking_for_medicine_is_urgent(tmp_path: Path) -> None:
    roster = [["姓名", "住址", "年龄", "独居", "慢性病"], ["张三", "1-1-101", 78, "是", ""],
              ["李四", "1-1-102", 40, "否", "糖尿病"], ["王五", "1-1-201", 45, "否", ""]]
    path = _log(tmp_path, [["2026-11-21 08:00", name, room, "", "降压药还剩一周", "", "待办理", "", ""]
                           for name, room in (("张三", "1-1-101"), ("李四", "1-1-102"), ("王五", "1-1-201"))]
                + [["2026-11-21 08:00", "张三", "1-1-101", "", "家里没菜了", "", "待办理", "", ""]],
                {"名册": roster})
    frame = triage_requests([path], Settings(), dt.datetime(2026, 11, 21, 9)).requests
    assert frame["urgent"].tolist() == [True, True, False, False]
    assert frame["urgent_reason"].tolist()[:2] == ["78岁、独居，药品", "慢性病，药品"]


def _stops(buildings: dict[str, int], urgent: set[tuple[str, int]] = frozenset()) -> pd.DataFrame:  # type: ignore[assignment]
    rows = [{"key": f"{b}-{n}", "building": b, "unit": str(1 + n % 2), "room": f"{6 - n % 6}0{1 + n % 2}",
             "urgent": (b, n) in urgent} for b, count in buildings.items() for n in range(count)]
    return pd.DataFrame(rows)


def test_rounds_keep_buildings_whole_within_the_size_and_cover_every_stop_once() -> None:
    stops = _stops({"1": 6, "2": 5, "3": 12, "4": 3, "5": 2})
    rounds = plan_rounds(stops, 10, [], [])
    assert [r.buildings for r in rounds] == [["1"], ["2"], ["3"], ["3", "4", "5"]]
    assert [len(r.stops) for r in rounds] == [6, 5, 10, 7]
    keys = [k for r in rounds for k in r.stops["key"]]
    assert sorted(keys) == sorted(stops["key"]) and len(keys) == len(set(keys))


def test_stops_walk_unit_floor_room_and_urgent_go_first() -> None:
    stops = _stops({"7": 6}, urgent={("7", 4)})
    (only,) = plan_rounds(stops, 15, [], [])
    assert only.stops[["unit", "room", "urgent"]].values.tolist() == [
        ["1", "201", True], ["1", "401", False], ["1", "601", False], ["2", "102", False], ["2", "302", False],
        ["2", "502", False]]
    assert only.stops["stop"].tolist() == [1, 2, 3, 4, 5, 6]


def test_rounds_with_urgent_stops_come_first_and_a_route_sets_the_building_order() -> None:
    stops = _stops({"1": 3, "2": 3, "3": 3}, urgent={("1", 0)})
    rounds = plan_rounds(stops, 3, ["3", "2", "1"], [])
    assert [r.buildings for r in rounds] == [["1"], ["3"], ["2"]]


def _given(rounds: list) -> list[tuple[list[str], str | None]]:
    return [(r.buildings, r.volunteer.name if r.volunteer else None) for r in rounds]


def test_rounds_go_to_the_volunteer_of_their_building_else_to_the_least_busy() -> None:
    stops = _stops({"1": 4, "2": 4, "3": 4})
    people = [Volunteer("孙浩", buildings=frozenset({"2"})), Volunteer("周婷"), Volunteer("吴磊")]
    # 2栋 is 孙浩's; then 1栋, which nobody serves: 周婷 and 吴磊 are free and serve no building, so by name
    # (吴 wu before 周 zhou); then 3栋 to 周婷, who has nothing yet
    assert _given(plan_rounds(stops, 4, [], people)) == [(["1"], "吴磊"), (["2"], "孙浩"), (["3"], "周婷")]


def test_least_busy_counts_the_stops_already_given() -> None:
    stops = _stops({"1": 4, "2": 1, "3": 4})
    people = [Volunteer("周婷"), Volunteer("吴磊")]
    # 吴磊 takes 4 stops, 周婷 1; 周婷 has had as many rounds but fewer stops, so 3栋 is hers too
    assert _given(plan_rounds(stops, 4, [], people)) == [(["1"], "吴磊"), (["2"], "周婷"), (["3"], "周婷")]


@pytest.mark.parametrize(("route", "nearest"), [([], "李娜"), (["8", "1", "9"], "张伟")])
def test_a_tie_goes_to_the_volunteer_whose_buildings_are_nearest_in_walking_order(route: list[str],
                                                                                  nearest: str) -> None:
    """Nobody serves 8栋 and nobody is busy yet: by number 9栋 (李娜) is next to it; on a route that walks
    8栋, 1栋, 9栋, 张伟's 1栋 is."""
    people = [Volunteer("张伟", buildings=frozenset({"1"})), Volunteer("李娜", buildings=frozenset({"9"})),
              Volunteer("王磊")]
    assert _given(plan_rounds(_stops({"8": 3}), 5, route, people)) == [(["8"], nearest)]


def test_of_two_volunteers_serving_a_building_the_one_serving_fewer_buildings_takes_it() -> None:
    people = [Volunteer("孙浩然", buildings=frozenset({"1", "2"})), Volunteer("张伟", buildings=frozenset({"1"})),
              Volunteer("李娜", buildings=frozenset({"2"}))]
    assert _given(plan_rounds(_stops({"1": 3, "2": 3, "3": 3}), 3, [], people)) == [
        (["1"], "张伟"), (["2"], "李娜"), (["3"], "孙浩然")]


def test_the_same_rounds_go_to_the_same_volunteers_whatever_the_roster_order() -> None:
    stops = _stops({"1": 5, "2": 3, "4": 6, "7": 2, "9": 4})
    people = [Volunteer("周婷"), Volunteer("吴磊"), Volunteer("孙浩", buildings=frozenset({"4"})),
              Volunteer("张伟", buildings=frozenset({"8"})), Volunteer("陈晨")]
    given = _given(plan_rounds(stops, 5, [], people))
    for order in itertools.permutations(people):
        assert _given(plan_rounds(stops, 5, [], list(order))) == given
    # 4栋's two rounds to 孙浩, who serves it; then nobody is busy but him: 1栋 to 张伟, whose 8栋 is the
    # nearest building anyone serves; 2栋 to the free 陈晨, 9栋 to the free 吴磊 (by name: chen, wu, zhou)
    assert given == [(["1"], "张伟"), (["2"], "陈晨"), (["4"], "孙浩"), (["4", "7"], "孙浩"), (["9"], "吴磊")]


@pytest.mark.parametrize("seed", range(5))
def test_random_rounds_keep_every_rule(seed: int) -> None:
    """Any mix of buildings and urgent stops: no round over the size, every stop in exactly one round, urgent
    stops first in their round, the others in walking order (unit, floor, room)."""
    rng = np.random.default_rng(seed)
    counts = {str(b): int(rng.integers(1, 30)) for b in range(1, int(rng.integers(2, 12)))}
    stops = _stops(counts, urgent={(b, n) for b, c in counts.items() for n in range(c) if rng.random() < 0.1})
    size = int(rng.integers(3, 20))
    rounds = plan_rounds(stops, size, [], [])
    keys = [k for r in rounds for k in r.stops["key"]]
    assert sorted(keys) == sorted(stops["key"]) and len(keys) == len(set(keys))
    for r in rounds:
        assert 1 <= len(r.stops) <= size
        urgent = r.stops["urgent"].tolist()
        assert urgent == sorted(urgent, reverse=True)
        walk = r.stops[~r.stops["urgent"]]
        order = [(int(b), u, int(room) // 100, int(room)) for b, u, room in
                 zip(walk["building"], walk["unit"], walk["room"], strict=True)]
        assert order == sorted(order)


def test_served_buildings_are_read_from_lists_and_ranges() -> None:
    assert parse_buildings("1栋、2号楼,7") == {"1", "2", "7"}
    assert parse_buildings("3-5号楼") == {"3", "4", "5"}


def test_a_day_without_requests_counts_zero_and_the_change_is_day_on_day(tmp_path: Path) -> None:
    path = _log(tmp_path, [["2026-11-19 08:00", "张三", "1-1-101", "", "家里没菜了", "", "待办理", "", ""],
                           ["2026-11-21 08:00", "李四", "1-1-102", "", "想买点米", "", "待办理", "", ""],
                           ["2026-11-21 09:00", "王五", "1-1-201", "", "家里没有鸡蛋了", "", "待办理", "", ""]])
    result = triage_requests([path], Settings(), dt.datetime(2026, 11, 21, 12))
    assert result.by_day["生活物资"].to_dict() == {"2026-11-19": 1, "2026-11-20": 0, "2026-11-21": 2}
    assert result.day_change["生活物资"].tolist() == [0, -1, 2]
