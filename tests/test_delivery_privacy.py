"""What a volunteer can find in a 配送单, hidden parts included (issue 15 item 6, as issue 12 asked of the
building books): a volunteer who unhides the `_gridtool` sheet, opens the name manager or reads the XML
learns no resident's full name, nor any phone the sheet does not print; `collect` reads the sheet back
through the follow-up log `requests` entered its stops in, and refuses keys that log does not know."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from gridtool import logformat
from gridtool.cli import app
from gridtool.domain.checkins.messages import mask_name
from leader_books import SHOWN, book_texts, issued_items, leaks, printed_keys, tick_all

NOW = "2026-11-21 15:00"


def _run(*args: str | Path) -> dict:
    result = CliRunner().invoke(app, [str(a) for a in args] + ["--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _requests(examples: Path, out: Path, *extra: str | Path) -> dict:
    return _run("requests", examples / "居民诉求.xlsx", "--roster", examples / "居民名册.xlsx", "--volunteers",
                examples / "志愿者名册.xlsx", "--volunteers", examples / "配送路线.xlsx", "--out", out, "--now", NOW,
                *extra)


def _rows(path: Path, sheet: str, header: str) -> list[dict[str, object]]:
    """The rows under the header row that holds `header`."""
    rows = list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r and header in r)
    return [dict(zip(rows[top], r, strict=False)) for r in rows[top + 1:] if r and r[0] is not None]


def _stops(book: Path) -> list[dict[str, object]]:
    """The printed stops of a 配送单 (the note under them left out)."""
    return [r for r in _rows(book, "配送单", "轮次") if r.get("编号")]


def _log_entries(log: Path) -> list[dict[str, object]]:
    rows = openpyxl.load_workbook(log, read_only=True)[logformat.LOG_SHEET].iter_rows(min_row=2, values_only=True)
    return [dict(zip(logformat.HEADERS.values(), r, strict=False)) for r in rows]


def _private_words(examples: Path, log: Path) -> dict[str, set[str]]:
    """What no 配送单 may hold unless it prints it: every requester's and resident's full name and phone,
    and the issued items' keys, resident keys and reasons (the request with when it was logged)."""
    asked = _rows(examples / "居民诉求.xlsx", "居民诉求", "登记时间")
    roster = _rows(examples / "居民名册.xlsx", "居民名册", "姓名")
    people = asked + roster
    issued = [e for e in _log_entries(log) if e["类型"] == "delivery"]
    return {"name": {str(p["姓名"]) for p in people if p.get("姓名") and len(str(p["姓名"])) > 1},
            "phone": {str(p.get("联系电话") or "") for p in people} - {""},
            "item_key": {str(e["编号"]) for e in issued}, "person_key": {str(e["居民"]) for e in issued},
            "reason": {str(e["原因"]) for e in issued}}


@pytest.fixture
def handed_out(example_dir: Path, tmp_path: Path) -> tuple[dict, list[Path], Path]:
    record = _requests(example_dir, tmp_path / "out")
    books = [Path(f) for f in record["files"] if Path(f).name.startswith("配送单_")]
    return record, books, Path(record["log"])


def test_no_part_of_a_delivery_sheet_names_a_resident_or_a_phone_it_does_not_print(example_dir: Path,
                                                                                     handed_out) -> None:
    record, books, log = handed_out
    private = _private_words(example_dir, log)
    stops = [s for r in record["rounds"] for s in r["stops"]]
    assert len(books) == 2 and len(stops) >= 10 and {len(k) for k in private["item_key"]} == {12}
    assert len(private["item_key"]) == len(stops) and len(private["name"]) >= 60
    for book in books:
        printed = _stops(book)
        phones = {str(r["电话"]) for r in printed}
        assert len(phones) == len(printed) >= 5 and phones <= private["phone"]  # the phone to ring is printed
        words = {str(v) for r in printed for v in r.values() if v is not None}
        found = [leak for leak in leaks(book, private) if not any(leak[2] in w for w in words)]
        assert found == [], book.name
        assert not {(kind, word) for _, kind, word in leaks(book, private) if kind != "phone"}, book.name
        assert not phones & set(book_texts(book)["cells:_gridtool"].split()), book.name


def test_the_hidden_manifest_repeats_the_printed_rows_and_nothing_more(handed_out) -> None:
    record, books, log = handed_out
    for book in books:
        manifest = openpyxl.load_workbook(book)["_gridtool"]
        rows = [list(r) for r in manifest.iter_rows(values_only=True)]
        top = next(i for i, r in enumerate(rows) if r[0] == "编号")
        assert rows[top] == ["编号", "日期", "楼栋", "单元", "房号", "姓名", "事项"]
        meta = {r[0]: r[1] for r in rows[1:top] if r[0]}
        assert (meta["kind"], meta["date"]) == ("delivery", "2026-11-21")
        listed = [(r[0], r[2], r[3], r[4], r[5], r[6]) for r in rows[top + 1:]]
        printed = [(r["编号"], f"{r['住址']}", r["姓名"], r["要带的东西"]) for r in _stops(book)]
        assert [(k, f"{b}栋" + (f"{u}单元" if u else "") + room, name, bring)
                for k, b, u, room, name, bring in listed] == printed
        issued = issued_items(book, log)
        assert [(str(i["房号"]), mask_name(str(i["姓名"])), i["网格员"]) for i in issued] == \
            [(r[3], r[4], meta["owner"]) for r in listed]
        assert {i[SHOWN] for i in issued} == {s["sheet_key"] for r in record["rounds"] for s in r["stops"]
                                              if r["volunteer"] == meta["owner"]}


def _tick(book: Path, save_as: Path, keys: dict[str, str] | None = None) -> list[str]:
    return tick_all(book, save_as, "配送单", keys)


def _closed(log: Path) -> set[str]:
    return {str(e["编号"]) for e in _log_entries(log) if e["是否办结"] == "是"}


def test_a_ticked_sheet_closes_its_stops_and_a_forged_key_closes_nothing(handed_out, tmp_path: Path) -> None:
    record, books, log = handed_out
    first, other = books
    back = tmp_path / "back"
    back.mkdir()
    stolen = printed_keys(other)[0]
    keys = printed_keys(first)
    _tick(first, back / first.name, {keys[0]: "0123456789abcdef", keys[1]: stolen})
    collected = _run("collect", back, "--log", log)
    why = sorted((p["type"], p["message"].split("）", 1)[1].split("，未收录")[0]) for p in collected["problems"])
    owner = next(r["volunteer"] for r in record["rounds"] if any(s["sheet_key"] == stolen for s in r["stops"]))
    assert why[0] == ("not_as_issued", "不在跟进记录登记的事项中")
    assert why[1][0] == "not_as_issued" and why[1][1].startswith("清单中的")
    issued = {i[SHOWN]: str(i["编号"]) for i in issued_items(first, log)}
    assert _closed(log) == {issued[k] for k in keys[2:]} and collected["done"] == len(keys) - 2
    assert owner != first.name.split("_")[1]


def test_a_row_copied_whole_from_another_volunteers_sheet_is_refused(handed_out, tmp_path: Path) -> None:
    """The forger copies another volunteer's manifest row (key, address and name) into their own manifest."""
    _, books, log = handed_out
    first, other = books
    stolen = _rows(other, "_gridtool", "编号")[0]
    wb = openpyxl.load_workbook(first)
    manifest = wb["_gridtool"]
    top = next(r[0].row for r in manifest.iter_rows() if r[0].value == "编号")
    headers = [c.value for c in manifest[top]]
    mine = manifest.cell(top + 1, 1).value
    for field in ("编号", "楼栋", "单元", "房号", "姓名", "事项"):
        manifest.cell(top + 1, headers.index(field) + 1, stolen[field])
    sheet = wb["配送单"]
    columns = [c.value for c in sheet[3]]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, columns.index("编号") + 1).value == mine)
    sheet.cell(row, columns.index("编号") + 1, stolen["编号"])
    sheet.cell(row, columns.index("完成(打√)") + 1, "√")
    (tmp_path / "back").mkdir()
    wb.save(tmp_path / "back" / first.name)
    collected = _run("collect", tmp_path / "back", "--log", log)
    owner = first.name.split("_")[1]
    assert [p["type"] for p in collected["problems"]] == ["not_as_issued"]
    assert f"的配送单上的，不是本表的「{owner}」" in collected["problems"][0]["message"]
    assert collected["done"] == 0 and _closed(log) == set()


def test_with_log_the_sheets_are_entered_in_that_log_and_their_keys_kept(example_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "记录" / "跟进记录.xlsx"
    first = _requests(example_dir, tmp_path / "a", "--log", log)
    again = _requests(example_dir, tmp_path / "b", "--log", log)
    assert first["log"] == again["log"] == str(log) and not (tmp_path / "a" / "跟进记录.xlsx").exists()
    keys = [[s["sheet_key"] for s in r["stops"]] for r in first["rounds"]]
    assert keys == [[s["sheet_key"] for s in r["stops"]] for r in again["rounds"]]
    entries = [e for e in _log_entries(log) if e["类型"] == "delivery"]
    assert sorted(str(e["编号"]) for e in entries) == sorted(s["key"] for r in first["rounds"] for s in r["stops"])
    assert {(str(e["姓名"]), str(e["网格员"])) for e in entries} == {
        (s["name"], r["volunteer"]) for r in first["rounds"] for s in r["stops"]}


def test_rounds_given_to_no_one_come_back_through_the_log_too(example_dir: Path, tmp_path: Path) -> None:
    record = _run("requests", example_dir / "居民诉求.xlsx", "--out", tmp_path / "out", "--now", NOW)
    (book,) = [Path(f) for f in record["files"] if Path(f).name.startswith("配送单_")]
    assert book.name == "配送单_待分配_2026-11-21.xlsx"
    log = Path(record["log"])
    assert {str(e["网格员"]) for e in _log_entries(log)} == {"未分配"}
    (tmp_path / "back").mkdir()
    keys = _tick(book, tmp_path / "back" / book.name)
    collected = _run("collect", tmp_path / "back", "--log", log)
    assert (collected["done"], collected["problems"]) == (len(keys), [])
    assert _closed(log) == {s["key"] for r in record["rounds"] for s in r["stops"]}
