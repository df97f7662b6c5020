"""A returned row is applied only when it is what gridtool issued (issue 14 item 5): a book carrying
another worker's keys closes nothing, and each such row is a finding."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from exports import write_xlsx
from gridtool.cli import app

CHECKINS = [["姓名", "楼栋", "单元", "房号", "体温", "打卡时间", "网格员"],
            ["甲", "1", "1", "101", None, "未打卡", "王芳"], ["乙", "1", "1", "102", None, "未打卡", "王芳"],
            ["丙", "2", "1", "201", None, "未打卡", "李强"], ["丁", "2", "1", "202", None, "未打卡", "李强"],
            ["戊", "2", "1", "203", 36.5, "8:00", "李强"]]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    data = write_xlsx(tmp_path / "打卡.xlsx", {"11月21日": CHECKINS})
    result = CliRunner().invoke(app, ["followups", str(data), "--date", "2026-11-21", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    return tmp_path / "o"


def _manifest_rows(book: openpyxl.Workbook) -> tuple[int, list[list[object]]]:
    sheet = book["_gridtool"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(rows) if r[0] == "编号")
    return top, rows[top + 1:]


def forge(out: Path, save_as: Path, worker_as: str | None = None) -> None:
    """李强's book, its manifest and hidden keys replaced by 王芳's items, every row answered as closed."""
    wang = openpyxl.load_workbook(out / "待跟进_王芳_2026-11-21.xlsx")
    li = openpyxl.load_workbook(out / "待跟进_李强_2026-11-21.xlsx")
    _, stolen = _manifest_rows(wang)
    top, _ = _manifest_rows(li)
    hidden = li["_gridtool"]
    worker_col = [c.value for c in hidden[top + 1]].index("网格员")
    for offset, row in enumerate(stolen):
        if worker_as:
            row[worker_col] = worker_as
        for col, value in enumerate(row, 1):
            hidden.cell(top + 2 + offset, col, value)
    visible = li["待跟进"]
    headers = [c.value for c in visible[3]]
    for offset, row in enumerate(stolen):
        visible.cell(4 + offset, headers.index("编号") + 1, row[0])
        visible.cell(4 + offset, headers.index("跟进结果") + 1, "已联系-情况正常")
    li.save(save_as)


def _collect(*args: str) -> dict:
    result = CliRunner().invoke(app, ["collect", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_book_carrying_another_workers_keys_closes_nothing(out: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.xlsx"
    _collect(str(out / "待跟进_王芳_2026-11-21.xlsx"), "--log", str(log))  # 王芳's items as issued, open
    forge(out, tmp_path / "李强.xlsx")
    record = _collect(str(tmp_path / "李强.xlsx"), "--log", str(log))
    assert (record["done"], record["added"], record["updated"]) == (0, 0, 0)
    assert [(p["type"], p["message"]) for p in record["problems"] if p["type"] == "not_as_issued"] == [
        ("not_as_issued", f"{name}（编号 {key}）属于网格员「王芳」，不是本表的「李强」，未收录；请核对是否发错表或被改动。")
        for name, key in _names_and_keys(out)]


def test_a_forged_worker_column_is_caught_by_the_log_and_by_the_names_on_the_rows(out: Path, tmp_path: Path) -> None:
    forge(out, tmp_path / "李强.xlsx", worker_as="李强")
    alone = _collect(str(tmp_path / "李强.xlsx"), "--log", str(tmp_path / "fresh.xlsx"))
    assert alone["done"] == 0
    assert [p["message"].split("）", 1)[1] for p in alone["problems"] if p["type"] == "not_as_issued"] == [
        "表中姓名「丙」与编号对应的「甲」不同，未收录；请核对是否发错表或被改动。",
        "表中姓名「丁」与编号对应的「乙」不同，未收录；请核对是否发错表或被改动。"]
    log = tmp_path / "log.xlsx"
    _collect(str(out / "待跟进_王芳_2026-11-21.xlsx"), "--log", str(log))
    known = _collect(str(tmp_path / "李强.xlsx"), "--log", str(log))
    assert known["done"] == 0
    assert {p["message"].split("）", 1)[1] for p in known["problems"] if p["type"] == "not_as_issued"} == {
        "网格员与发出时不同（发出时为「王芳」），未收录；请核对是否发错表或被改动。"}


def _names_and_keys(out: Path) -> list[tuple[str, str]]:
    book = openpyxl.load_workbook(out / "待跟进_王芳_2026-11-21.xlsx")
    top, rows = _manifest_rows(book)
    headers = [c.value for c in book["_gridtool"][top + 1]]
    return [(str(r[headers.index("姓名")]), str(r[0])) for r in rows]
