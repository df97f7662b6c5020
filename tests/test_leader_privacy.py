"""What a building leader can find in the task book, hidden parts included (issue 12 "What a building
leader's sheet may say", issue 14 item 5): a neighbour who unhides the `_gridtool` sheet, opens the name
manager or reads the file's XML learns nothing the printed sheet does not show, and `collect` reads the book
back through the log of issued items, refusing rows that do not stand for what was issued."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from gridtool import logformat
from gridtool.cli import app
from gridtool.domain.checkins.messages import mask_name
from leader_books import SHOWN, book_texts, issued_items, leaks, printed_keys, tick_all

FORBIDDEN_REASON = "请协助网格员上门了解情况"
NOT_SYMPTOMS = {"", "否", "无", "没有", "None"}


def _run(*args: str | Path) -> dict:
    result = CliRunner().invoke(app, [str(a) for a in args] + ["--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _tasks(examples: Path, out: Path, *extra: str) -> list[Path]:
    record = _run("tasks", examples / "打卡记录.xlsx", "--roster", examples / "居民名册.xlsx", "--requests",
                  examples / "居民诉求.xlsx", "--out", out, *extra)
    return sorted(Path(f) for f in record["files"] if Path(f).name.startswith("楼栋任务_"))


def _rows(path: Path, sheet: str | None = None) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [r for r in (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(rows) if r and any(h in r for h in ("姓名", "居民姓名", "楼栋长")))
    return [dict(zip(rows[top], r, strict=False)) for r in rows[top + 1:] if any(v is not None for v in r)]


def _private_words(examples: Path, log: Path) -> dict[str, set[str]]:
    """Everything about residents a leader's book must not hold, from the inputs and the log of issued items."""
    roster, checkins = _rows(examples / "居民名册.xlsx"), []
    for name in openpyxl.load_workbook(examples / "打卡记录.xlsx", read_only=True).sheetnames:
        checkins += _rows(examples / "打卡记录.xlsx", name)
    leaders = [(r["楼栋长"], str(r["电话"])) for r in _rows(examples / "居民名册.xlsx", "网格分工")]
    names = {str(r.get("姓名") or r.get("居民姓名") or "") for r in roster + checkins} - {n for n, _ in leaders}
    phones = {str(r["联系电话"]) for r in roster + checkins if r.get("联系电话")} - {p for _, p in leaders}
    temperatures = {f"{float(r['今日体温(℃)']):.1f}" for r in checkins
                    if isinstance(r.get("今日体温(℃)"), (int, float))}
    symptoms = {str(r["是否有症状"]) for r in checkins} - NOT_SYMPTOMS
    requests = {str(r[4]) for r in openpyxl.load_workbook(examples / "居民诉求.xlsx").worksheets[0].iter_rows(
        min_row=3, values_only=True) if r[4]}
    issued = [dict(zip(logformat.HEADERS.values(), r, strict=False)) for r in openpyxl.load_workbook(
        log, read_only=True)[logformat.LOG_SHEET].iter_rows(min_row=2, values_only=True)]
    return {"name": {n for n in names if len(n) > 1}, "phone": phones, "temperature": temperatures,
            "symptom": symptoms, "request": requests, "person_key": {str(i["居民"]) for i in issued},
            "item_key": {str(i["编号"]) for i in issued}, "reason": {FORBIDDEN_REASON, "诉求："},
            "issued_reason": {str(i["原因"]) for i in issued}}


SYMPTOMS = ["咳嗽、乏力", "咽痛", "头痛伴腹泻"]


@pytest.fixture(scope="module")
def inputs(example_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples, with the residents' symptoms written out in words as a form export gives them."""
    folder = tmp_path_factory.mktemp("inputs")
    for name in ("打卡记录.xlsx", "居民名册.xlsx", "居民诉求.xlsx"):
        (folder / name).write_bytes((example_dir / name).read_bytes())
    book = openpyxl.load_workbook(folder / "打卡记录.xlsx")
    for sheet in book.worksheets:
        column = next(c.column for row in sheet.iter_rows(max_row=5) for c in row if c.value == "是否有症状")
        cells = [row[column - 1] for row in sheet.iter_rows(min_row=5) if row[column - 1].value == "有"]
        for n, cell in enumerate(cells):
            cell.value = SYMPTOMS[n % len(SYMPTOMS)]
    book.save(folder / "打卡记录.xlsx")
    return folder


@pytest.fixture
def handed_out(inputs: Path, tmp_path: Path) -> tuple[list[Path], Path]:
    books = _tasks(inputs, tmp_path / "out")
    return books, tmp_path / "out" / "跟进记录.xlsx"


def test_no_part_of_a_building_book_names_a_resident(inputs: Path, handed_out) -> None:
    books, log = handed_out
    private = _private_words(inputs, log)
    assert len(books) == 2 and all(len(private[k]) >= 3 for k in private if k != "reason"), private
    assert {len(k) for k in private["item_key"]} == {12} and set(SYMPTOMS) <= private["symptom"]
    assert FORBIDDEN_REASON in private["issued_reason"]  # a fever or symptom resident is on a leader's list
    for book in books:
        assert leaks(book, private) == [], book.name
        texts = book_texts(book)
        assert "cells:_gridtool" in texts and "℃" not in texts["cells:_gridtool"]


def test_the_hidden_manifest_repeats_the_printed_rows_and_nothing_more(handed_out) -> None:
    books, log = handed_out
    for book in books:
        manifest = openpyxl.load_workbook(book)["_gridtool"]
        rows = [list(r) for r in manifest.iter_rows(values_only=True)]
        top = next(i for i, r in enumerate(rows) if r[0] == "编号")
        assert rows[top] == ["编号", "日期", "楼栋", "单元", "房号", "姓名", "事项"]
        assert [r[0] for r in rows[1:top] if r[0]] == ["kind", "date", "owner", "issued_at"]
        listed = [(r[0], r[3], r[4], r[5], r[6]) for r in rows[top + 1:]]
        printed = [(r["编号"], r["单元"], r["房号"], r["姓名"], r["事项"]) for r in _rows(book) if r.get("编号")]
        assert listed == printed
        issued = issued_items(book, log)
        assert [(r[2], r[3]) for r in listed] == [(str(i["房号"]), mask_name(str(i["姓名"]))) for i in issued]


def test_full_names_put_in_the_manifest_what_the_sheet_shows(inputs: Path, tmp_path: Path) -> None:
    books = _tasks(inputs, tmp_path / "out", "--full-names")
    log = tmp_path / "out" / "跟进记录.xlsx"
    private = _private_words(inputs, log)
    for book in books:
        printed = [(r["房号"], r["姓名"], r["事项"]) for r in _rows(book) if r.get("编号")]
        issued = issued_items(book, log)
        assert printed == [(str(i["房号"]), str(i["姓名"]), str(i["原因"])) for i in issued]
        manifest = [(r["房号"], r["姓名"], r["事项"]) for r in _rows(book, "_gridtool") if r.get("编号")]
        assert manifest == printed
        shown = {w for row in printed for w in row}  # what the community chose to print may be there, nothing else
        found = [leak for leak in leaks(book, private) if not any(leak[2] in w for w in shown)]
        assert found == [], book.name


def _answer(book: Path, save_as: Path, answers: dict[str, tuple[str, str]]) -> None:
    """Write (column, value) on the row of each printed key, as the leader would by hand."""
    wb = openpyxl.load_workbook(book)
    sheet = wb["楼栋任务"]
    headers = [c.value for c in sheet[3]]
    for row in range(4, sheet.max_row + 1):
        key = sheet.cell(row, headers.index("编号") + 1).value
        if key in answers:
            column, value = answers[key]
            sheet.cell(row, headers.index(column) + 1, value)
    wb.save(save_as)


def _closed(log: Path) -> dict[str, bool]:
    return {str(r["编号"]): r["是否办结"] == "是" for r in (
        dict(zip(logformat.HEADERS.values(), row, strict=False)) for row in openpyxl.load_workbook(
            log, read_only=True)[logformat.LOG_SHEET].iter_rows(min_row=2, values_only=True))}


def test_tasks_filled_in_and_collected_close_exactly_the_ticked_items(handed_out, tmp_path: Path) -> None:
    books, log = handed_out
    back = tmp_path / "back"
    back.mkdir()
    expected = set()
    for book in books:
        issued = issued_items(book, log)
        answers = {str(i[SHOWN]): ("完成(打√)", "√") if n % 2 == 0 else ("跟进结果", "未联系上")
                   for n, i in enumerate(issued) if n % 3 != 2}
        expected |= {str(i["编号"]) for n, i in enumerate(issued) if n % 3 != 2 and n % 2 == 0}
        _answer(book, back / book.name, answers)
    record = _run("collect", back, "--log", log)
    assert record["problems"] == [] and record["conflicts"] == []
    closed = _closed(log)
    assert len(expected) >= 5 and {k for k, done in closed.items() if done} == expected
    assert record["done"] == len(expected)


def _swap_keys(book: Path, save_as: Path, change) -> list[str]:
    keys = printed_keys(book)
    return tick_all(book, save_as, "楼栋任务", dict(zip(keys, change(list(keys)), strict=True)))


def test_a_manifest_pointing_at_another_residents_item_is_refused(handed_out, tmp_path: Path) -> None:
    books, log = handed_out
    first, other = books
    issued = issued_items(first, log)
    a = next(n for n, i in enumerate(issued) if i["类型"] == "followup")
    b = next(n for n, i in enumerate(issued) if i["房号"] != issued[a]["房号"])
    last = len(issued) - 1

    def change(keys: list[str]) -> list[str]:
        keys[a], keys[b] = keys[b], keys[a]  # two residents' items swapped
        keys[last] = printed_keys(other)[0]  # another building's item
        keys[last - 1] = "0123456789abcdef"  # a key made up
        return keys

    (tmp_path / "back").mkdir()
    _swap_keys(first, tmp_path / "back" / first.name, change)
    record = _run("collect", tmp_path / "back", "--log", log)
    why = {p["row"] - 4: (p["type"], p["message"].split("）", 1)[1].split("，未收录")[0]) for p in record["problems"]}
    name = {n: mask_name(str(issued[n]["姓名"])) for n in (a, b, last)}
    assert why == {a: ("not_as_issued", f"清单中的姓名「{name[a]}」与编号对应的事项不同"),
                   b: ("not_as_issued", f"清单中的姓名「{name[b]}」与编号对应的事项不同"),
                   last - 1: ("not_as_issued", "不在跟进记录登记的事项中"),
                   last: ("not_as_issued", f"清单中的姓名「{name[last]}」与编号对应的事项不同")}
    done = {k for k, d in _closed(log).items() if d}
    assert done == {str(i["编号"]) for n, i in enumerate(issued) if n not in (a, b, last - 1, last)}


def test_a_row_copied_whole_from_another_building_is_refused(handed_out, tmp_path: Path) -> None:
    """The forger copies another building's row, key, room and name, onto the sheet and into the manifest."""
    books, log = handed_out
    first, other = books
    stolen = next(r for r in _rows(other, "_gridtool") if r.get("编号"))
    wb = openpyxl.load_workbook(first)
    for sheet, top in ((wb["楼栋任务"], 3), (wb["_gridtool"], None)):
        headers = [c.value for c in sheet[top]] if top else next(
            [c.value for c in row] for row in sheet.iter_rows() if row[0].value == "编号")
        row = (top or next(r[0].row for r in sheet.iter_rows() if r[0].value == "编号")) + 1
        for field in ("编号", "单元", "房号", "姓名"):
            sheet.cell(row, headers.index(field) + 1, stolen[field])
    wb["楼栋任务"].cell(4, 6, "√")
    (tmp_path / "back").mkdir()
    wb.save(tmp_path / "back" / first.name)
    record = _run("collect", tmp_path / "back", "--log", log)
    assert [(p["type"], p["row"]) for p in record["problems"]] == [("not_as_issued", 4)]
    assert f"在 {stolen['楼栋']} 栋，不是本表的「{first.name.split('_')[1]}」" in record["problems"][0]["message"]
    assert record["done"] == 0


def test_a_building_book_collected_into_a_log_that_did_not_issue_it_closes_nothing(handed_out,
                                                                                   tmp_path: Path) -> None:
    books, _ = handed_out
    (tmp_path / "back").mkdir()
    _swap_keys(books[0], tmp_path / "back" / books[0].name, lambda keys: keys)
    record = _run("collect", tmp_path / "back", "--log", tmp_path / "另一份记录.xlsx")
    assert record["done"] == 0 and record["rows"] == 0
    assert {p["type"] for p in record["problems"]} == {"not_as_issued"}
    assert "无法核对：跟进记录旁的密钥文件 另一份记录.xlsx.key 缺失或损坏" in record["problems"][0]["message"]


def test_the_key_file_is_made_once_and_kept(example_dir: Path, tmp_path: Path) -> None:
    first = [printed_keys(b) for b in _tasks(example_dir, tmp_path / "out")]
    key = tmp_path / "out" / "跟进记录.xlsx.key"
    text = key.read_text(encoding="utf-8")
    assert text.startswith("# gridtool：") and re.fullmatch(r"[0-9a-f]{64}", text.splitlines()[-1])
    again = [printed_keys(b) for b in _tasks(example_dir, tmp_path / "out")]
    assert again == first and key.read_text(encoding="utf-8") == text
    key.write_text("坏了\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["tasks", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{key} 已损坏，无法读出楼栋任务单、配送单编号的密钥。" in result.stderr


def test_the_group_messages_name_no_one_either(inputs: Path, tmp_path: Path) -> None:
    config = tmp_path / "gridtool.toml"
    config.write_text('community = "东园社区"\nhotline = "0571-87654321"\n', encoding="utf-8")
    record = _run("tasks", inputs / "打卡记录.xlsx", "--roster", inputs / "居民名册.xlsx", "--out", tmp_path / "out",
                  "--wechat", "--config", config)
    texts = [Path(f).read_text(encoding="utf-8-sig") for f in record["files"] if f.endswith(".txt")]
    private = _private_words(inputs, tmp_path / "out" / "跟进记录.xlsx")
    assert len(texts) == 2 and all(re.search(r"\d-\d+ \w\*", t) for t in texts)
    assert [(kind, word) for t in texts for kind, words in private.items() for word in words if word in t] == []
