from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from exports import write_xlsx
from gridtool.cli import app
from gridtool.config import Settings
from gridtool.domain.sources import load_sources
from gridtool.domain.stock.allocation import fairness, plan
from gridtool.domain.stock.check import evaluate_items, logged_totals, reorder
from gridtool.domain.stock.levels import duplicate_key, movement_rows, possible_duplicates, read_number
from libreoffice import needs_libreoffice, recalculated

DAY = dt.date(2026, 11, 21)
NAN = math.nan


def _inventory(**item: float) -> pd.DataFrame:
    row = {"item": "口罩", "stock": 100.0, "threshold": NAN, "daily_use": NAN, "lead_time": NAN, "pack": NAN,
           "spec": "", "unit_of": "个", **item}
    return pd.DataFrame([row])


NO_MOVES = pd.DataFrame(columns=["item", "date", "change", "building"])


@pytest.mark.parametrize("item, status, days_left", [
    ({"stock": 0.0, "threshold": 10.0}, "out_of_stock", NAN),
    ({"stock": 10.0, "threshold": 10.0}, "ok", NAN),                      # exactly at the threshold is not below
    ({"stock": 9.0, "threshold": 10.0}, "below_threshold", NAN),
    ({"stock": 30.0, "daily_use": 10.0, "lead_time": 3.0}, "ok", 3.0),   # days left equal to the lead time
    ({"stock": 29.0, "daily_use": 10.0, "lead_time": 3.0}, "running_low", 2.9),
    ({"stock": 5.0, "threshold": 10.0, "daily_use": 10.0, "lead_time": 3.0}, "below_threshold", 0.5),
    ({"stock": 50.0, "daily_use": 0.0}, "ok", NAN),                       # zero use: no days left figure
    ({"stock": 50.0}, "ok", NAN),                                         # unknown use
])
def test_status_boundaries(item: dict, status: str, days_left: float) -> None:
    [result] = evaluate_items(_inventory(**item), NO_MOVES, DAY, 7, Settings()).to_dict("records")
    assert result["status"] == status
    assert (math.isnan(result["days_left"]) and math.isnan(days_left)) or result["days_left"] == days_left


def test_default_lead_time_from_settings() -> None:
    [result] = evaluate_items(_inventory(stock=30.0, daily_use=10.0), NO_MOVES, DAY, 7,
                              Settings(lead_time=4)).to_dict("records")
    assert (result["lead_time"], result["status"]) == (4.0, "running_low")


def test_balance_and_daily_use_from_the_log() -> None:
    moves = [("口罩", dt.date(2026, 11, 1), 1000.0, ""), ("口罩", dt.date(2026, 11, 10), -300.0, "1")]
    moves += [("口罩", DAY - dt.timedelta(days=d), -20.0, "1") for d in range(7)]      # inside the window
    moves += [("口罩", DAY + dt.timedelta(days=1), -500.0, "1")]                       # after --date: ignored
    moves += [("手套", dt.date(2026, 11, 1), 50.0, "")]                                 # logged, never used
    frame = pd.DataFrame(moves, columns=["item", "date", "change", "building"])
    empty = pd.DataFrame(columns=_inventory().columns)
    items = evaluate_items(empty, frame, DAY, 7, Settings()).set_index("item")
    assert items.loc["口罩", "stock"] == 1000 - 300 - 140
    assert items.loc["口罩", "daily_use"] == 20.0 and items.loc["口罩", "days_left"] == 28.0
    assert items.loc["手套", "daily_use"] == 0.0 and math.isnan(items.loc["手套", "days_left"])


def test_logged_totals_merge_spellings_and_name_an_item_as_first_logged() -> None:
    moves = [("口罩（N95）", DAY + dt.timedelta(days=1), 7.0, ""),                     # after the day: not yet logged
             ("手套", DAY - dt.timedelta(days=9), 40.0, ""), ("口罩(N95)", DAY - dt.timedelta(days=8), 100.0, ""),
             ("口罩（N95）", DAY - dt.timedelta(days=6), -30.0, "1"), ("手套", DAY, -4.0, "2"),
             ("口罩 (N95)", DAY, -5.0, "1"), ("手套", DAY, 3.0, "")]
    frame = pd.DataFrame(moves, columns=["item", "date", "change", "building"]).astype({"item": object, "date": object})
    balance, outflow, names = logged_totals(frame, DAY, 7)
    assert balance.to_dict() == {"手套": 39.0, "口罩n95": 65.0}
    assert outflow.to_dict() == {"口罩n95": -35.0, "手套": -4.0}
    assert names.tolist() == ["手套", "口罩(N95)", "口罩（N95）", "口罩 (N95)"]


def test_a_messy_log_is_judged_row_by_row(tmp_path: Path) -> None:
    """Each distinct text is parsed once; every row still gets its own value, and every bad row its problem."""
    log = [["幸福里出入库登记"], ["日期", "物资名称", "类型", "数量", "领用楼栋", "经办人"],
           [dt.datetime(2026, 11, 20), " 医用口罩 ", "出库", 5, "3号楼", "王"], ["11月20日", "医用口罩", " 领用", "300个", "三栋"],
           ["2026/11/21", "Ｎ95口罩", "入库", "１,200"], ["下周", "口罩", "出库", 5, "1栋"], ["2026-11-20", "口罩", "退货", 5],
           ["2026-11-20", None, "出库", 5], ["2026-11-20", "口罩", "出库", "五"], ["2026-11-20", "口罩", "出库", -3],
           ["2026-11-20", "口罩", None, 4], ["2026-11-20", "口罩", "采购", None], [46346, "口罩", "捐赠", 7.5, "2#"],
           ["20261119", "手套", "发放", "12 个", "十二栋"], [], ["2026-11-22", "手套", "调入", " 30 ", "A座"],
           ["注：以上为本周记录"]]
    inout = [["日期", "物资名称", "入库数量", "出库数量", "领用楼栋"], ["2026-11-18", "消毒液", 40, None],
             ["2026-11-19", "消毒液", None, 15, "5栋"], ["2026-11-19", "消毒液", "十", None],
             ["2026-11-20", "消毒液", 3, 2, "5栋"], ["bad", "消毒液", 1]]
    register = [["日期", "物资名称", "数量"], ["11月19日", "口罩", 9]]
    path = write_xlsx(tmp_path / "物资.xlsx", {"出入库": log, "台账": inout, "出库登记": register})
    [log_table, inout_table, register_table] = load_sources([path], Settings()).tables["movements"]
    rows, problems = movement_rows(log_table, 2026)
    assert rows.to_dict("split")["data"] == [
        ["医用口罩", dt.date(2026, 11, 20), -5.0, "3"], ["医用口罩", dt.date(2026, 11, 20), -300.0, "3"],
        ["N95口罩", dt.date(2026, 11, 21), 1200.0, ""], ["口罩", dt.date(2026, 11, 20), 7.5, "2"],
        ["手套", dt.date(2026, 11, 19), -12.0, "12"], ["手套", dt.date(2026, 11, 22), 30.0, "A"]]
    assert list(rows.dtypes.astype(str)) == ["object", "object", "float64", "object"]
    assert [(p.row, p.column, p.type, p.value, p.item) for p in problems] == [
        (6, "A", "stock_bad_date", "下周", "口罩"), (7, "C", "stock_bad_direction", "5", "口罩"),
        (8, "B", "stock_no_item", "5", ""), (9, "D", "stock_quantity_not_a_number", "五", "口罩"),
        (10, "D", "stock_negative_quantity", "-3", "口罩"), (11, "C", "stock_bad_direction", "4", "口罩"),
        (12, "D", "stock_quantity_not_a_number", "采购", "口罩")]
    rows, problems = movement_rows(inout_table, 2026)
    assert rows["change"].tolist() == [40.0, -15.0, 1.0] and rows["building"].tolist() == ["", "5", "5"]
    assert [(p.row, p.type, p.value) for p in problems] == [(4, "stock_quantity_not_a_number", ""),
                                                            (6, "stock_bad_date", "bad")]
    rows, problems = movement_rows(register_table, 2026)
    assert rows.to_dict("split")["data"] == [["口罩", dt.date(2026, 11, 19), -9.0, ""]] and problems == []


@pytest.mark.parametrize("use, lead, stock, pack, threshold, expected", [
    (10.0, 5.0, 40.0, 12.0, NAN, 84.0), (10.0, 5.0, 40.0, NAN, NAN, 80.0), (3.3, 3.0, 0.0, NAN, NAN, 33.0),
    (10.0, 3.0, 500.0, 50.0, NAN, 0.0), (NAN, 3.0, 40.0, 20.0, 100.0, 60.0), (NAN, 3.0, 40.0, NAN, NAN, None),
    (100.0, 3.0, 300.0, 50.0, 500.0, 700.0),
])
def test_reorder(use, lead, stock, pack, threshold, expected) -> None:
    assert reorder(use, lead, 7.0, stock, pack, threshold) == expected


def test_numbers_and_duplicate_names() -> None:
    assert [read_number(t) for t in ("300", "300个", "1,200", "３００", "-5", "一百", "")] == \
        [300.0, 300.0, 1200.0, 300.0, -5.0, None, None]
    assert duplicate_key("口罩(N95)") == duplicate_key("N95口罩") == duplicate_key("n95 口罩")
    assert possible_duplicates(["N95口罩", "医用口罩", "口罩（N95）", "N95口罩"]) == [("N95口罩", "口罩（N95）")]


MOVES = pd.DataFrame([("口罩", DAY, -100.0, "1"), ("口罩", DAY, -50.0, "2"),
                      ("口罩", DAY - dt.timedelta(days=9), -999.0, "3")],
                     columns=["item", "date", "change", "building"])
HOMES = pd.Series({"1": 50, "2": 50, "3": 25})


def test_allocation_flags_buildings_below_the_share() -> None:
    table = fairness(MOVES, HOMES, DAY, 7, 0.7).set_index("building")
    assert table["per_household"].to_dict() == {"1": 2.0, "2": 1.0, "3": 0.0}
    assert table["share"].to_dict() == {"1": 1.667, "2": 0.833, "3": 0.0}
    assert table["below"].to_dict() == {"1": False, "2": False, "3": True}


@pytest.mark.parametrize("quantity, planned", [(100, [0, 50, 50]), (1000, [360, 410, 230]), (7, [0, 0, 7]),
                                               (101, [1, 50, 50])])
def test_plan_evens_out_per_household_totals(quantity: int, planned: list[int]) -> None:
    result = plan(quantity, "口罩", MOVES, HOMES, DAY, 7)
    assert result["planned"].tolist() == planned and result["planned"].sum() == quantity


def _run(runner, example_dir: Path, out: Path, *extra: str):
    return runner.invoke(app, ["stock", str(example_dir / "物资库存.xlsx"), str(example_dir / "出入库记录.xlsx"),
                               "--roster", str(example_dir / "居民名册.xlsx"), "--out", str(out), "--json", *extra])


def test_examples_show_every_status_and_the_json_contract(runner, example_dir: Path, tmp_path: Path) -> None:
    result = _run(runner, example_dir, tmp_path, "--plan", "600", "医用口罩")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["date"] == "2026-11-21"
    statuses = {i["item"]: i["status"] for i in record["items"]}
    assert statuses == {"N95口罩": "out_of_stock", "医用口罩": "below_threshold", "消毒液": "running_low",
                        "体温计": "ok", "抗原试剂": "ok"}
    masks = next(i for i in record["items"] if i["item"] == "医用口罩")
    assert masks == {"item": "医用口罩", "unit": "个", "stock": 300.0, "threshold": 500.0, "daily_use": 100.0,
                     "days_left": 3.0, "lead_time": 3.0, "status": "below_threshold", "reorder": 700.0}
    assert [a for a in record["allocation"] if a["below"]][0]["building"] == "2"
    assert sum(p["planned"] for p in record["plan"]) == 600
    assert record["problems"] == []


def test_conditional_formatting_and_formulas_as_stored(runner, example_dir: Path, tmp_path: Path) -> None:
    _run(runner, example_dir, tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "库存预警.xlsx")["库存预警"]
    rules = {str(rng.sqref): [(r.type, r.formula[0], r.stopIfTrue, r.dxf.fill.bgColor.rgb)
                              for r in rng.rules] for rng in sheet.conditional_formatting}
    expected = [("expression", "OR($D5<=0,AND(ISNUMBER($E5),$D5<$E5))", True, "FFFFC7CE"),
                ("expression", "AND(ISNUMBER($F5),$F5>0,$D5/$F5<$H5)", True, "FFFFE0B2"),
                ("expression", "ISNUMBER($D5)", True, "FFC6EFCE")]
    assert rules == {"D5:E9": expected, "J5:J9": expected}
    assert sheet["J5"].value.startswith("=IF(D5<=0,\"缺货\"")
    values = openpyxl.load_workbook(tmp_path / "库存预警.xlsx", data_only=True)["库存预警"]
    assert [values[f"J{r}"].value for r in range(5, 10)] == ["缺货", "低于预警", "即将不足", "正常", "正常"]
    assert [values[f"K{r}"].value for r in range(5, 10)] == [120, 700, 84, 0, 0]


@pytest.mark.libreoffice
@needs_libreoffice
def test_typing_a_new_stock_figure_recalculates(runner, example_dir: Path, tmp_path: Path) -> None:
    _run(runner, example_dir, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "库存预警.xlsx")
    book["库存预警"]["D6"] = 1000  # 医用口罩 restocked
    book["库存预警"]["D7"] = 0     # 消毒液 used up
    book.save(tmp_path / "edited.xlsx")
    sheet = openpyxl.load_workbook(recalculated(tmp_path / "edited.xlsx", tmp_path / "lo"), data_only=True)["库存预警"]
    assert [sheet[f"J{r}"].value for r in range(5, 10)] == ["缺货", "正常", "缺货", "正常", "正常"]
    assert [sheet[f"K{r}"].value for r in range(5, 10)] == [120, 0, 120, 0, 0]
    assert sheet["G6"].value == 10


@pytest.mark.parametrize("level, code", [("out_of_stock", 3), ("below_threshold", 3), ("running_low", 3),
                                         ("缺货", 3), ("低于预警", 3), ("即将不足", 3)])
def test_fail_on_exits_3_at_or_worse(runner, example_dir: Path, tmp_path: Path, level: str, code: int) -> None:
    assert _run(runner, example_dir, tmp_path, "--fail-on", level).exit_code == code


def test_fail_on_passes_when_all_is_well(runner, tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "库存.xlsx", {"库存": [["物资名称", "库存", "预警值"], ["口罩", 500, 100]]})
    result = runner.invoke(app, ["stock", str(good), "--out", str(tmp_path), "--fail-on", "running_low"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["stock", str(good), "--out", str(tmp_path), "--fail-on", "即将不足"]).exit_code == 0
    bad = runner.invoke(app, ["stock", str(good), "--out", str(tmp_path), "--fail-on", "soon"])
    assert bad.exit_code == 2 and "--fail-on" in bad.stderr


def test_bad_input_is_reported_by_cell_never_as_zero(runner, tmp_path: Path) -> None:
    inventory = [["物资名称", "当前库存", "预警值"], ["口罩", "一百", 10], ["手套", -5, 10], ["酒精", 20, "很多"],
                 [None, 5, 1]]
    log = [["日期", "物资名称", "类型", "数量"], ["2026-11-20", "口罩", "出库", 5], ["下周", "口罩", "出库", 5],
           ["2026-11-20", "口罩", "退货", 5], ["2026-11-20", None, "出库", 5], ["2026-11-20", "口罩", "出库", "五"]]
    path = write_xlsx(tmp_path / "物资.xlsx", {"库存": inventory, "出入库": log})
    result = runner.invoke(app, ["stock", str(path), "--out", str(tmp_path / "out"), "--json"])
    record = json.loads(result.stdout)
    assert {i["item"] for i in record["items"]} == {"酒精", "口罩"}  # 口罩 appears through its log rows
    cells = [(p["sheet"], p["column"], p["row"], p["item"]) for p in record["problems"]]
    assert cells == [("库存", "B", 2, "口罩"), ("库存", "B", 3, "手套"), ("库存", "A", 5, ""), ("库存", "C", 4, "酒精"),
                     ("出入库", "A", 3, "口罩"), ("出入库", "C", 4, "口罩"), ("出入库", "B", 5, ""),
                     ("出入库", "D", 6, "口罩")]


def test_no_stock_table_is_an_input_error(runner, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": [["姓名", "房号"], ["张三", "101"]]})
    result = runner.invoke(app, ["stock", str(path)])
    assert result.exit_code == 2 and "没有找到库存表或出入库记录" in result.stderr


def test_the_terminal_table_fits_80_columns_without_cutting_a_word(example_dir: Path, tmp_path: Path,
                                                                    runner) -> None:
    from rich.cells import cell_len

    from gridtool.cli import show

    assert show.console.width == 80  # no terminal under the test runner: rich's default width
    result = runner.invoke(app, ["stock", str(example_dir / "物资库存.xlsx"), str(example_dir / "出入库记录.xlsx"),
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("已写入")[0].splitlines()  # the table, not the (long) output path
    assert max(cell_len(line) for line in lines) <= 80
    assert "…" not in result.stdout
    header = next(line for line in lines if "预警值" in line)
    assert header.split() == ["物资", "库存", "预警值", "日均消耗", "可用天数", "到货天数", "状态", "建议采购"]
    for status in ("缺货", "低于预警", "即将不足", "正常"):
        assert status in result.stdout


def test_registers_split_by_direction_read_their_direction_from_the_sheet(tmp_path: Path, runner) -> None:
    """入库登记 and 出库登记 on separate sheets, with no 类型 column (a common hand-kept register)."""
    path = write_xlsx(tmp_path / "物资登记.xlsx", {
        "入库登记": [["日期", "物资名称", "数量", "经办人"], ["2026-11-18", "医用口罩", 500, "王芳"]],
        "出库登记": [["日期", "物资名称", "数量", "领用楼栋"], ["2026-11-19", "医用口罩", 120, "1栋"],
                     ["2026-11-20", "医用口罩", 80, "2栋"]],
    })
    result = runner.invoke(app, ["stock", str(path), "--out", str(tmp_path / "out"), "--date", "2026-11-20", "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    [item] = record["items"]
    assert (item["item"], item["stock"]) == ("医用口罩", 300.0) and record["problems"] == []


def test_a_register_sheet_that_names_no_direction_is_reported_row_by_row(tmp_path: Path, runner) -> None:
    path = write_xlsx(tmp_path / "登记.xlsx", {"登记": [["日期", "物资名称", "数量"], ["2026-11-18", "口罩", 5]]})
    result = runner.invoke(app, ["stock", str(path), "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 2 and "出入库类型" in result.output


def test_in_and_out_quantity_columns_need_no_type_column(tmp_path: Path, runner) -> None:
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": [["日期", "物资名称", "入库数量", "出库数量"],
                                                      ["2026-11-18", "消毒液", 40, None], ["2026-11-19", "消毒液", None, 15]]})
    result = runner.invoke(app, ["stock", str(path), "--out", str(tmp_path / "out"), "--date", "2026-11-19", "--json"])
    assert result.exit_code == 0, result.output
    assert [(i["item"], i["stock"]) for i in json.loads(result.stdout)["items"]] == [("消毒液", 25.0)]
