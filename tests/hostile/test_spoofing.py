"""Names that spoof (issue #14, item 7): a right-to-left override or a zero-width character in a name never
reaches a file name, shows as a marker (`王〔U+202E〕五`) wherever a person reads it, stays exact in JSON, and
is reported with its file, sheet, row and column."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from exports import HEADER, write_xlsx
from gridtool.cli import app
from gridtool.output.names import digest
from gridtool.output.sheet_names import sheet_name, unique_sheet_names
from gridtool.table.invisible import hidden_characters, hidden_rows, shown, unmarked

DAY = "2026-11-21"
RLO, ZWSP = "王\u202e五", "李\u200b四"


@pytest.mark.parametrize("text, marked", [
    ("王五", "王五"), (RLO, "王〔U+202E〕五"), (ZWSP, "李〔U+200B〕四"), ("\ufeff张\u2066三\u2069", "〔U+FEFF〕张〔U+2066〕三〔U+2069〕"),
    ("a\x07b\x85c", "a〔U+0007〕b〔U+0085〕c"), ("第一行\n第二行\t完", "第一行\n第二行\t完"),
    ("张\u3000三", "张\u3000三"), ("\u200e\u200f\u202a\u202b\u202c\u202d\u200d\u2060", "〔U+200E〕〔U+200F〕〔U+202A〕〔U+202B〕"
                                                                               "〔U+202C〕〔U+202D〕〔U+200D〕〔U+2060〕"),
])
def test_hidden_characters_show_as_markers_and_read_back_exactly(text: str, marked: str) -> None:
    assert shown(text) == marked
    assert unmarked(marked) == text
    assert shown(marked) == marked  # a marked text is marked once, never twice


def test_a_marker_of_a_visible_character_is_left_as_written() -> None:
    assert unmarked("编号〔U+0041〕和〔U+12〕") == "编号〔U+0041〕和〔U+12〕"
    assert hidden_characters("a\u202eb\u202ec\u200b") == ["\u202e", "\u200b"]


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "object"])
def test_hidden_rows_are_found_among_blank_and_printable_cells(dtype: str) -> None:
    column = pd.Series(["张三", None, "王\u202e五", "", "李\u200b四", "36.5 ℃", None], index=range(4, 11), dtype=dtype)
    assert hidden_rows(column) == [6, 8]
    assert hidden_rows(pd.Series([None, "张三"], dtype=dtype)) == [] and hidden_rows(pd.Series([], dtype=dtype)) == []


def test_sheet_titles_show_the_marker_and_never_cut_one_in_half() -> None:
    assert sheet_name(RLO) == "王〔U+202E〕五"
    assert unique_sheet_names([RLO, "王五", ZWSP]) == ["王〔U+202E〕五", "王五", "李〔U+200B〕四"]
    cut = sheet_name("张" * 25 + "\u202e" + "三")  # 25 + 8 characters: the marker does not fit in 31
    assert cut == "张" * 25


def _spoofing_export(folder: Path) -> Path:
    rows = [HEADER, [1, RLO, "1-101", None, None, "未打卡", ZWSP], [2, ZWSP, "1-102", 38.4, "否", "08:00", ZWSP],
            [3, "王五", "2-101", 36.5, "否", "08:00", ZWSP]]
    return write_xlsx(folder / "11月21日.xlsx", {"打卡": rows})


def test_spoofing_names_are_marked_in_cells_kept_in_json_and_reported(tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["followups", str(_spoofing_export(tmp_path)), "--date", DAY, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    names = sorted(Path(f).name for f in record["files"])
    assert names == [f"待跟进_李四~4a5e57_{DAY}.xlsx", f"汇总_{DAY}.xlsx"]
    assert not any(ch in name for name in names for ch in "\u202e\u200b")
    assert sorted(item["name"] for item in record["flagged"]) == sorted([RLO, ZWSP])  # JSON keeps the exact text
    hidden = [p for p in record["problems"] if p["type"] == "hidden_characters"]
    assert [(p["file"], p["sheet"], p["row"], p["column"], p["value"]) for p in hidden] == [
        ("11月21日.xlsx", "打卡", 2, "B", RLO), ("11月21日.xlsx", "打卡", 2, "G", ZWSP),
        ("11月21日.xlsx", "打卡", 3, "B", ZWSP), ("11月21日.xlsx", "打卡", 3, "G", ZWSP),
        ("11月21日.xlsx", "打卡", 4, "G", ZWSP)]
    assert hidden[0]["message"] == ("姓名「王〔U+202E〕五」含有看不见的字符（U+202E），会让显示的内容与实际不同；"
                                    "gridtool 输出时已标成〔U+…〕，请核对后在原表中删除。")
    todo = openpyxl.load_workbook(out / names[0])
    texts = [str(c.value) for row in todo["待跟进"].iter_rows() for c in row if c.value is not None]
    assert "王〔U+202E〕五" in texts and "李〔U+200B〕四" in texts
    assert not any(ch in t for t in texts for ch in "\u202e\u200b")
    assert todo["待跟进"].oddHeader.center.text == "待跟进名单 · 李〔U+200B〕四 · 2026年11月21日"  # the printed page header
    overview = openpyxl.load_workbook(out / names[1])
    problems = [str(c.value) for row in overview["数据问题"].iter_rows() for c in row if c.value is not None]
    assert any("王〔U+202E〕五" in t for t in problems) and not any("\u202e" in t for t in problems)


def test_the_terminal_shows_the_marker(tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["followups", str(_spoofing_export(tmp_path)), "--date", DAY, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "李〔U+200B〕四" in result.stdout and "王〔U+202E〕五" in result.stdout
    assert "\u202e" not in result.stdout and "\u200b" not in result.stdout


def test_a_returned_sheet_with_marked_names_is_collected_and_the_log_keeps_the_exact_names(tmp_path: Path,
                                                                                          runner) -> None:
    """The to-do sheet prints 王〔U+202E〕五; collect reads it back as 王\u202e五, as issued, twice over the log."""
    out, log = tmp_path / "out", tmp_path / "跟进记录.xlsx"
    result = runner.invoke(app, ["followups", str(_spoofing_export(tmp_path)), "--date", DAY, "--out", str(out)])
    assert result.exit_code == 0, result.output
    returned = out / f"待跟进_李四~4a5e57_{DAY}.xlsx"
    book = openpyxl.load_workbook(returned)
    sheet = book["待跟进"]
    headers = [c.value for c in sheet[3]]
    rows = {sheet.cell(r, headers.index("姓名") + 1).value: r for r in range(4, sheet.max_row + 1)}
    for name in ("王〔U+202E〕五", "李〔U+200B〕四"):
        sheet.cell(rows[name], headers.index("跟进结果") + 1, "已联系-情况正常")
    book.save(returned)
    for _ in range(2):  # the second run reads the log the first one wrote
        collected = runner.invoke(app, ["collect", str(returned), "--log", str(log), "--json"])
        assert collected.exit_code == 0, collected.output
        record = json.loads(collected.stdout)
        assert record["done"] == 2 and not [p for p in record["problems"] if p["type"] == "not_as_issued"]
    rows_written = list(openpyxl.load_workbook(log)["跟进记录"].iter_rows(values_only=True))
    column = rows_written[0].index("姓名")
    assert sorted(row[column] for row in rows_written[1:]) == ["李〔U+200B〕四", "王〔U+202E〕五"]


def test_printed_pages_and_the_page_preview_show_the_marker(tmp_path: Path, runner) -> None:
    import pdfplumber

    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": [["姓名", "楼栋", "单元", "房号", "网格员"],
                                                       [RLO, "1", "1", "101", ZWSP]]})
    body = tmp_path / "正文.txt"
    body.write_text("请\u202e明天\u200b上午在家。", encoding="utf-8")
    result = runner.invoke(app, ["notices", "通知", "--roster", str(roster), "--body-file", str(body), "--set", "标题=停水通知",
                                 "--set", "时间=明天", "--set", "地点=全小区", "--set", "热线=12345", "--out", str(tmp_path / "out"),
                                 "--date", DAY, "--json"])
    assert result.exit_code == 0, result.output
    pdf_path, html_path = json.loads(result.stdout)["files"][:2]
    with pdfplumber.open(pdf_path) as pdf:
        text = pdf.pages[0].extract_text().replace("\n", "")
    assert "请〔U+202E〕明天〔U+200B〕上午在家。" in text
    html = Path(html_path).read_text(encoding="utf-8")
    assert "请〔U+202E〕明天〔U+200B〕上午在家。" in html and "\u202e" not in html and "\u200b" not in html


def test_the_group_message_shows_the_marker(tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["followups", str(_spoofing_export(tmp_path)), "--date", DAY, "--wechat", "--out", str(out),
                                 "--json"])
    assert result.exit_code == 0, result.output
    [message] = [Path(f) for f in json.loads(result.stdout)["files"] if f.endswith(".txt")]
    text = message.read_text(encoding="utf-8-sig")
    assert "联系网格员李〔U+200B〕四帮忙" in text and "\u200b" not in text


def test_group_messages_of_buildings_named_with_the_separator_are_two_unambiguous_files(tmp_path: Path, runner) -> None:
    """`_` only separates a file name's parts: buildings `A_1` and `A1` get two messages, each named kind_owner_day."""
    rows = [["姓名", "楼栋", "房号", "打卡时间", "网格员"], ["张三", "A_1", "101", "", "王芳"], ["李四", "A1", "102", "", "王芳"],
            ["王五", "A_1", "103", "08:00", "王芳"]]
    checkins = write_xlsx(tmp_path / "打卡.xlsx", {"打卡": rows})
    result = runner.invoke(app, ["followups", str(checkins), "--date", DAY, "--wechat", "--out", str(tmp_path / "out"),
                                 "--json"])
    assert result.exit_code == 0, result.output
    messages = sorted(Path(f).name for f in json.loads(result.stdout)["files"] if f.endswith(".txt"))
    assert messages == [f"群消息_A-1栋~{digest('A_1栋')}_{DAY}.txt", f"群消息_A1栋_{DAY}.txt"]
    assert all(len(name.removesuffix(".txt").split("_")) == 3 for name in messages)
    texts = [(tmp_path / "out" / name).read_text(encoding="utf-8-sig") for name in messages]
    assert "发到 A_1栋 楼栋群" in texts[0] and "101 张*" in texts[0] and "102 李*" not in texts[0]
    assert "发到 A1栋 楼栋群" in texts[1] and "102 李*" in texts[1] and "101 张*" not in texts[1]


def test_stock_and_requests_report_hidden_characters_with_their_cell(tmp_path: Path, runner) -> None:
    stock = write_xlsx(tmp_path / "库存.xlsx", {"库存": [["物资名称", "库存", "预警值"], ["口\u202e罩", 100, 10]]})
    requests = write_xlsx(tmp_path / "诉求.xlsx", {"诉求": [["登记时间", "姓名", "楼栋", "房号", "诉求内容"],
                                                        ["2026-11-21 09:00", RLO, "1", "101", "买\u200b药"]]})
    found = {}
    for command, path in (("stock", stock), ("requests", requests)):
        result = runner.invoke(app, [command, str(path), "--out", str(tmp_path / command), "--json"])
        assert result.exit_code in (0, 3), result.output
        found[command] = [(p["file"], p["sheet"], p["row"], p["column"], p["value"])
                          for p in json.loads(result.stdout)["problems"] if p["type"] == "hidden_characters"]
    assert found == {"stock": [("库存.xlsx", "库存", 2, "A", "口\u202e罩")],
                     "requests": [("诉求.xlsx", "诉求", 2, "B", RLO), ("诉求.xlsx", "诉求", 2, "E", "买\u200b药")]}


def _settings(folder: Path) -> Path:
    path = folder / "gridtool.toml"
    path.write_text('community = "柳巷社区"\nhotline = "0571-86001234"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["tasks", "calls", "dashboard"])
def test_commands_on_the_check_ins_report_what_reading_found(tmp_path: Path, runner, command: str) -> None:
    """Every command that reads the check-ins says which cells hold hidden characters, in JSON and on screen,
    not only followups."""
    export = _spoofing_export(tmp_path)
    result = runner.invoke(app, [command, str(export), "--date", DAY, "--out", str(tmp_path / "json"), "--json",
                                 "--config", str(_settings(tmp_path))])
    assert result.exit_code == 0, result.output
    hidden = [(p["file"], p["sheet"], p["row"], p["column"], p["value"])
              for p in json.loads(result.stdout)["problems"] if p["type"] == "hidden_characters"]
    assert hidden == [("11月21日.xlsx", "打卡", 2, "B", RLO), ("11月21日.xlsx", "打卡", 2, "G", ZWSP),
                      ("11月21日.xlsx", "打卡", 3, "B", ZWSP), ("11月21日.xlsx", "打卡", 3, "G", ZWSP),
                      ("11月21日.xlsx", "打卡", 4, "G", ZWSP)]
    shown_to_staff = runner.invoke(app, [command, str(export), "--date", DAY, "--out", str(tmp_path / "screen"),
                                         "--config", str(_settings(tmp_path))])
    assert shown_to_staff.exit_code == 0, shown_to_staff.output
    assert "11月21日.xlsx「打卡」 B2：姓名「王〔U+202E〕五」含有看不见的字符" in shown_to_staff.output
    assert "gridtool followups 对同一份打卡表写出的汇总表“数据问题”页" in shown_to_staff.output.replace("\n", "")


def test_volunteers_report_what_reading_found(tmp_path: Path, runner) -> None:
    log = write_xlsx(tmp_path / "志愿服务记录.xlsx", {"服务记录": [
        ["志愿者", "服务类型", "日期", "时长(小时)"], ["张\u200b三", "配送", "2026-11-20", 2], ["李四", "配送", "2026-11-21", 1]]})
    result = runner.invoke(app, ["volunteers", str(log), "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    hidden = [(p["file"], p["sheet"], p["row"], p["column"], p["value"])
              for p in json.loads(result.stdout)["problems"] if p["type"] == "hidden_characters"]
    assert hidden == [("志愿服务记录.xlsx", "服务记录", 2, "A", "张\u200b三")]
