"""The daily loop end to end: hand out to-do sheets, edit them as workers do, collect them back."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from exports import write_xlsx
from gridtool.cli import app
from gridtool.config import Settings
from gridtool.domain.loop.collect import collect
from libreoffice import needs_libreoffice, recalculated


def _followups(runner, example_dir: Path, out: Path) -> dict:
    result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--roster",
                                 str(example_dir / "居民名册.xlsx"), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _collect(runner, *args: str) -> dict:
    result = runner.invoke(app, ["collect", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _edit(path: Path, answers: dict[str, str], save_as: Path, sort: bool = False, delete: str | None = None,
          extra_row: list | None = None) -> None:
    """Type answers next to names, optionally sort the rows, delete a column, add a row, save elsewhere."""
    book = openpyxl.load_workbook(path)
    sheet = book["待跟进"]
    headers = [c.value for c in sheet[3]]
    name_col, answer_col = headers.index("姓名") + 1, headers.index("跟进结果") + 1
    rows = []
    for row in sheet.iter_rows(min_row=4):  # the table ends at the first blank row, as Excel's sort sees it
        if all(c.value is None for c in row):
            break
        rows.append([c.value for c in row])
    if sort:
        rows.sort(key=lambda r: r[name_col - 1], reverse=True)
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, 1):
            sheet.cell(4 + offset, col, value)
        sheet.cell(4 + offset, answer_col, answers.get(values[name_col - 1], values[answer_col - 1]))
    if extra_row:
        sheet.append(extra_row)
    if delete:
        sheet.delete_cols(headers.index(delete) + 1)
    book.save(save_as)


@pytest.fixture
def handed_out(runner, example_dir: Path, tmp_path: Path) -> tuple[dict, Path, Path]:
    out = tmp_path / "out"
    record = _followups(runner, example_dir, out)
    returned = tmp_path / "收回"
    returned.mkdir()
    return record, out, returned


def test_round_trip_counts_keeps_every_answer_and_reports_what_it_cannot_match(runner, handed_out) -> None:
    record, out, returned = handed_out
    wang = [f["name"] for f in record["flagged"] if f["worker"] == "王芳"]
    li = [f["name"] for f in record["flagged"] if f["worker"] == "李强"]
    wang_answers = {wang[0]: "已联系-情况正常", wang[1]: "已就医/已转诊", wang[2]: "未联系上", wang[3]: "家属说在外地"}
    _edit(out / "待跟进_王芳_2026-11-21.xlsx", wang_answers, returned / "王芳交回的表.xlsx", sort=True, delete="电话")
    li_answers = {li[0]: "已补打卡", li[1]: "已补打卡", li[2]: "已联系-情况正常"}
    _edit(out / "待跟进_李强_2026-11-21.xlsx", li_answers, returned / "李强.xlsx",
          extra_row=[99, "新来的住户", "9", "1", "101", "", "", None, None, "已补打卡"])
    shutil.copy(returned / "李强.xlsx", returned / "李强(1).xlsx")  # sent twice in the WeChat group
    write_xlsx(returned / "物资登记.xlsx", {"Sheet1": [["物资", "数量"], ["口罩", 100]]})

    log = out / "跟进记录.xlsx"
    first = _collect(runner, str(returned), "--log", str(log))
    assert (first["rows"], first["done"], first["open"]) == (18, 5, 13)
    assert first["by_worker"]["王芳"]["done"] == 2 and first["by_worker"]["李强"]["done"] == 3
    kinds = sorted((p["type"], p["file"]) for p in first["problems"])
    assert ("foreign_file", "物资登记.xlsx") in kinds
    assert ("answer_outside_list", "王芳交回的表.xlsx") in kinds
    assert [p for p in first["problems"] if p["type"] == "unmatched_row" and "新来的住户" in p["message"]]
    kept = {r[7]: r[11] for r in openpyxl.load_workbook(log)["跟进记录"].iter_rows(min_row=2, values_only=True)}
    for name, answer in {**wang_answers, **li_answers}.items():
        assert kept[name] == answer
    assert {o["name"] for o in first["open_items"]} == set(wang + li) - {wang[0], wang[1], li[0], li[1], li[2]}

    again = _collect(runner, str(returned), "--log", str(log))
    assert (again["added"], again["updated"], again["rows"], again["done"]) == (0, 0, 18, 5)

    _edit(returned / "王芳交回的表.xlsx", {wang[2]: "已补打卡"}, returned / "王芳交回的表.xlsx")
    later = _collect(runner, str(returned / "王芳交回的表.xlsx"), "--log", str(log))
    assert (later["added"], later["updated"], later["done"]) == (0, 1, 6)
    history = list(openpyxl.load_workbook(log)["历史"].iter_rows(min_row=2, values_only=True))
    assert [(r[7], r[11]) for r in history] == [(wang[2], "未联系上")]


def test_deleted_key_column_is_matched_by_name_and_room(runner, handed_out) -> None:
    record, out, returned = handed_out
    wang = [f["name"] for f in record["flagged"] if f["worker"] == "王芳"]
    _edit(out / "待跟进_王芳_2026-11-21.xlsx", {wang[0]: "已补打卡"}, returned / "w.xlsx", delete="编号")
    result = _collect(runner, str(returned / "w.xlsx"), "--log", str(out / "log.xlsx"))
    assert (result["rows"], result["done"]) == (len(wang), 1)
    assert [p["type"] for p in result["problems"]] == ["key_column_removed"]


def test_the_overview_dropped_among_returned_sheets_is_the_wrong_file(runner, handed_out) -> None:
    record, out, returned = handed_out
    wang = [f["name"] for f in record["flagged"] if f["worker"] == "王芳"]
    _edit(out / "待跟进_王芳_2026-11-21.xlsx", {wang[0]: "已补打卡"}, returned / "王芳.xlsx")
    shutil.copy(out / "汇总_2026-11-21.xlsx", returned / "汇总_2026-11-21.xlsx")
    result = _collect(runner, str(returned), "--log", str(out / "log.xlsx"))
    assert (result["rows"], result["done"], result["open"]) == (len(wang), 1, len(wang) - 1)
    assert [(p["type"], p["file"]) for p in result["problems"]] == [("wrong_file", "汇总_2026-11-21.xlsx")]
    assert result["files"] == [str(returned / "王芳.xlsx")]
    alone = runner.invoke(app, ["collect", str(out / "汇总_2026-11-21.xlsx"), "--log", str(out / "log2.xlsx")])
    assert alone.exit_code == 2 and "这是汇总表，不是交回的待跟进表" in alone.stderr


def _day_one_log(runner, example_dir: Path, tmp_path: Path) -> tuple[dict, Path, Path]:
    """Day 1 handed out and one sheet returned, so the log exists; day 2 handed out with --log."""
    day1 = tmp_path / "day1"
    assert runner.invoke(app, [
        "followups", str(example_dir / "打卡记录.xlsx"), "--roster", str(example_dir / "居民名册.xlsx"),
        "--date", "2026-11-20", "--out", str(day1)]).exit_code == 0
    log = tmp_path / "跟进记录.xlsx"
    _collect(runner, str(day1 / "待跟进_王芳_2026-11-20.xlsx"), "--log", str(log))
    day2 = tmp_path / "day2"
    second = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--roster",
                                 str(example_dir / "居民名册.xlsx"), "--log", str(log), "--out", str(day2), "--json"])
    assert second.exit_code == 0, second.output
    return json.loads(second.stdout), log, day2


def test_followups_with_a_log_enters_what_it_hands_out_so_unreturned_sheets_stay_open(
        runner, example_dir: Path, tmp_path: Path) -> None:
    _, log, day2 = _day_one_log(runner, example_dir, tmp_path)
    rows = list(openpyxl.load_workbook(log)["跟进记录"].iter_rows(min_row=2, values_only=True))
    handed = {r[0] for book in day2.glob("待跟进_*.xlsx") for r in openpyxl.load_workbook(book)["_gridtool"].iter_rows(
        min_row=8, values_only=True) if r[0]}
    assert {r[0] for r in rows if r[2] == "2026-11-21"} == handed
    assert all(r[12] == "否" and not r[11] for r in rows if r[2] == "2026-11-21")


@pytest.mark.parametrize("hours_later, overdue", [(23.9, 0), (24.1, 18)])
def test_overdue_after_the_configured_hours(runner, handed_out, tmp_path: Path, hours_later: float,
                                            overdue: int) -> None:
    _, out, returned = handed_out
    books = sorted(out.glob("待跟进_*.xlsx"))
    issued = dt.datetime.fromisoformat(openpyxl.load_workbook(books[0])["_gridtool"]["B5"].value)
    result = collect(books, tmp_path / "log.xlsx", Settings(overdue_hours=24),
                     now=issued + dt.timedelta(hours=hours_later))
    assert int(result.open_items["overdue"].sum()) == overdue
    assert int(result.by_worker["overdue"].sum()) == overdue


@pytest.mark.libreoffice
@needs_libreoffice
def test_a_sheet_saved_by_libreoffice_still_reads_back(runner, handed_out, tmp_path: Path) -> None:
    record, out, returned = handed_out
    li = [f["name"] for f in record["flagged"] if f["worker"] == "李强"]
    _edit(out / "待跟进_李强_2026-11-21.xlsx", {li[0]: "需上门"}, returned / "li.xlsx")
    saved = recalculated(returned / "li.xlsx", tmp_path / "lo")
    result = _collect(runner, str(saved), "--log", str(tmp_path / "log.xlsx"))
    assert (result["rows"], result["done"], result["problems"]) == (len(li), 0, [])
    assert [o["answer"] for o in result["open_items"] if o["name"] == li[0]] == ["需上门"]


def test_nothing_to_collect_is_an_input_error(runner, tmp_path: Path) -> None:
    foreign = write_xlsx(tmp_path / "别的表.xlsx", {"Sheet1": [["a", "b"]]})
    result = runner.invoke(app, ["collect", str(foreign), "--log", str(tmp_path / "log.xlsx")])
    assert result.exit_code == 2 and "别的表.xlsx" in result.stderr and "不是 gridtool 生成的待跟进表" in result.stderr
    result = runner.invoke(app, ["collect", str(tmp_path / "空文件夹")])
    assert result.exit_code == 2


def test_the_log_feeds_the_next_run(runner, example_dir: Path, tmp_path: Path) -> None:
    """Day 1 answered in part; day 2 carries the open ones over; resolved-today is not handed out twice."""
    day1 = tmp_path / "day1"
    first = json.loads(runner.invoke(app, [
        "followups", str(example_dir / "打卡记录.xlsx"), "--roster", str(example_dir / "居民名册.xlsx"),
        "--date", "2026-11-20", "--out", str(day1), "--json"]).stdout)
    names = [f["name"] for f in first["flagged"] if f["worker"] == "王芳"]
    done, left = names[0], names[1]
    _edit(day1 / "待跟进_王芳_2026-11-20.xlsx", {done: "已补打卡", left: "未联系上"}, day1 / "back.xlsx")
    log = tmp_path / "跟进记录.xlsx"
    _collect(runner, str(day1 / "back.xlsx"), "--log", str(log))

    day2 = tmp_path / "day2"
    args = ["followups", str(example_dir / "打卡记录.xlsx"), "--roster", str(example_dir / "居民名册.xlsx"),
            "--log", str(log), "--out", str(day2), "--json"]
    second = json.loads(runner.invoke(app, args).stdout)
    carried = {c["name"]: c for c in second["carried_over"]}
    assert done not in carried and carried[left]["answer"] == "未联系上"
    assert len(carried) == len(names) - 1
    sheet = openpyxl.load_workbook(day2 / "待跟进_王芳_2026-11-21.xlsx")["待跟进"]
    reasons = {r[1]: r[6] for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]}
    assert "11月20日未办结" in reasons[left] and "（未联系上）" in reasons[left]
    today_names = {f["name"] for f in second["flagged"] if f["worker"] == "王芳"}
    assert set(reasons) == today_names | set(carried)

    target = next(iter(today_names))
    _edit(day2 / "待跟进_王芳_2026-11-21.xlsx", {target: "已联系-情况正常"}, day2 / "back.xlsx")
    _collect(runner, str(day2 / "back.xlsx"), "--log", str(log))
    third = json.loads(runner.invoke(app, [*args[:-2], str(tmp_path / "day2b"), "--json"]).stdout)
    assert third["resolved"] == 1
    assert [f["resolved"] for f in third["flagged"] if f["name"] == target] == ["已联系-情况正常"]
    again = openpyxl.load_workbook(tmp_path / "day2b" / "待跟进_王芳_2026-11-21.xlsx")["待跟进"]
    assert target not in {r[1] for r in again.iter_rows(min_row=4, values_only=True) if r[1]}


def test_a_missing_log_file_is_an_input_error(runner, example_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--log", str(tmp_path / "无.xlsx")])
    assert result.exit_code == 2 and "找不到跟进记录" in result.stderr
