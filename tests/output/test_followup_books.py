from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from exports import HEADER, write_xlsx
from gridtool.cli import app
from gridtool.domain.loop.answers import FOLLOWUP_ANSWERS
from libreoffice import needs_libreoffice, recalculated

HOSTILE = ['=HYPERLINK("http://example.com","点我")', "+SUM(1,2)", "-2+3", "@cmd"]


@pytest.fixture
def run_example(example_dir: Path, tmp_path: Path, runner):
    def run(*extra: str) -> tuple[dict, Path]:
        out = tmp_path / "out"
        result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--roster",
                                     str(example_dir / "居民名册.xlsx"), "--out", str(out), "--json", *extra])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout), out
    return run


def test_worker_book_is_ready_for_paper_and_phone(run_example) -> None:
    record, out = run_example()
    path = out / "待跟进_王芳_2026-11-21.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["待跟进", "填写说明", "_gridtool"]
    assert book["_gridtool"].sheet_state == "hidden"
    sheet = book["待跟进"]
    assert sheet["A1"].value == "待跟进名单 · 王芳 · 2026年11月21日"
    headers = [c.value for c in sheet[3]]
    assert headers == ["序号", "姓名", "楼栋", "单元", "房号", "电话", "跟进原因", "体温(℃)", "连续未打卡(天)",
                       "跟进结果", "跟进时间", "备注", "编号"]
    mine = [f for f in record["flagged"] if f["worker"] == "王芳"]
    rows = list(sheet.iter_rows(min_row=4, max_row=3 + len(mine), values_only=True))
    # the answer legend is the second line over the table (the rust writer merges lines only above it)
    assert sheet["A2"].value.split("\n")[1].startswith("跟进结果：已补打卡、已联系-情况正常、已就医/已转诊、外出-已登记 = 办结；")
    assert sheet.max_row == 3 + len(mine)
    assert [r[1] for r in rows] == [f["name"] for f in mine]
    assert [r[6] for r in rows] == [f["reason_text"] for f in mine]
    assert [r[12] for r in rows] == [f["key"] for f in mine]
    assert all(isinstance(r[5], str) and len(r[5]) == 11 for r in rows)  # phones as text, not 1.38E+10
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["M"].hidden
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$3"
    [validation] = sheet.data_validations.dataValidation
    assert str(validation.sqref) == f"J4:J{3 + len(rows)}"
    assert validation.formula1 == '"' + ",".join(a for a, _ in FOLLOWUP_ANSWERS) + '"'
    assert sheet.column_dimensions["G"].width >= 30
    assert rows[0][6].startswith("体温") and sheet.cell(4, 2).font.color.rgb.endswith("C00000")


def test_overview_lists_everyone_flagged_with_cached_counts(run_example) -> None:
    record, out = run_example()
    path = out / "汇总_2026-11-21.xlsx"
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    assert formulas.sheetnames == ["概况", "待跟进名单", "按网格员", "按楼栋", "较昨日变化", "昨日未办结", "核对",
                                   "数据问题", "_gridtool"]
    listed = list(values["待跟进名单"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2]) for r in listed] == [(f["worker"], f["name"]) for f in record["flagged"]]
    assert formulas["按网格员"]["E2"].value.startswith("=COUNTIFS(")
    assert _counts(values["按网格员"]) == _expected(record["by_worker"])
    assert _counts(values["按楼栋"]) == _expected(record["by_building"])
    summary = {r[0]: r[1] for r in values["概况"].iter_rows(min_row=3, max_row=11, values_only=True)}
    assert summary["未打卡"] == record["missing"] and summary["已打卡"] == record["checked_in"]
    assert summary["待跟进人数"] == len(record["flagged"])
    listing = formulas["待跟进名单"]
    assert listing.auto_filter.ref == f"A1:P{len(listed) + 1}" and listing.freeze_panes == "A2"
    # the item keys are kept (hidden, as on every book) and printed on no page: each row of one-line texts is one
    # line tall, not two (the keys had been narrowed to wrap, and eleven digits' width added up past the room)
    assert listing.column_dimensions["P"].hidden and [r[15] for r in listed] == [f["key"] for f in record["flagged"]]
    one_line = [row for row, r in enumerate(listed, 2) if "；" not in r[7]]
    assert one_line and {listing.row_dimensions[row].height for row in one_line} == {20.25}
    assert listing.oddHeader.center.text == "待跟进名单 2026年11月21日"
    total = formulas["按网格员"][len(record["by_worker"]) + 2]
    assert [(c.value, c.font.b, c.fill.fgColor.rgb, c.number_format) for c in (total[0], total[8], total[9])] == [
        ("合计", True, "FFF2F2F2", "General"), ("=SUM(I2:I3)", True, "FFF2F2F2", "0"),
        ("=IF(B4-C4>0,D4/(B4-C4),0)", True, "FFF2F2F2", "0.0%")]
    assert formulas["概况"]["A1"].value == "健康打卡日报 2026年11月21日" and formulas["概况"]["B5"].value == "=B3-B4-B6"


def _counts(sheet) -> dict:
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    return {str(r[0]): [r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], round(r[9], 4)] for r in rows}


def _expected(groups: dict) -> dict:
    keys = ["residents", "exempt", "checked_in", "missing", "fever", "symptoms", "bad_temperature", "flagged"]
    table = {k: [v[c] for c in keys] + [round(v["rate"], 4)] for k, v in groups.items()}
    totals = [sum(v[i] for v in table.values()) for i in range(8)]
    active = totals[0] - totals[1]
    table["合计"] = totals + [round(totals[2] / active, 4) if active else 0]
    return table


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_recalculation_equals_cached_values_and_json(run_example, tmp_path: Path) -> None:
    record, out = run_example()
    original = out / "汇总_2026-11-21.xlsx"
    # openpyxl drops the cached values, so LibreOffice must compute every number itself
    stripped = tmp_path / "stripped" / original.name
    stripped.parent.mkdir()
    openpyxl.load_workbook(original).save(stripped)
    for source in (original, stripped):
        recalc = openpyxl.load_workbook(recalculated(source, tmp_path / f"lo-{source.parent.name}"), data_only=True)
        assert _counts(recalc["按网格员"]) == _expected(record["by_worker"])
        assert _counts(recalc["按楼栋"]) == _expected(record["by_building"])
        summary = {r[0]: r[1] for r in recalc["概况"].iter_rows(min_row=3, max_row=11, values_only=True)}
        assert summary["未打卡"] == record["missing"] and summary["发热"] == record["fever"]
        assert summary["已打卡"] == record["checked_in"] and summary["待跟进人数"] == len(record["flagged"])


def test_user_text_never_becomes_a_formula(tmp_path: Path, runner) -> None:
    rows = [HEADER] + [[i, name, f"1-10{i}", None, None, "未打卡", name] for i, name in enumerate(HOSTILE, 1)]
    rows.append([99, "王五", "2-101", 36.5, "否", "08:00", "王五"])  # a day needs one check-in to be judged
    checkins = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows})
    out = tmp_path / "out"
    result = runner.invoke(app, ["followups", str(checkins), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert len(files) == len(HOSTILE) + 1
    seen = set()
    for path in files:
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value in HOSTILE:
                        assert cell.data_type == "s"
                        seen.add(cell.value)
                    if cell.data_type == "f":  # only gridtool's own formulas
                        assert re.match(r"=(COUNTIFS?|SUM|IF|COUNTA)\(|=B\d+-", cell.value), cell.value
    assert seen == set(HOSTILE)


def test_worker_names_stay_inside_the_output_folder(tmp_path: Path, runner) -> None:
    rows = [HEADER, [1, "张三", "1-101", None, None, "未打卡", "../../逃出去"],
            [2, "李四", "1-102", None, None, "未打卡", "..\\..\\逃出去"], [3, "王五", "1-103", 36.5, "否", "08:00", "王芳"]]
    checkins = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows})
    out = tmp_path / "out"
    result = runner.invoke(app, ["followups", str(checkins), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    files = [Path(f) for f in json.loads(result.stdout)["files"]]
    assert len(set(files)) == 3
    assert all(f.resolve().parent == out.resolve() for f in files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["11月21日.xlsx", "out"]


def test_inputs_are_never_overwritten(tmp_path: Path, runner) -> None:
    rows = [HEADER, [1, "张三", "1-101", None, None, "未打卡", "王芳"], [2, "王五", "1-102", 36.5, "否", "08:00", "王芳"]]
    checkins = write_xlsx(tmp_path / "汇总_2026-11-21.xlsx", {"11月21日": rows})
    before = checkins.read_bytes()
    result = runner.invoke(app, ["followups", str(checkins), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert checkins.read_bytes() == before
    names = sorted(Path(f).name for f in json.loads(result.stdout)["files"])
    assert names == ["待跟进_王芳_2026-11-21.xlsx", "汇总_2026-11-21_2.xlsx"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~gridtool")]


def test_review_sheet_lists_every_unmatched_and_explained_row(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["followups", str(example_dir / "打卡提交记录.csv"), "--roster",
                                 str(example_dir / "居民名册.xlsx"), "--out", str(tmp_path), "--json"])
    record = json.loads(result.stdout)
    sheet = openpyxl.load_workbook(tmp_path / "汇总_2026-11-21.xlsx")["核对"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    expected = record["unmatched"] + record["matched_with_note"]
    assert len(rows) == len(expected) > 0
    assert sorted((r[3], r[4]) for r in rows) == sorted((n["row"], n["name"]) for n in expected)
    assert {r[0] for r in rows} == {"名册中没有", "已自动匹配"}


def test_unassigned_residents_get_their_own_file_and_a_warning(tmp_path: Path, runner) -> None:
    rows = [["姓名", "楼栋", "房号", "打卡时间"], ["张三", "7", "101", ""], ["李四", "7", "102", "08:00"]]
    checkins = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows})
    result = runner.invoke(app, ["followups", str(checkins), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "待跟进_未分配_2026-11-21.xlsx").exists()
    assert "没有对应的网格员" in result.stdout


def test_worker_books_written_in_a_second_process_are_the_same(example_dir: Path, tmp_path: Path, runner,
                                                                monkeypatch) -> None:
    from gridtool.output import followup_books, second_process

    def books(out: Path) -> dict[str, list]:
        result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--out", str(out), "--json"])
        assert result.exit_code == 0, result.output
        return {Path(f).name: [r for r in openpyxl.load_workbook(f).worksheets[0].iter_rows(values_only=True)]
                for f in json.loads(result.stdout)["files"]}

    sequential = books(tmp_path / "one")
    monkeypatch.setattr(followup_books, "PARALLEL_ROWS", 0)
    assert books(tmp_path / "two") == sequential
    monkeypatch.setattr(second_process, "STANDBY_BYTES", 0)  # started before reading, shared out after
    assert books(tmp_path / "three") == sequential


PATTERN_WORKERS = {"王*": 1, "王芳": 3, "王五": 1, "<>李": 1, "李": 1, "a?b": 1, "axb": 1, "~x": 1, ">5": 1, "=x": 1}


@pytest.mark.libreoffice
@needs_libreoffice
def test_worker_names_are_not_countif_patterns(tmp_path: Path, runner) -> None:
    workers = [w for w, n in PATTERN_WORKERS.items() for _ in range(n)]
    rows = [HEADER, [0, "居民0", "1-100", 36.5, "否", "8:00", "王芳"]]
    rows += [[i, f"居民{i}", f"1-{100 + i}", None, None, "未打卡", w] for i, w in enumerate(workers, 1)]
    checkins = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows})
    result = runner.invoke(app, ["followups", str(checkins), "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    assert {w: v["flagged"] for w, v in json.loads(result.stdout)["by_worker"].items()} == PATTERN_WORKERS
    recalc = openpyxl.load_workbook(recalculated(tmp_path / "out" / "汇总_2026-11-21.xlsx", tmp_path / "lo"),
                                    data_only=True)
    counted = {str(r[0]): (r[4], r[8]) for r in recalc["按网格员"].iter_rows(min_row=2, values_only=True)}
    assert counted == {**{w: (n, n) for w, n in PATTERN_WORKERS.items()}, "合计": (len(workers), len(workers))}


LONG_ANSWERS = [f"已联系-第{i}种情况说明（情况正常，已登记在册）" for i in range(1, 12)] + ['已联系-说"没事"，明天复查']


def _dropdown(path: Path) -> tuple[str, list[str]]:
    """The answer column's drop-down: its source, and the options it offers."""
    book = openpyxl.load_workbook(path)
    [validation] = book["待跟进"].data_validations.dataValidation
    assert validation.type == "list" and str(validation.sqref).startswith("J4:")
    sheet_name, cells = validation.formula1.split("!")
    first, last = cells.replace("$", "").split(":")
    options = [c.value for row in book[sheet_name.strip("'")][f"{first}:{last}"] for c in row]
    return validation.formula1, options


@pytest.mark.libreoffice
@needs_libreoffice
def test_a_long_answer_list_keeps_its_dropdown(example_dir: Path, tmp_path: Path, runner) -> None:
    config = tmp_path / "gridtool.toml"
    config.write_text("[answers]\n" + "".join(f"{json.dumps(a, ensure_ascii=False)} = \"办结\"\n"
                                              for a in LONG_ANSWERS), encoding="utf-8")
    assert len(",".join(LONG_ANSWERS)) > 255
    result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path / "out"),
                                 "--config", str(config)])
    assert result.exit_code == 0, result.output
    book = tmp_path / "out" / "待跟进_王芳_2026-11-21.xlsx"
    assert _dropdown(book) == ("'_选项'!$J$1:$J$12", LONG_ANSWERS)
    assert openpyxl.load_workbook(book)["_选项"].sheet_state == "hidden"
    saved = recalculated(book, tmp_path / "lo")  # opened and saved again by LibreOffice
    formula, options = _dropdown(saved)
    assert options == LONG_ANSWERS and formula.endswith("$J$1:$J$12")


def test_answers_with_a_comma_or_quote_are_offered_from_a_hidden_list(example_dir: Path, tmp_path: Path,
                                                                       runner) -> None:
    answers = ['已联系,情况正常', '说"没事"', "未联系上"]
    config = tmp_path / "gridtool.toml"
    config.write_text("[answers]\n" + "".join(f"{json.dumps(a, ensure_ascii=False)} = \"办结\"\n" for a in answers),
                      encoding="utf-8")
    result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path / "out"),
                                 "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert _dropdown(tmp_path / "out" / "待跟进_王芳_2026-11-21.xlsx") == ("'_选项'!$J$1:$J$3", answers)


def test_the_log_entered_by_the_second_process_is_the_one_entered_here(example_dir: Path, tmp_path: Path, runner,
                                                                       monkeypatch) -> None:
    """With --log, the handout is entered in the follow-up log by the second process while the books are
    written, and the log is committed after them: the same entries as when this process enters them."""
    from gridtool.domain.loop.logread import load_log
    from gridtool.output import followup_books, second_process

    def entered(out: Path) -> list[tuple]:
        log, checkins = out / "跟进记录.xlsx", str(example_dir / "打卡记录.xlsx")
        yesterday = runner.invoke(app, ["followups", checkins, "--date", "2026-11-20", "--out", str(out / "20")])
        first = runner.invoke(app, ["collect", str(out / "20"), "--log", str(log), "--out", str(out / "20")])
        assert yesterday.exit_code == 0 and first.exit_code == 0, first.output
        result = runner.invoke(app, ["followups", checkins, "--out", str(out), "--log", str(log), "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["date"] == "2026-11-21"
        frame = load_log(log)[0]
        return sorted(zip(frame["key"], frame["name"], frame["kind"], frame["date"], frame["reason"], strict=True))

    sequential = entered(tmp_path / "one")
    monkeypatch.setattr(followup_books, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(second_process, "STANDBY_BYTES", 0)
    assert entered(tmp_path / "two") == sequential
    assert {day for _, _, _, day, _ in sequential} == {"2026-11-20", "2026-11-21"}
