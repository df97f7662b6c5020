"""`gridtool requests` end to end: the JSON contract, the workbooks, and the 配送单 back through `collect`."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from exports import write_xlsx
from gridtool.cli import app
from libreoffice import needs_libreoffice, recalculated

NOW = ["--now", "2026-11-21 15:00"]


def _run(runner, example_dir: Path, out: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["requests", str(example_dir / "居民诉求.xlsx"), "--volunteers",
                                 str(example_dir / "志愿者名册.xlsx"), "--volunteers", str(example_dir / "配送路线.xlsx"),
                                 "--out", str(out), *NOW, "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_contract(runner, example_dir: Path, tmp_path: Path) -> None:
    record = _run(runner, example_dir, tmp_path)
    assert set(record) >= {"requests", "by_category", "by_building", "by_day", "rounds", "problems", "files"}
    first = record["requests"][0]
    assert {k: first[k] for k in ("row", "name", "building", "unit", "room", "text", "category", "categories",
                                  "matched", "urgent", "overdue", "waited_hours", "status")} == {
        "row": 3, "name": first["name"], "building": "1", "unit": "1", "room": "102",
        "text": "家里没菜了,能不能帮忙买点青菜和鸡蛋", "category": "生活物资", "categories": ["生活物资", "咨询"],
        "matched": ["没菜", "能不能"], "urgent": False, "overdue": False, "waited_hours": 5.0, "status": "closed"}
    assert len(record["requests"]) == 68
    assert record["by_category"]["生活物资"]["total"] == sum(r["category"] == "生活物资" for r in record["requests"])
    assert list(record["by_day"]) == ["2026-11-19", "2026-11-20", "2026-11-21"]
    assert record["by_day"]["2026-11-19"]["生活物资"]["change"] is None
    day = record["by_day"]
    assert day["2026-11-21"]["生活物资"]["change"] == day["2026-11-21"]["生活物资"]["count"] - \
        day["2026-11-20"]["生活物资"]["count"]
    deliverable = {r["key"] for r in record["requests"] if r["status"] != "closed"
                   and set(r["categories"]) & {"生活物资", "药品", "快递/代办"}}
    stops = [s["key"] for r in record["rounds"] for s in r["stops"]]
    assert sorted(stops) == sorted(deliverable)
    # 1栋's round carries the urgent stops (胰岛素), so it goes first although the route walks 2栋 first
    assert [(r["volunteer"], r["buildings"]) for r in record["rounds"]] == [("张伟", ["1"]), ("李娜", ["2"])]
    assert [Path(f).name for f in record["files"]] == ["诉求汇总_2026-11-21.xlsx", "配送单_张伟_2026-11-21.xlsx",
                                                       "配送单_李娜_2026-11-21.xlsx"]


def test_a_returned_delivery_sheet_closes_its_requests(runner, example_dir: Path, tmp_path: Path) -> None:
    record = _run(runner, example_dir, tmp_path / "day1")
    log = tmp_path / "day1" / "跟进记录.xlsx"  # without --log the 配送单 are entered in the output folder's log
    assert record["log"] == str(log) and log.exists()
    request_of = {s["sheet_key"]: s["key"] for r in record["rounds"] for s in r["stops"]}
    sheet_path = next(f for f in record["files"] if "配送单_张伟" in f)
    book = openpyxl.load_workbook(sheet_path)
    sheet = book["配送单"]
    headers = [c.value for c in sheet[3]]
    tick, note, key = headers.index("完成(打√)") + 1, headers.index("备注") + 1, headers.index("编号") + 1
    done = [request_of[sheet.cell(row, key).value] for row in (4, 5)]
    for row in (4, 5):
        sheet.cell(row, tick).value = "√"
    sheet.cell(6, note).value = "家中无人，明天再送"  # not ticked: still to deliver
    missed = request_of[sheet.cell(6, key).value]
    returned = tmp_path / "returned.xlsx"
    book.save(returned)
    elsewhere = runner.invoke(app, ["collect", str(returned), "--log", str(tmp_path / "别处.xlsx"), "--json"])
    refused = json.loads(elsewhere.stdout)
    assert (refused["done"], {p["type"] for p in refused["problems"]}) == (0, {"not_as_issued"})
    collected = runner.invoke(app, ["collect", str(returned), "--log", str(log), "--json"])
    assert collected.exit_code == 0, collected.output
    summary = json.loads(collected.stdout)
    stops = sum(len(r["stops"]) for r in record["rounds"])
    assert (summary["done"], summary["open"], summary["problems"]) == (2, stops - 2, [])
    again = _run(runner, example_dir, tmp_path / "day2", "--log", str(log))
    closed = {r["key"]: r for r in again["requests"] if r["key"] in done}
    assert [(r["status"], r["status_text"], r["handler"]) for r in closed.values()] == \
        [("closed", "已办结（配送单收回）", "张伟")] * 2
    planned = {s["key"] for r in again["rounds"] for s in r["stops"]}
    assert not planned & set(done)
    assert missed in planned and next(r for r in again["requests"] if r["key"] == missed)["status"] == "open"
    assert len(planned) == stops - 2


ISSUE_REQUEST_FIELDS = {"row", "name", "building", "unit", "room", "text", "category", "categories", "matched",
                        "urgent", "overdue", "waited_hours", "status"}


def test_the_json_holds_every_field_the_issue_lists_with_its_type(runner, example_dir: Path, tmp_path: Path) -> None:
    record = _run(runner, example_dir, tmp_path)
    assert {"requests", "by_category", "by_building", "by_day", "rounds", "problems"} <= set(record)
    for item in record["requests"]:
        assert ISSUE_REQUEST_FIELDS <= set(item)
        assert isinstance(item["row"], int) and isinstance(item["urgent"], bool) and isinstance(item["overdue"], bool)
        assert item["categories"][0] == item["category"] and len(item["categories"]) == len(item["matched"])
        assert item["status"] in ("open", "in_progress", "closed")
        assert item["waited_hours"] is None or isinstance(item["waited_hours"], float)
    assert set(record["by_building"]) == {r["building"] for r in record["requests"]}
    assert all({"volunteer", "stops"} <= set(r) for r in record["rounds"])
    assert all(isinstance(p, dict) for p in record["problems"])


def test_summary_workbook_has_live_hot_topics_and_a_sheet_per_round(runner, example_dir: Path, tmp_path: Path) -> None:
    record = _run(runner, example_dir, tmp_path)
    book = openpyxl.load_workbook(record["files"][0])
    assert book.sheetnames == ["热点", "紧急与超时", "诉求明细", "按楼栋", "办结用时", "未归类", "第1轮", "第2轮",
                               "数据问题"]
    hot = book["热点"]
    assert [c.value for c in hot[3]] == ["类别", "合计", "未办结", "紧急", "超时", "11月19日", "11月20日", "11月21日",
                                         "较前一天"]
    assert hot["A4"].value == "就医" and hot["B4"].value.startswith("=COUNTIF('诉求明细'!$I$2:$I$69")
    assert book["诉求明细"].max_row == 69


def test_a_sheet_without_requests_is_named(runner, example_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["requests", str(example_dir / "居民名册.xlsx"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "没有找到居民诉求登记表" in result.stderr and "居民名册" in result.stderr


def test_a_bad_now_is_refused(runner, example_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["requests", str(example_dir / "居民诉求.xlsx"), "--now", "明天", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--now「明天」不是有效的时间" in result.stderr


def test_a_form_export_with_one_submission_per_row(runner, tmp_path: Path) -> None:
    form = write_xlsx(tmp_path / "求助收集表.xlsx", {"Sheet1": [
        ["序号", "提交答卷时间", "1、您的姓名", "2、楼栋", "3、单元", "4、房号", "5、联系电话", "6、您需要什么帮助"],
        [1, "2026/11/21 08:01:02", "张三", "3", "2", "502", "13800000001", "家里没菜了"],
        [2, "2026/11/21 09:30:00", "李四", "3", "1", "101", "13800000002", "孩子发烧，想去医院"]]})
    result = runner.invoke(app, ["requests", str(form), "--out", str(tmp_path / "out"), *NOW, "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert [(r["building"], r["unit"], r["room"], r["category"], r["urgent"], r["waited_hours"])
            for r in record["requests"]] == [("3", "2", "502", "生活物资", False, 7.0), ("3", "1", "101", "就医", True, 5.5)]
    assert [[s["name"] for s in r["stops"]] for r in record["rounds"]] == [["张三"]]


def _hot_counts(sheet) -> dict[str, list[int]]:
    """热点's rows under its header (row 3): category -> 合计, 未办结, 紧急, 超时, each day, 较前一天."""
    return {str(r[0]): list(r[1:]) for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]}


@needs_libreoffice
def test_hot_topics_are_live_formulas_whose_cached_values_libreoffice_recalculates(runner, example_dir: Path,
                                                                                  tmp_path: Path) -> None:
    record = _run(runner, example_dir, tmp_path / "out")
    summary = Path(record["files"][0])
    cached = _hot_counts(openpyxl.load_workbook(summary, data_only=True)["热点"])
    days = list(record["by_day"])
    assert cached == {c: [n["total"], n["open"], n["urgent"], n["overdue"],
                          *(record["by_day"][d][c]["count"] for d in days), record["by_day"][days[-1]][c]["change"]]
                      for c, n in record["by_category"].items()}
    again = _hot_counts(openpyxl.load_workbook(recalculated(summary, tmp_path / "lo"), data_only=True)["热点"])
    assert again == cached
    book = openpyxl.load_workbook(summary)  # staff move a request of 11月21日 from 生活物资 to 药品
    detail = book["诉求明细"]
    row = next(r for r in range(2, detail.max_row + 1)
               if detail.cell(r, 9).value == "生活物资" and str(detail.cell(r, 2).value).startswith("2026-11-21"))
    detail.cell(row, 9).value = "药品"
    edited = tmp_path / "edited" / summary.name
    edited.parent.mkdir()
    book.save(edited)
    moved = _hot_counts(openpyxl.load_workbook(recalculated(edited, tmp_path / "lo2"), data_only=True)["热点"])
    assert (moved["生活物资"][0], moved["药品"][0]) == (cached["生活物资"][0] - 1, cached["药品"][0] + 1)
    assert (moved["生活物资"][-1], moved["药品"][-1]) == (cached["生活物资"][-1] - 1, cached["药品"][-1] + 1)


def test_the_second_process_writes_the_same_delivery_sheets_and_enters_them_in_the_log(
        runner, example_dir: Path, tmp_path: Path, monkeypatch) -> None:
    """Above PARALLEL_ROWS the 配送单 are written, and entered in the follow-up log, by a second process while
    the summary is written; the files, the log's items and what a returned sheet closes are the same."""
    from gridtool.domain.loop.logread import load_log
    from gridtool.output import request_summary

    alone = _run(runner, example_dir, tmp_path / "alone")
    monkeypatch.setattr(request_summary, "PARALLEL_ROWS", 0)
    beside = _run(runner, example_dir, tmp_path / "beside")
    assert [Path(f).name for f in beside["files"]] == [Path(f).name for f in alone["files"]]
    logs = [load_log(Path(r["log"]))[0] for r in (alone, beside)]
    assert [sorted(log["key"]) for log in logs] == [sorted(s["key"] for r in alone["rounds"] for s in r["stops"])] * 2
    assert not [p.name for p in (tmp_path / "beside").iterdir() if p.name.startswith(".~")]
    sheet = next(f for f in beside["files"] if "配送单_李娜" in f)
    book = openpyxl.load_workbook(sheet)
    headers = [c.value for c in book["配送单"][3]]
    book["配送单"].cell(4, headers.index("完成(打√)") + 1).value = "√"
    book.save(tmp_path / "returned.xlsx")
    collected = runner.invoke(app, ["collect", str(tmp_path / "returned.xlsx"), "--log", beside["log"], "--json"])
    assert json.loads(collected.stdout)["done"] == 1


def test_a_day_with_nothing_to_deliver_makes_no_log_and_no_key(runner, tmp_path: Path) -> None:
    """Every request done: the summary is written, no 配送单, and no follow-up log or key appear from nothing;
    with a log from an earlier run it is still used (a rerun's empty list retires the day's unanswered stops)."""
    log_book = write_xlsx(tmp_path / "诉求.xlsx", {"诉求": [
        ["登记时间", "姓名", "楼栋", "房号", "诉求内容", "状态", "处理人", "完成时间"],
        ["2026-11-21 08:00", "张三", "1", "101", "家里没菜了", "已办结", "李四", "2026-11-21 10:00"]]})
    out = tmp_path / "out"
    result = runner.invoke(app, ["requests", str(log_book), "--out", str(out), *NOW, "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["rounds"] == [] and [r["status"] for r in record["requests"]] == ["closed"]
    assert sorted(p.name for p in out.iterdir()) == ["诉求汇总_2026-11-21.xlsx"]
    open_one = write_xlsx(tmp_path / "诉求2.xlsx", {"诉求": [
        ["登记时间", "姓名", "楼栋", "房号", "诉求内容"], ["2026-11-21 08:00", "张三", "1", "101", "家里没菜了"]]})
    assert runner.invoke(app, ["requests", str(open_one), "--out", str(out), *NOW]).exit_code == 0
    assert {"跟进记录.xlsx", "跟进记录.xlsx.key"} <= {p.name for p in out.iterdir()}
    again = runner.invoke(app, ["requests", str(log_book), "--out", str(out), *NOW, "--json"])
    assert again.exit_code == 0, again.output
    issued = openpyxl.load_workbook(out / "跟进记录.xlsx")
    rows = [[c.value for c in row] for row in issued.worksheets[0].iter_rows()]
    assert not any("张三" in str(v) or "张*" in str(v) for row in rows[1:] for v in row), rows[:3]
