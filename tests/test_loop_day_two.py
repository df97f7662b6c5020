"""Day two and after (issue 11): each way the loop went wrong once has its own test."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from exports import write_xlsx
from gridtool.cli import app
from gridtool.domain.loop.logmerge import Returned, merge
from gridtool.domain.loop.logread import empty_log
from leader_books import SHOWN, issued_items


def _ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def _followups(runner, example_dir: Path, date: str, out: Path, *extra: str) -> dict:
    return json.loads(_ok(runner.invoke(app, [
        "followups", str(example_dir / "打卡记录.xlsx"), "--roster", str(example_dir / "居民名册.xlsx"),
        "--date", date, "--out", str(out), "--json", *extra])))


def _tasks(runner, example_dir: Path, date: str, out: Path, *extra: str) -> dict:
    return json.loads(_ok(runner.invoke(app, [
        "tasks", str(example_dir / "打卡记录.xlsx"), "--roster", str(example_dir / "居民名册.xlsx"), "--requests",
        str(example_dir / "居民诉求.xlsx"), "--date", date, "--out", str(out), "--json", *extra])))


def _fill(book: Path, save_as: Path, value_for, column: str = "跟进结果", mtime: float | None = None) -> dict[str, str]:
    """Write value_for(name, key) into `column` of every row; returns key -> value written."""
    wb = openpyxl.load_workbook(book)
    sheet = wb.worksheets[0]
    headers = [c.value for c in sheet[3]]
    written = {}
    for row in range(4, sheet.max_row + 1):
        key = sheet.cell(row, headers.index("编号") + 1).value
        if not key:
            continue
        value = value_for(sheet.cell(row, headers.index("姓名") + 1).value, key)
        if value:
            sheet.cell(row, headers.index(column) + 1, value)
            written[key] = value
    wb.save(save_as)
    if mtime is not None:
        os.utime(save_as, (mtime, mtime))
    return written


def _rows(book: Path) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(book).worksheets[0]
    headers = [c.value for c in sheet[3]]
    return [dict(zip(headers, r, strict=False)) for r in sheet.iter_rows(min_row=4, values_only=True) if r[-1]]


def _collect(runner, *args: str) -> dict:
    return json.loads(_ok(runner.invoke(app, ["collect", *args, "--json"])))


def _return_all(runner, handed_out: Path, text: str, tmp_path: Path) -> Path:
    """Every worker answers every row with `text`; the sheets are collected into a new log."""
    back = tmp_path / "back"
    back.mkdir()
    for book in handed_out.glob("待跟进_*.xlsx"):
        _fill(book, back / book.name, lambda name, key: text)
    log = tmp_path / "跟进记录.xlsx"
    _collect(runner, str(back), "--log", str(log))
    return log


def test_a_day_with_everything_done_is_an_ordinary_result(runner, example_dir: Path, tmp_path: Path) -> None:
    _followups(runner, example_dir, "2026-11-21", tmp_path / "d1")
    log = _return_all(runner, tmp_path / "d1", "已联系-情况正常", tmp_path)
    again = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--roster",
                                str(example_dir / "居民名册.xlsx"), "--date", "2026-11-21", "--log", str(log),
                                "--out", str(tmp_path / "d2")])
    assert "今天的事项已全部办结" in _ok(again)
    assert not list((tmp_path / "d2").glob("待跟进_*.xlsx"))
    record = _followups(runner, example_dir, "2026-11-21", tmp_path / "d3", "--log", str(log))
    assert (record["all_done"], record["handed_out"]) == (True, 0)
    tasks = _tasks(runner, example_dir, "2026-11-21", tmp_path / "t", "--log", str(log))
    assert sum(b["followups"] for b in tasks["buildings"].values()) == 0


def test_tasks_never_hands_out_again_what_a_building_leader_finished(runner, example_dir: Path,
                                                                      tmp_path: Path) -> None:
    _tasks(runner, example_dir, "2026-11-20", tmp_path / "t1")
    back = tmp_path / "back"
    back.mkdir()
    first = []
    log = tmp_path / "t1" / "跟进记录.xlsx"  # where tasks without --log enters what it hands out
    for book in sorted((tmp_path / "t1").glob("楼栋任务_*.xlsx")):  # every leader ticks every task
        first += issued_items(book, log)
        _fill(book, back / book.name, lambda name, key: "√", column="完成(打√)")
    collected = _collect(runner, str(back), "--log", str(log))
    assert (collected["rows"], collected["done"]) == (len(first), len(first))
    _tasks(runner, example_dir, "2026-11-21", tmp_path / "t2", "--log", str(log))
    second = [row for book in (tmp_path / "t2").glob("楼栋任务_*.xlsx") for row in issued_items(book, log)]
    done = {(r["类型"], r["居民"], r["原因"]) for r in first if r["类型"] in ("request", "notice")}
    assert {kind for kind, _, _ in done} == {"request", "notice"}
    assert not done & {(r["类型"], r["居民"], r["原因"]) for r in second}
    followed = [r["居民"] for r in second if r["类型"] in ("followup", "carried")]
    assert len(followed) == len(set(followed))
    finished = {r["居民"] for r in first if r["类型"] in ("followup", "carried")}
    assert not finished & {r["居民"] for r in second if r["类型"] == "carried"}


UNASSIGNED_DAYS = {
    "11月20日": [["姓名", "楼栋", "单元", "房号", "体温", "打卡时间"], ["甲", "3", "1", "101", None, "未打卡"],
                ["乙", "9", "1", "901", None, "未打卡"], ["丙", "3", "1", "102", 36.4, "7:50"]],
    "11月21日": [["姓名", "楼栋", "单元", "房号", "体温", "打卡时间"], ["甲", "3", "1", "101", 36.5, "8:00"],
                ["乙", "9", "1", "901", 36.6, "8:10"], ["丙", "3", "1", "102", 36.4, "7:50"]],
}


def test_carried_items_of_unassigned_residents_go_to_the_unassigned_file(runner, tmp_path: Path) -> None:
    data = write_xlsx(tmp_path / "打卡.xlsx", UNASSIGNED_DAYS)
    assign = write_xlsx(tmp_path / "分工.xlsx", {"分工": [["楼栋", "网格员"], ["3", "王芳"]]})
    base = ["followups", str(data), "--assignments", str(assign)]
    _ok(runner.invoke(app, [*base, "--date", "2026-11-20", "--out", str(tmp_path / "d1")]))
    log = _return_all(runner, tmp_path / "d1", "未联系上", tmp_path)
    day2 = runner.invoke(app, [*base, "--date", "2026-11-21", "--log", str(log), "--out", str(tmp_path / "d2")])
    assert "其中 1 项没有对应的网格员，已放入“未分配”文件" in _ok(day2)
    names = sorted(p.name for p in (tmp_path / "d2").glob("待跟进_*.xlsx"))
    assert names == ["待跟进_未分配_2026-11-21.xlsx", "待跟进_王芳_2026-11-21.xlsx"]
    rows = _rows(tmp_path / "d2" / "待跟进_未分配_2026-11-21.xlsx")
    assert [(r["姓名"], r["跟进原因"]) for r in rows] == [("乙", "11月20日未办结：未打卡（未联系上）")]


def test_a_worker_and_a_building_leader_disagree_one_rule_once(runner, example_dir: Path, tmp_path: Path) -> None:
    record = _followups(runner, example_dir, "2026-11-21", tmp_path / "d")
    _tasks(runner, example_dir, "2026-11-21", tmp_path / "d" / "t")
    worker_book = tmp_path / "d" / "待跟进_王芳_2026-11-21.xlsx"
    leader_book = tmp_path / "d" / "t" / "楼栋任务_1栋_2026-11-21.xlsx"
    shared = next(r["key"] for r in record["flagged"] if r["worker"] == "王芳" and r["building"] == "1")
    log = tmp_path / "d" / "t" / "跟进记录.xlsx"  # where tasks without --log enters what it hands out
    printed = next(i[SHOWN] for i in issued_items(leader_book, log) if i["编号"] == shared)
    back = tmp_path / "back"
    back.mkdir()
    _fill(worker_book, back / "王芳.xlsx", lambda name, key: "未联系上" if key == shared else "")
    later = (back / "王芳.xlsx").stat().st_mtime + 60
    _fill(leader_book, back / "楼栋长.xlsx", lambda name, key: "已联系-情况正常" if key == printed else "", mtime=later)
    screen = _ok(runner.invoke(app, ["collect", str(back), "--log", str(log)]))
    assert "同一事项收到不同结果 1 处" in screen and "采用「已联系-情况正常」（楼栋长.xlsx）" in screen
    again = _collect(runner, str(back), "--log", str(log))
    assert (again["added"], again["updated"]) == (0, 0)
    assert [(c["key"], c["kept"], c["other"], c["rule"]) for c in again["conflicts"]] == [
        (shared, "已联系-情况正常", "未联系上", "文件较新")]
    book = openpyxl.load_workbook(log)
    assert [r[3:5] for r in book["冲突"].iter_rows(min_row=2, values_only=True)] == [("已联系-情况正常", "楼栋长.xlsx")]
    assert list(book["历史"].iter_rows(min_row=2, values_only=True)) == []
    closed = {r[0]: r[12] for r in book["跟进记录"].iter_rows(min_row=2, values_only=True)}
    assert closed[shared] == "是"


def _returned(name: str, answer: str, answered_at: str, file_time: str) -> Returned:
    items = pd.DataFrame([{"key": "k1", "kind": "followup", "date": "2026-11-21", "person_key": "p", "name": "甲",
                           "building": "1", "unit": "1", "room": "101", "phone": "", "worker": "王芳",
                           "reason": "未打卡"}])
    answers = pd.DataFrame([{"key": "k1", "answer": answer, "closed": answer == "已补打卡",
                             "answered_at": answered_at, "note": "", "row": 4}])
    return Returned(Path(name), "followups", "王芳", "2026-11-21", "2026-11-21T18:00:00", items, answers, file_time)


@pytest.mark.parametrize("first_time, second_time, kept, rule", [
    ("20:00", "09:00", "已补打卡", "跟进时间较晚"),  # the older file has the later answer
    ("", "09:00", "未联系上", "文件较新"),  # only one time: the newer file
])
def test_the_later_answer_wins_by_its_time_else_by_the_file(first_time: str, second_time: str, kept: str,
                                                            rule: str) -> None:
    sheets = [_returned("a.xlsx", "已补打卡", first_time, "2026-11-21T19:00:00.000000"),
              _returned("b.xlsx", "未联系上", second_time, "2026-11-21T21:00:00.000000")]
    merged = merge(empty_log(), empty_log(), sheets, "2026-11-21T22:00:00")
    assert merged.log["answer"].tolist() == [kept]
    assert [(c["kept"], c["rule"]) for c in merged.conflicts] == [(kept, rule)]
    again = merge(merged.log, merged.history, sheets, "2026-11-22T08:00:00")
    assert (again.added, again.updated, len(again.history)) == (0, 0, 0)
    assert again.log.equals(merged.log)


def test_an_item_open_three_days_says_since_when_and_an_overdue_one_goes_first(runner, example_dir: Path,
                                                                                tmp_path: Path) -> None:
    first = _followups(runner, example_dir, "2026-11-19", tmp_path / "d19")
    target = next(r["name"] for r in first["flagged"] if r["worker"] == "王芳")
    back = tmp_path / "back"
    back.mkdir()
    _fill(tmp_path / "d19" / "待跟进_王芳_2026-11-19.xlsx", back / "w.xlsx",
          lambda name, key: "未联系上" if name == target else "")
    log = tmp_path / "跟进记录.xlsx"
    _collect(runner, str(back), "--log", str(log))
    _followups(runner, example_dir, "2026-11-20", tmp_path / "d20", "--log", str(log))  # never returned
    book = openpyxl.load_workbook(log)  # two days pass: everything in the log was issued long ago
    sheet = book["跟进记录"]
    issued = [c.value for c in sheet[1]].index("发出时间") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, issued, "2026-11-19T08:00:00")
    book.save(log)
    _followups(runner, example_dir, "2026-11-21", tmp_path / "d21", "--log", str(log), "--overdue-hours", "24")
    rows = _rows(tmp_path / "d21" / "待跟进_王芳_2026-11-21.xlsx")
    late = ["【超时】" in r["跟进原因"] for r in rows]
    assert late == sorted(late, reverse=True) and True in late and False in late  # escalated to the top
    reason = next(r["跟进原因"] for r in rows if r["姓名"] == target)
    assert "【超时】11月19日起未办结，第3天：" in reason and "（未联系上）" in reason
    overview = openpyxl.load_workbook(tmp_path / "d21" / "汇总_2026-11-21.xlsx")["昨日未办结"]
    marks = [(r[0], r[1]) for r in overview.iter_rows(min_row=2, values_only=True)]
    assert marks and set(marks) <= {("超时", "2026-11-19"), ("超时", "2026-11-20")}


def test_a_roster_given_as_assignments_is_recognised(runner, example_dir: Path, tmp_path: Path) -> None:
    both = _followups(runner, example_dir, "2026-11-21", tmp_path / "a", "--assignments",
                      str(example_dir / "居民名册.xlsx"))  # a roster workbook that also holds a 网格分工 sheet
    assert [p for p in both["problems"] if p["type"] == "duplicate_resident"] == []
    roster_only = write_xlsx(tmp_path / "名册.xlsx", {"名册": [["姓名", "住址", "联系电话"],
                                                           ["张三", "1栋1单元101室", "13800000000"]]})
    result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--assignments", str(roster_only),
                                 "--out", str(tmp_path / "b")])
    assert result.exit_code == 2
    assert "--assignments 给出的 名册.xlsx 是居民名册（每行一位居民），不是网格分工表。" in result.stderr
    assert "名册请用 --roster 给出" in result.stderr


def test_a_corrected_rerun_moves_the_dropped_workers_list_aside(runner, tmp_path: Path) -> None:
    """Building 9 was given to 李强 by mistake and corrected: the rerun for the same day leaves one list per
    worker in the folder, 李强's stale one goes into 已作废/ and the run says so (on stderr, JSON stays whole)."""
    data = write_xlsx(tmp_path / "打卡.xlsx", UNASSIGNED_DAYS)
    out = tmp_path / "out"
    first = write_xlsx(tmp_path / "分工.xlsx", {"分工": [["楼栋", "网格员"], ["3", "王芳"], ["9", "李强"]]})
    base = ["followups", str(data), "--date", "2026-11-20", "--out", str(out)]
    _ok(runner.invoke(app, [*base, "--assignments", str(first)]))
    assert sorted(p.name for p in out.glob("待跟进_*")) == ["待跟进_李强_2026-11-20.xlsx", "待跟进_王芳_2026-11-20.xlsx"]
    fixed = write_xlsx(tmp_path / "分工2.xlsx", {"分工": [["楼栋", "网格员"], ["3", "王芳"], ["9", "王芳"]]})
    again = runner.invoke(app, [*base, "--assignments", str(fixed), "--json"])
    assert json.loads(_ok(again))["files"] == [str(out / "待跟进_王芳_2026-11-20.xlsx"), str(out / "汇总_2026-11-20.xlsx")]
    assert sorted(p.name for p in out.glob("待跟进_*")) == ["待跟进_王芳_2026-11-20.xlsx"]
    assert [p.name for p in (out / "已作废").iterdir()] == ["待跟进_李强_2026-11-20.xlsx"]
    assert "上次为同一天写的 1 个文件这次没有重写" in again.stderr and "待跟进_李强_2026-11-20.xlsx" in again.stderr
