from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from exports import write_xlsx
from gridtool.cli import app
from gridtool.config import RequestSettings, Settings
from gridtool.domain.loop.leader_view import leader_wording
from gridtool.domain.loop.tasks import door_order, followup_action, paper_notices
from gridtool.domain.requests.rules import rules_from

CHECKINS = [["姓名", "楼栋", "单元", "房号", "体温", "是否有症状", "打卡时间", "电话"],
            ["甲", "3", "1", "502", None, None, "未打卡", "13800000001"],
            ["乙", "3", "1", "101", 38.4, "否", "8:00", "13800000002"],
            ["丙", "3", "2", "201", 36.5, "咳嗽", "8:00", "13800000003"],
            ["丁", "3", "1", "1201", None, None, "未打卡", "13800000004"],
            ["戊", "4", "1", "101", None, None, "未打卡", "13800000005"],
            ["己", "3", "1", "301", 36.5, "否", "8:00", "13800000006"]]
ROSTER = [["姓名", "楼栋", "单元", "房号", "出生日期", "身份证号", "独居", "慢性病"],
          ["甲", "3", "1", "502", "1990-01-01", "", "否", ""],
          ["乙", "3", "1", "101", "", "", "", ""],
          ["丙", "3", "2", "201", "", "", "", ""],
          ["丁", "3", "1", "1201", "", "", "", ""],
          ["戊", "4", "1", "101", "", "", "", ""],
          ["己", "3", "1", "301", "", "110101194001011234", "是", "高血压"]]
ASSIGN = [["楼栋", "单元", "楼栋长", "电话", "网格员"], ["3号楼", "", "赵大爷", "13900000003", "王芳"],
          ["4号楼", "", "钱阿姨", "13900000004", "李强"]]
REQUESTS = [["姓名", "住址", "诉求内容", "办理状态"], ["乙", "3-1-101", "买菜", "待办理"],
            ["丙", "3-2-201", "送药", "已办结"], ["戊", "4-1-101", "修水管", ""]]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "checkins": write_xlsx(tmp_path / "11月21日打卡.xlsx", {"打卡": CHECKINS}),
        "roster": write_xlsx(tmp_path / "名册.xlsx", {"名册": ROSTER}),
        "assign": write_xlsx(tmp_path / "分工.xlsx", {"分工": ASSIGN}),
        "requests": write_xlsx(tmp_path / "诉求.xlsx", {"诉求": REQUESTS}),
    }


def _run(runner, files: dict[str, Path], out: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["tasks", str(files["checkins"]), "--roster", str(files["roster"]),
                                 "--assignments", str(files["assign"]), "--requests", str(files["requests"]),
                                 "--out", str(out), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_one_sheet_per_building_in_door_order_for_its_leader(runner, files, tmp_path: Path) -> None:
    record = _run(runner, files, tmp_path / "out")
    assert record["buildings"] == {
        "3栋": {"building": "3", "unit": "", "leader": "赵大爷", "worker": "王芳", "items": 6, "followups": 4,
                "requests": 1, "notices": 1},
        "4栋": {"building": "4", "unit": "", "leader": "钱阿姨", "worker": "李强", "items": 2, "followups": 1,
                "requests": 1, "notices": 0},
    }
    book = openpyxl.load_workbook(tmp_path / "out" / "楼栋任务_3栋_2026-11-21.xlsx")
    sheet = book["楼栋任务"]
    assert sheet["A1"].value == "3栋 楼栋任务单 2026年11月21日"
    assert sheet["A2"].value == "楼栋长：赵大爷 13900000003　网格员：王芳"
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int | float)]
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        ("1", "101", "乙*", "请提醒/协助联系"), ("1", "101", "乙*", "代购生活物资"),
        ("1", "301", "己*", "送纸质通知"), ("1", "502", "甲*", "请提醒/协助联系"),
        ("1", "1201", "丁*", "请提醒/协助联系"), ("2", "201", "丙*", "请提醒/协助联系")]
    texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    for private in ("38.4", "咳嗽", "13800000002", "体温"):
        assert private not in texts  # the building leader gets the task, not the health record
    assert "楼栋长签字" in texts
    assert all(c.font.sz >= 14 for row in sheet.iter_rows(min_row=3) for c in row if c.value)
    assert sheet.page_setup.orientation == "portrait" and sheet.page_setup.paperSize == 9
    assert "3栋 楼栋任务单 2026年11月21日" in sheet.oddHeader.center.text
    assert sheet.column_dimensions["I"].hidden and book["_gridtool"].sheet_state == "hidden"


@pytest.mark.parametrize("how", ["flag", "toml"])
def test_full_names_when_the_community_decides_so(runner, files, tmp_path: Path, how: str) -> None:
    config = tmp_path / "gridtool.toml"
    config.write_text("[tasks]\nfull_names = true\n", encoding="utf-8")
    _run(runner, files, tmp_path / "out", *(["--full-names"] if how == "flag" else ["--config", str(config)]))
    sheet = openpyxl.load_workbook(tmp_path / "out" / "楼栋任务_3栋_2026-11-21.xlsx")["楼栋任务"]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int | float)]
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        ("1", "101", "乙", "请协助网格员上门了解情况"), ("1", "101", "乙", "诉求：买菜"),
        ("1", "301", "己", "送纸质通知（独居老人）"), ("1", "502", "甲", "提醒打卡"),
        ("1", "1201", "丁", "提醒打卡"), ("2", "201", "丙", "请协助网格员上门了解情况")]


def test_a_wrong_full_names_setting_is_an_input_error(runner, files, tmp_path: Path) -> None:
    config = tmp_path / "gridtool.toml"
    config.write_text('[tasks]\nfull_names = "也许"\n', encoding="utf-8")
    result = runner.invoke(app, ["tasks", str(files["checkins"]), "--config", str(config)])
    assert result.exit_code == 2
    assert f"配置文件 {config} 的 full_names：「也许」不是有效的值（应为true 或 false）。" in result.stderr


@pytest.mark.parametrize("text, category", [
    ("送降压药", "代购药品"), ("去医院复诊", "就医协助"), ("买菜", "代购生活物资"), ("家里水管漏水", "其他求助（详情问网格员）"),
    ("最近失眠焦虑", "心理疏导"), ("想问问政策", "解答咨询"), ("不需要买菜了，想问问解封时间", "解答咨询"),
])
def test_requests_are_shown_by_category(text: str, category: str) -> None:
    """The building sheet names a request by the same categoriser `gridtool requests` uses."""
    items = pd.DataFrame({"key": ["k1"], "kind": ["request"], "name": ["张三丰"], "action": [f"诉求：{text}"]})
    shown = leader_wording(items, b"secret", rules_from(Settings()))
    assert shown[["shown_name", "shown_action"]].values.tolist() == [["张*丰", category]]


def test_a_category_the_community_added_names_requests_on_building_sheets() -> None:
    repair = RequestSettings(categories=(("物业维修", ("漏水", "水管", "马桶")),))
    items = pd.DataFrame({"key": ["k1", "k2", "k3"], "kind": ["request", "request", "followup"],
                          "name": ["甲", "乙", "丙"], "action": ["诉求：家里水管漏水", "诉求：帮忙买菜", "提醒打卡"]})
    shown = leader_wording(items, b"secret", rules_from(Settings(requests=repair)))
    assert shown["shown_action"].tolist() == ["物业维修诉求", "代购生活物资", "请提醒/协助联系"]


@pytest.mark.parametrize("by", ["unit", "单元"])
def test_by_unit(runner, files, tmp_path: Path, by: str) -> None:
    record = _run(runner, files, tmp_path / "out", "--by", by)
    assert sorted(record["buildings"]) == ["3栋1单元", "3栋2单元", "4栋1单元"]
    assert record["buildings"]["3栋2单元"]["items"] == 1


def test_a_ticked_building_sheet_is_collected(runner, files, tmp_path: Path) -> None:
    _run(runner, files, tmp_path / "out")
    path = tmp_path / "out" / "楼栋任务_4栋_2026-11-21.xlsx"
    book = openpyxl.load_workbook(path)
    book["楼栋任务"]["F4"] = "√"
    book.save(tmp_path / "ticked.xlsx")
    result = runner.invoke(app, ["collect", str(tmp_path / "ticked.xlsx"), "--out", str(tmp_path / "out"), "--json"])
    record = json.loads(result.stdout)  # the log tasks entered all 8 items in, of which one is done now
    assert (record["rows"], record["done"], record["problems"]) == (8, 1, [])
    assert (record["by_building"]["4"]["total"], record["by_building"]["4"]["done"]) == (2, 1)


def test_followup_actions_carry_no_health_detail() -> None:
    assert followup_action({"missing": True, "missing_days": 3}) == "提醒打卡（已连续3天未打卡）"
    assert followup_action({"fever": True}) == "请协助网格员上门了解情况"
    assert followup_action({"kind": "carried"}) == "协助网格员跟进（前一天未办结）"


def test_paper_notices_for_elderly_living_alone() -> None:
    people = pd.DataFrame({
        "person_key": ["a", "b", "c", "d"], "name": list("abcd"), "alone": [True, True, False, True],
        "birth": [dt.date(1950, 1, 1), None, dt.date(1940, 1, 1), dt.date(1957, 6, 1)],
        "age_given": [float("nan"), 80.0, float("nan"), float("nan")], "exempt": [False, False, False, False],
    })
    chosen = paper_notices(people, dt.date(2026, 11, 21), Settings(elderly_age=70))
    assert chosen["name"].tolist() == ["a", "b"]  # d turns 70 only in 2027


def test_door_order_floors_before_rooms() -> None:
    items = pd.DataFrame({"unit": ["1", "1", "1", "2"], "room": ["1201", "302", "101", "101"],
                          "kind": ["followup"] * 4, "name": list("abcd")})
    assert door_order(items)["room"].tolist() == ["101", "302", "1201", "101"]


def test_bad_by_option(runner, files, tmp_path: Path) -> None:
    result = runner.invoke(app, ["tasks", str(files["checkins"]), "--by", "floor"])
    assert result.exit_code == 2 and "--by" in result.stderr


def _cells(path: Path, visible_only: bool = True) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for s in book.worksheets if s.sheet_state == "visible" or not visible_only
                     for row in s.iter_rows() for c in row if c.value is not None)


def test_building_sheets_say_nothing_private_by_default(runner, example_dir: Path, tmp_path: Path) -> None:
    rows = list(openpyxl.load_workbook(example_dir / "居民名册.xlsx").worksheets[0].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if "姓名" in r)
    name, phone = rows[top].index("姓名"), next(i for i, h in enumerate(rows[top]) if h and "电话" in h)
    names = [r[name] for r in rows[top + 1:] if r[name]]
    phones = [str(r[phone]) for r in rows[top + 1:] if r[phone]]
    requests = [r[4] for r in openpyxl.load_workbook(example_dir / "居民诉求.xlsx").worksheets[0].iter_rows(
        min_row=3, values_only=True) if r[4]]
    record = _run_examples(runner, example_dir, tmp_path / "out")
    sheets = [Path(f) for f in record["files"] if Path(f).name.startswith("楼栋任务_")]
    assert len(sheets) == 2 and len(names) == 120 and len(requests) >= 3
    for sheet in sheets:
        text = _cells(sheet)
        assert [n for n in names if len(n) > 1 and n in text] == []
        assert [p for p in phones if p in text] == []
        assert [r for r in requests if r in text] == []
        for private in ("℃", "体温", "高热", "症状", "咳嗽", "诉求：", "独居", "老人", "上门了解情况"):
            assert private not in text, (sheet.name, private)
    texts = [_cells(s) for s in sheets]
    assert sum(t.count("请提醒/协助联系") for t in texts) == sum(
        b["followups"] for b in record["buildings"].values())


def _run_examples(runner, example_dir: Path, out: Path) -> dict:
    result = runner.invoke(app, ["tasks", str(example_dir / "打卡记录.xlsx"), "--roster",
                                 str(example_dir / "居民名册.xlsx"), "--requests", str(example_dir / "居民诉求.xlsx"),
                                 "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_building_books_shared_between_two_processes_are_the_same(runner, files, tmp_path: Path, monkeypatch) -> None:
    from gridtool.output import second_process, task_books

    def books(out: Path) -> dict[str, list]:
        written = _run(runner, files, out)["files"]
        sheets = {Path(f).name: openpyxl.load_workbook(f).worksheets[0] for f in written}
        # the hidden 编号 column is a key made with this output folder's own secret: everything else must match
        return {name: [row[:-1] for row in sheet.iter_rows(values_only=True)] for name, sheet in sheets.items()}

    alone = books(tmp_path / "one")
    monkeypatch.setattr(task_books, "PARALLEL_ITEMS", 0)
    assert books(tmp_path / "two") == alone
    monkeypatch.setattr(second_process, "STANDBY_BYTES", 0)  # started before reading, shared out after
    assert books(tmp_path / "three") == alone
    assert len(alone) >= 2


def test_items_entered_in_the_log_by_the_second_process_are_those_entered_here(runner, files, tmp_path: Path,
                                                                               monkeypatch) -> None:
    from gridtool.domain.loop.logread import load_log
    from gridtool.output import task_books

    def entered(out: Path) -> list[tuple]:
        record = _run(runner, files, out)
        frame = load_log(Path(record["log"]))[0]
        assert all(Path(f).exists() for f in record["files"])
        return sorted(zip(frame["name"], frame["kind"], frame["date"], frame["reason"], frame["building"], strict=True))

    alone = entered(tmp_path / "one")
    monkeypatch.setattr(task_books, "PARALLEL_ITEMS", 0)
    assert entered(tmp_path / "two") == alone
    assert len(alone) >= 3


def _shown_books(out: Path) -> dict[str, dict[str, object]]:
    """What each building book shows and how it prints, sheet by sheet (the legend's lines in any order)."""
    shown = {}
    for path in sorted(out.glob("楼栋任务_*.xlsx")):
        book = openpyxl.load_workbook(path)
        sheet = book["楼栋任务"]
        [validation] = sheet.data_validations.dataValidation
        shown[path.name] = {
            "cells": [list(row) for row in sheet.iter_rows(values_only=True)],
            "merged": sorted(str(m) for m in sheet.merged_cells.ranges), "area": sheet.print_area,
            "heights": [sheet.row_dimensions[r].height for r in range(3, sheet.max_row + 1)],
            "widths": [(i, "hidden" if d.hidden else round(d.width, 2)) for d in sheet.column_dimensions.values()
                       for i in range(d.min, d.max + 1)],
            "print": (sheet.page_setup.orientation, sheet.page_setup.paperSize, sheet.page_setup.fitToHeight,
                      sheet.print_title_rows, sheet.freeze_panes, sheet.oddHeader.center.text,
                      sheet.oddFooter.center.text),
            "dropdown": (str(validation.sqref), validation.formula1, validation.errorStyle),
            "legend": sorted(str(v) for row in book["填写说明"].iter_rows(values_only=True) for v in row if v),
            "manifest": [list(row)[:2] if n == 0 else list(row)  # the writer names a header's blanks
                         for n, row in enumerate(book["_gridtool"].iter_rows(values_only=True))
                         if row[0] != "issued_at"],  # each run's own time
            "sheets": [(s.title, s.sheet_state) for s in book.worksheets],
        }
    return shown


def test_building_books_show_the_same_from_either_writer(runner, files, tmp_path: Path, monkeypatch) -> None:
    """The rust writer's building book (answers typed into the drop-down) and XlsxWriter's (the fallback):
    the same cells, lines under the table, page set-up, drop-down and manifest. Both runs write into one
    folder, so the opaque keys are made with one secret."""
    from gridtool.output import task_books

    out = tmp_path / "out"
    _run(runner, files, out)
    fast = _shown_books(out)
    monkeypatch.setattr(task_books, "dropdown_fits", lambda answers: False)
    _run(runner, files, out)
    assert _shown_books(out) == fast
    sheet = fast["楼栋任务_3栋_2026-11-21.xlsx"]
    assert sheet["cells"][-3][0] == "共 6 项，已完成 ______ 项。　　楼栋长签字：____________　　日期：________"
    assert sheet["cells"][-2][0] == "完成后在“完成”栏打√，或在“跟进结果”中选择；\n有发热、不适的住户请立即联系网格员。"
    assert sheet["area"] == "'楼栋任务'!$A$1:$H$13"
    assert sheet["merged"] == ["A11:H11", "A12:H12", "A13:H13", "A1:H1", "A2:H2"]


def test_an_answer_with_a_comma_is_offered_from_a_hidden_list(runner, files, tmp_path: Path) -> None:
    config = tmp_path / "gridtool.toml"
    config.write_text('[answers]\n"已联系,情况正常" = "办结"\n"未联系上" = "未办结"\n', encoding="utf-8")
    _run(runner, files, tmp_path / "out", "--config", str(config))
    book = openpyxl.load_workbook(tmp_path / "out" / "楼栋任务_3栋_2026-11-21.xlsx")
    [validation] = book["楼栋任务"].data_validations.dataValidation
    assert validation.formula1 == "'_选项'!$G$1:$G$2" and str(validation.sqref) == "G4:G9"
    assert [c.value for c in book["_选项"]["G"]] == ["已联系,情况正常", "未联系上"]


def test_the_building_jobs_reach_the_second_process_as_they_are() -> None:
    """One table of items crosses to the second process, cut back into each building's there."""
    import pickle

    from gridtool.domain.loop.tasks import BuildingTasks
    from gridtool.output.task_books import BookJobs

    def items(rooms: list[str]) -> pd.DataFrame:
        return pd.DataFrame({"room": pd.array(rooms, dtype="string"), "kind": ["followup"] * len(rooms)})

    buildings = [BuildingTasks("3", "", "赵大爷", "139", "王芳", items(["101", "302"])),
                 BuildingTasks("4", "1", "", "", "", items(["201"])),
                 BuildingTasks("5", "", "", "", "李强", items(["1201", "502", "101"]))]
    jobs = BookJobs([Path(f"{b.building}.xlsx") for b in buildings], buildings)
    back = pickle.loads(pickle.dumps(jobs))
    assert len(back) == 3 and [path for path, _ in back] == jobs.paths
    for (_, sent), (_, got) in zip(jobs, back, strict=True):
        assert (got.building, got.unit, got.leader, got.leader_phone, got.worker) == (
            sent.building, sent.unit, sent.leader, sent.leader_phone, sent.worker)
        pd.testing.assert_frame_equal(got.items, sent.items)
    assert [task.building for _, task in back[1:]] == ["4", "5"]
    assert pickle.loads(pickle.dumps(BookJobs([], []))).paths == []
