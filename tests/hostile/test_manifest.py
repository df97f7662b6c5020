"""Tampered hidden `_gridtool` manifests (issue 13 item 7, issue 14 item 5): the book is reported as not
collectable, what was written on it is kept in the problems list, the good books are still collected."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from exports import write_xlsx
from gridtool.cli import app
from hostile.conftest import assert_handled, run_gridtool

CHECKINS = [["姓名", "楼栋", "单元", "房号", "体温", "打卡时间", "网格员"],
            ["甲", "1", "1", "101", None, "未打卡", "王芳"], ["乙", "1", "1", "102", 38.2, "8:00", "王芳"],
            ["丙", "2", "1", "201", None, "未打卡", "李强"], ["丁", "2", "1", "202", None, "未打卡", "李强"]]


@pytest.fixture
def books(tmp_path: Path) -> Path:
    """A folder with 王芳's book answered and returned, and 李强's book answered, to be tampered with."""
    data = write_xlsx(tmp_path / "打卡.xlsx", {"11月21日": CHECKINS})
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["followups", str(data), "--date", "2026-11-21", "--out", str(out)])
    assert result.exit_code == 0, result.output
    back = tmp_path / "back"
    back.mkdir()
    for worker in ("王芳", "李强"):
        book = openpyxl.load_workbook(out / f"待跟进_{worker}_2026-11-21.xlsx")
        sheet = book["待跟进"]
        for row in range(4, 6):
            sheet.cell(row, 10, "已联系-情况正常")
        book.save(back / f"{worker}.xlsx")
    return back


def _tamper(path: Path, change) -> None:
    book = openpyxl.load_workbook(path)
    change(book["_gridtool"])
    book.save(path)


def _cell(sheet, text: str):
    return next(c for row in sheet.iter_rows() for c in row if c.value == text)


def _lose_key_header(sheet) -> None:
    _cell(sheet, "编号").value = "号"


def _lose_columns(sheet) -> None:
    sheet.delete_cols(_cell(sheet, "居民").column, 1)
    sheet.delete_cols(_cell(sheet, "网格员").column, 1)


def _lose_date(sheet) -> None:
    _cell(sheet, "date").offset(0, 1).value = None


def _claim_stock(sheet) -> None:
    _cell(sheet, "kind").offset(0, 1).value = "stock"


@pytest.mark.parametrize("change, why", [
    (_lose_key_header, "缺少“编号”表头"), (_lose_columns, "缺少列：居民、网格员"), (_lose_date, "日期「」缺失或不对"),
    (_claim_stock, "类型「stock」不是待跟进表或楼栋任务单"),
])
def test_a_tampered_manifest_is_reported_and_its_answers_kept(books: Path, tmp_path: Path, change, why: str) -> None:
    _tamper(books / "李强.xlsx", change)
    run = run_gridtool("collect", books, "--log", tmp_path / "log.xlsx", "--json")
    assert_handled(run, codes=(0,))
    record = run.json()
    assert (record["rows"], record["done"]) == (2, 2)  # 王芳's book alone
    problems = [(p["type"], p["file"]) for p in record["problems"]]
    assert problems == [("manifest_broken", "李强.xlsx"), ("answer_not_collected", "李强.xlsx"),
                        ("answer_not_collected", "李强.xlsx")]
    assert why in record["problems"][0]["message"]
    assert {p["message"] for p in record["problems"][1:]} == {"丙 201：已联系-情况正常（未收录）",
                                                             "丁 202：已联系-情况正常（未收录）"}


def test_a_manifest_that_claims_to_be_the_overview_is_the_wrong_file(books: Path, tmp_path: Path) -> None:
    _tamper(books / "李强.xlsx", lambda sheet: setattr(_cell(sheet, "kind").offset(0, 1), "value", "overview"))
    run = run_gridtool("collect", books, "--log", tmp_path / "log.xlsx", "--json")
    assert_handled(run, codes=(0,))
    assert [(p["type"], p["file"]) for p in run.json()["problems"]] == [("wrong_file", "李强.xlsx")]


def test_only_tampered_books_is_an_input_error_naming_the_file(books: Path, tmp_path: Path) -> None:
    (books / "王芳.xlsx").unlink()
    _tamper(books / "李强.xlsx", _lose_key_header)
    run = run_gridtool("collect", books, "--log", tmp_path / "log.xlsx")
    assert_handled(run, codes=(2,), mentions="李强.xlsx")
    assert "缺少“编号”表头" in run.stderr


def test_a_manifest_of_300k_invented_rows_is_refused_by_size(books: Path, tmp_path: Path) -> None:
    forged = books / "伪造.xlsx"
    book = xlsxwriter.Workbook(str(forged), {"constant_memory": True})
    visible = book.add_worksheet("待跟进")
    visible.write_row(2, 0, ["序号", "姓名", "房号", "跟进结果", "编号"])
    visible.write_row(3, 0, [1, "甲", "101", "已补打卡", "k1"])
    hidden = book.add_worksheet("_gridtool")
    for row, (name, value) in enumerate([("kind", "followups"), ("date", "2026-11-21"), ("owner", "王芳")], 1):
        hidden.write_row(row, 0, [name, value])
    hidden.write_row(6, 0, ["编号", "类型", "日期", "居民", "姓名", "房号", "网格员"])
    for row in range(7, 300_007):
        hidden.write_string(row, 0, f"k{row}")
    hidden.hide()
    book.close()
    run = run_gridtool("collect", books, "--log", tmp_path / "log.xlsx", "--json")
    assert_handled(run, codes=(0,))
    assert ("manifest_broken", "伪造.xlsx") in [(p["type"], p["file"]) for p in run.json()["problems"]]
    assert "超过上限" in next(p["message"] for p in run.json()["problems"] if p["file"] == "伪造.xlsx")
    assert run.seconds < 30
