"""Platform exports that cannot give a day's answer stop with exit 2 and write nothing."""

from __future__ import annotations

from pathlib import Path

from exports import write_xlsx
from hostile.conftest import assert_handled, run_gridtool

LOG = [["序号", "提交答卷时间", "1、您的姓名", "2、房号", "3、今日体温"],
       [1, "2022/11/18 8:01:10", "甲一", "1-101", "36.5"], [2, "2022/11/19 8:01:00", "甲一", "1-101", "36.6"]]


def test_a_date_outside_the_files_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "社区每日健康打卡_数据_20221120.xlsx", {"Sheet1": LOG})
    run = run_gridtool("followups", path, "--date", "2022-11-22", "--out", tmp_path / "out")
    assert_handled(run, codes=(2,), mentions="数据包含的日期：11月18日、11月19日")
    assert not (tmp_path / "out").exists()


def test_a_roster_as_the_check_in_file_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "居民名册.xlsx", {"名册": [["姓名", "楼栋", "房号", "电话"], ["甲一", "1", "101", "13800000001"]]})
    run = run_gridtool("followups", path, "--out", tmp_path / "out")
    assert_handled(run, codes=(2,), mentions="看起来是居民名册")
    assert not (tmp_path / "out").exists()


def test_a_stock_report_where_every_row_was_rejected_exits_2(tmp_path: Path) -> None:
    rows = [["日期", "物资名称", "类型", "数量"], ["2022-11-20", "口罩", "调拨", "100"], ["2022-11-21", "消毒液", "退回", "5"]]
    path = write_xlsx(tmp_path / "出入库记录.xlsx", {"Sheet1": rows})
    run = run_gridtool("stock", path, "--out", tmp_path / "out")
    assert_handled(run, codes=(2,), mentions="都无法读取")
    assert not (tmp_path / "out").exists()
