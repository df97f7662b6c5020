"""Form-platform columns are recognised as metadata; the real questions become fields."""

from __future__ import annotations

from pathlib import Path

from exports import write_xlsx
from gridtool.config import Settings
from gridtool.domain.inspect import inspect_files


def test_tencent_collection_columns_are_named_and_the_nickname_is_not_a_name(tmp_path: Path) -> None:
    header = ["提交时间（自动）", "姓名（必填）", "房号（必填）", "体温（必填）", "提交者（自动）"]
    path = write_xlsx(tmp_path / "每日健康打卡（收集结果）.xlsx",
                      {"Sheet1": [header, ["2022/11/21 08:00:00", "甲一", "1-101", "36.5", "小甲🌸"]]})
    source = inspect_files([path], Settings()).sources[0]
    assert source.columns == {"打卡时间": "A「提交时间（自动）」", "姓名": "B「姓名（必填）」", "房号": "C「房号（必填）」",
                              "体温": "D「体温（必填）」", "提交者（平台：微信昵称，不是居民姓名）": "E「提交者（自动）」"}
    assert source.unmapped == []


def test_wjx_metadata_columns_are_not_taken_for_answers(tmp_path: Path) -> None:
    header = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您的姓名 ", "2、房号", "3、今日体温"]
    row = [1, "2022/11/21 8:01:10", "35秒", "微信", "N/A", "1.2.3.4(浙江-杭州)", "甲一", "1-101", "37.3℃及以上"]
    source = inspect_files([write_xlsx(tmp_path / "问卷星.xlsx", {"Sheet1": [header, row]})], Settings()).sources[0]
    assert source.columns == {
        "序号（编号，不读作居民信息）": "A「序号」", "打卡时间": "B「提交答卷时间」", "答题用时（平台）": "C「所用时间」",
        "来源渠道（平台）": "D「来源」", "来源详情（平台）": "E「来源详情」", "IP（平台）": "F「来自IP」",
        "姓名": "G「1、您的姓名」", "房号": "H「2、房号」", "体温": "I「3、今日体温」"}
