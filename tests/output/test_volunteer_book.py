"""志愿服务积分.xlsx: each statement adds up to its balance, the formulas agree with the domain (also after
LibreOffice recalculates them), sheet names made from names are always acceptable, user text stays text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from exports import write_xlsx
from gridtool.config import Settings
from gridtool.domain.volunteers.report import Period, VolunteerResult, volunteer_report
from gridtool.output.sheet_names import quoted, sheet_name, unique_sheet_names
from gridtool.output.volunteer_book import write_volunteer_book
from libreoffice import needs_libreoffice, recalculated

FIGURES = ["hours", "points", "redeemed_points", "redeemed_hours", "balance_points", "balance_hours"]


def _book(result: VolunteerResult, folder: Path) -> Path:
    path = folder / "志愿服务积分.xlsx"
    write_volunteer_book(path, "幸福里社区志愿服务积分", result)
    return path


def _balances(path: Path) -> dict[str, list[float]]:
    sheet = openpyxl.load_workbook(path, data_only=True)["余额"]
    rows = sheet.iter_rows(min_row=5, values_only=True)
    return {row[0]: [round(float(v or 0), 2) for v in row[4:10]] for row in rows if row[0] and row[0] != "合计"}


def _expected(result: VolunteerResult) -> dict[str, list[float]]:
    return {b.name: [getattr(b, f) for f in FIGURES] for b in result.volunteers}


@pytest.fixture(scope="module")
def example_result(example_dir: Path) -> VolunteerResult:
    return volunteer_report([example_dir], Settings(volunteers={"multipliers": {"night": 1.5, "weekend": 1.2}}),
                            Period(dt.date(2026, 11, 18), dt.date(2026, 11, 22)))


def test_each_statement_adds_up_to_the_balance(example_result: VolunteerResult, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_book(example_result, tmp_path), data_only=True)
    for balance in example_result.volunteers:
        sheet = book[balance.name]
        rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if isinstance(r[0], dt.datetime)]
        earned, drawn = sum(r[4] or 0 for r in rows), sum(r[5] or 0 for r in rows)
        served, used = sum(r[3] or 0 for r in rows), sum(r[6] or 0 for r in rows)
        assert (round(earned - drawn, 2), round(served - used, 2)) == (balance.balance_points, balance.balance_hours)
    assert _balances(tmp_path / "志愿服务积分.xlsx") == _expected(example_result)


@needs_libreoffice
def test_libreoffice_recalculates_the_same_balances(example_result: VolunteerResult, tmp_path: Path) -> None:
    path = _book(example_result, tmp_path)
    again = recalculated(path, tmp_path / "lo")
    assert _balances(again) == _expected(example_result)
    totals = openpyxl.load_workbook(again, data_only=True)["分组汇总"]
    groups = {r[0]: (r[1], round(r[2], 2), round(r[3], 2)) for r in totals.iter_rows(min_row=4, max_row=7,
                                                                                     values_only=True) if r[0]}
    assert groups == {g["group"]: (g["volunteers"], g["hours"], g["points"]) for g in example_result.totals("group")}


def test_names_become_acceptable_distinct_sheet_names() -> None:
    assert sheet_name("张[伟]/*?:\\") == "张_伟______"
    assert sheet_name("'阿'") == "阿" and sheet_name("History") == "_History" and sheet_name("  ") == "未命名"
    long = "欧阳" * 20
    names = unique_sheet_names([long, long, "Abc", "abc", "余额", "张伟"], reserved=("余额",))
    assert names == [long[:31], long[:28] + "(2)", "Abc", "abc(2)", "余额(2)", "张伟"]
    assert all(len(n) <= 31 for n in names)
    assert quoted("O'Neil") == "'O''Neil'"


def test_names_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "log.xlsx", {"服务": [
        ["日期", "志愿者", "服务类型", "时长(小时)"], ["2026-11-18", "=1+1", "=HYPERLINK(\"x\")", 2],
        ["2026-11-18", "a[b]'c", "跑腿", 1]]})
    result = volunteer_report([path], Settings())
    book = openpyxl.load_workbook(_book(result, tmp_path / "out"))
    assert book["余额"]["A5"].value == "=1+1" and book["余额"]["A5"].data_type == "s"
    assert "a_b_'c" in book.sheetnames
    assert book["=1+1"]["C5"].value == "=HYPERLINK(\"x\")" and book["=1+1"]["C5"].data_type == "s"
