"""Exports nobody designed for: random headers, title rows and junk in every cell. followups must either
succeed or stop with a GridtoolError (exit 2); any other exception is a bug."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports import write_xlsx
from gridtool.config import Settings
from gridtool.domain.checkins.followups import followups
from gridtool.errors import GridtoolError

HEADERS = ["姓名", "房号", "楼栋", "单元", "住址", "体温", "今日体温(℃)", "是否有症状", "打卡时间", "日期", "网格员", "电话",
           "状态", "是否打卡", "备注", "序号"]
JUNK = [None, "", " ", "—", "未打卡", "已打卡", "是", "否", "36.5", "36.5℃", "３７．６", "365", "正常", "咳嗽", "8:30",
        "2026/11/21 08:30", "11月21日", 0.35, 46347.4, 36.6, 13800138000, "3-2-502", "3栋2单元502室", "=SUM(1,2)",
        "张三", "李四", "王芳", "外出", "住院", "abc", "[1]", "{{x}}", "１０１", -5, 0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7, unique=True),
       rows=st.lists(st.lists(st.sampled_from(JUNK), min_size=7, max_size=7), max_size=8),
       title=st.booleans(), sheet=st.sampled_from(["Sheet1", "11月21日", "打卡"]))
def test_followups_never_crashes(tmp_path_factory, headers, rows, title, sheet) -> None:
    folder = tmp_path_factory.mktemp("messy")
    table = ([["某社区健康打卡表"]] if title else []) + [headers] + [row[: len(headers)] for row in rows]
    path = write_xlsx(folder / "export.xlsx", {sheet: table})
    try:
        result = followups([path], Settings(), today=dt.date(2026, 11, 23))
    except GridtoolError as exc:
        assert exc.message
        return
    assert result.counts["residents"] >= result.counts["missing"]
    assert set(result.flagged.columns) >= {"name", "reasons", "key"}


STOCK_HEADERS = ["物资名称", "规格", "单位", "当前库存", "预警值", "日均消耗", "到货天数", "每箱数量", "日期", "类型", "数量",
                 "入库", "出库", "领用楼栋"]
STOCK_JUNK = [None, "", "口罩", "N95口罩", "口罩(N95)", "消毒液", 0, -3, 100, "100个", "一百", 3.5, "入库", "出库", "退回",
              "2026-11-20", "昨天", 46347, "1栋", "3号楼", "=1+1", "  "]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=st.lists(st.sampled_from(STOCK_HEADERS), min_size=1, max_size=8, unique=True),
       rows=st.lists(st.lists(st.sampled_from(STOCK_JUNK), min_size=8, max_size=8), max_size=8))
def test_stock_never_crashes(tmp_path_factory, headers, rows) -> None:
    from gridtool.domain.stock.check import check_stock

    folder = tmp_path_factory.mktemp("messy-stock")
    path = write_xlsx(folder / "stock.xlsx", {"Sheet1": [headers] + [row[: len(headers)] for row in rows]})
    try:
        result = check_stock([path], Settings(), today=dt.date(2026, 11, 23))
    except GridtoolError as exc:
        assert exc.message
        return
    assert set(result.items["status"]) <= {"out_of_stock", "below_threshold", "running_low", "ok"}
