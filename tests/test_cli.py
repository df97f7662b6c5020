from __future__ import annotations

import json
from pathlib import Path

import pytest

from exports import HEADER, write_xlsx
from gridtool import __version__
from gridtool.cli import app
from gridtool.errors import ExitCode

COMMANDS = [c.name for c in app.registered_commands]


def test_commands_are_discovered() -> None:
    assert {"followups", "collect", "check", "init"} <= set(COMMANDS)


def test_version(runner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"gridtool {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_json(runner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "示例" in result.stdout and f"gridtool {command}" in result.stdout
    assert "--json" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"gridtool {command}" in readme


def test_followups_json_contract(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["followups", str(example_dir / "打卡提交记录.csv"), "--roster",
                                 str(example_dir / "居民名册.xlsx"), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert {"date", "residents", "checked_in", "exempt", "flagged", "unmatched", "files"} <= set(record)
    assert record["residents"] == record["exempt"] + record["checked_in"] + record["missing"]
    for item in record["flagged"]:
        assert {"name", "building", "unit", "room", "phone", "worker", "reasons", "temperature",
                "missing_days"} <= set(item)
        assert set(item["reasons"]) <= {"missing", "fever", "symptoms", "bad_temperature"} and item["reasons"]
        assert item["temperature"] is None or isinstance(item["temperature"], float)
    assert [u["name"] for u in record["unmatched"]] == ["周新来"]
    assert {m["name"] for m in record["matched_with_note"]} == {"杨秀宏", "袁洋晶"}
    assert all(Path(f).exists() for f in record["files"])


def test_followups_human_summary(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "2026年11月21日 健康打卡" in result.stdout and "按网格员" in result.stdout
    assert "待跟进_王芳_2026-11-21.xlsx" in result.stdout


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    renamed = tmp_path / "改了名.xlsx"
    renamed.write_text("姓名,房号\n张三,101\n", encoding="utf-8")
    encrypted = tmp_path / "加密.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    corrupt = tmp_path / "损坏.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 300)
    empty = write_xlsx(tmp_path / "空白.xlsx", {"Sheet1": []})
    no_name = write_xlsx(tmp_path / "缺列.xlsx", {"Sheet1": [["房号", "体温", "打卡时间"], ["101", 36.5, "8:00"]]})
    return {
        "missing": (tmp_path / "不存在.xlsx", "找不到文件"),
        "renamed": (renamed, "不是 Excel 表格"),
        "encrypted": (encrypted, "密码"),
        "corrupt": (corrupt, "无法读取"),
        "empty": (empty, "没有找到打卡表"),
        "no_name": (no_name, "缺少必需的列「姓名」"),
    }


@pytest.mark.parametrize("case", ["missing", "renamed", "encrypted", "corrupt", "empty", "no_name"])
def test_bad_input_exits_2_with_a_chinese_message_and_no_traceback(tmp_path: Path, runner, case: str) -> None:
    path, words = _bad_inputs(tmp_path)[case]
    result = runner.invoke(app, ["followups", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == ExitCode.INPUT
    assert path.name in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["--debug", "followups", str(tmp_path / "不存在.xlsx")])
    assert result.exit_code != 0 and result.exception is not None


def test_bad_date_option(example_dir: Path, runner) -> None:
    result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--date", "昨天"])
    assert result.exit_code == ExitCode.INPUT and "--date「昨天」" in result.stderr


def test_check_shows_header_row_mapping_and_unreadable_cells(tmp_path: Path, runner) -> None:
    rows = [["某社区打卡"], [], HEADER, [1, "张三", "1-101", "三十六度", "否", "8:00", "王芳"],
            [2, "李四", "1-102", 36.5, "否", "已打", "王芳"]]
    path = write_xlsx(tmp_path / "打卡.xlsx", {"11月21日": rows})
    result = runner.invoke(app, ["check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    [source] = record["sources"]
    assert source["header_row"] == 3 and source["rows"] == 2 and source["kind"] == "checkins"
    assert source["columns"]["体温"] == "D「体温」"
    assert [(p["type"], p["column"], p["row"], p["value"]) for p in record["problems"]] == [
        ("bad_temperature", "D", 4, "三十六度"), ("unreadable_time", "F", 5, "已打")]
    assert source["columns"]["序号（编号，不读作居民信息）"] == "A「序号」"  # recognised, never read as an answer
    assert record["unmapped"] == [{"file": "打卡.xlsx", "sheet": "11月21日", "columns": []}]
    human = runner.invoke(app, ["check", str(path)])
    assert "表头在第 3 行" in human.stdout and "D4" in human.stdout and "三十六度" in human.stdout


def test_init_writes_a_config_every_command_reads(tmp_path: Path, runner, example_dir: Path) -> None:
    target = tmp_path / "gridtool.toml"
    result = runner.invoke(app, ["init", "--path", str(target)])
    assert result.exit_code == 0 and target.exists()
    again = runner.invoke(app, ["init", "--path", str(target)])
    assert again.exit_code == ExitCode.INPUT and "已存在" in again.stderr
    text = target.read_text(encoding="utf-8").replace("fever_threshold = 37.3", "fever_threshold = 36.0")
    target.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--config", str(target),
                                 "--out", str(tmp_path / "out"), "--json"])
    record = json.loads(result.stdout)
    assert record["fever"] > 100  # almost everyone is at or above 36.0
    wb_title = __import__("openpyxl").load_workbook(record["files"][0])["待跟进"]["A1"].value
    assert wb_title.startswith("幸福里社区待跟进名单")


def test_check_understands_stock_files(runner, example_dir: Path, tmp_path: Path) -> None:
    inventory = write_xlsx(tmp_path / "库存.xlsx", {"库存": [["物资名称", "当前库存", "预警值"], ["口罩", "一百", 10]]})
    result = runner.invoke(app, ["check", str(inventory), str(example_dir / "出入库记录.xlsx"), "--json"])
    record = json.loads(result.stdout)
    assert [(s["kind"], s["header_row"]) for s in record["sources"]] == [("inventory", 1), ("movements", 1)]
    assert record["sources"][0]["columns"]["库存"] == "B「当前库存」"
    assert [(p["column"], p["row"]) for p in record["problems"]] == [("B", 2)]
    human = runner.invoke(app, ["check", str(inventory)])
    assert "物资库存表" in human.stdout and "B2" in human.stdout


def test_brackets_in_messages_and_names_are_shown_not_taken_as_markup(tmp_path: Path, runner) -> None:
    path = write_xlsx(tmp_path / "打卡[1].xlsx", {"Sheet1": [["房号", "体温"], ["101", 36.5]]})
    result = runner.invoke(app, ["followups", str(path)])
    assert "打卡[1].xlsx" in result.stderr and "[columns]" in result.stderr
    rows = [["姓名", "房号", "打卡时间", "网格员"], ["张三", "101", "", "[组长]王芳"], ["李四", "102", "08:00", "[组长]王芳"]]
    checkins = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows})
    shown = runner.invoke(app, ["followups", str(checkins), "--out", str(tmp_path / "out")])
    assert shown.exit_code == 0 and "[组长]王芳" in shown.stdout


def test_check_names_the_rows_it_skipped(tmp_path: Path, runner) -> None:
    rows = [["姓名", "房号", "打卡时间"], ["张三", "101", "8:00"], ["合计", None, "1人"], ["注：请按时打卡"]]
    path = write_xlsx(tmp_path / "打卡.xlsx", {"Sheet1": rows})
    record = json.loads(runner.invoke(app, ["check", str(path), "--json"]).stdout)
    assert [(p["type"], p["row"]) for p in record["problems"]] == [("skipped_row", 3), ("skipped_row", 4)]


def test_long_lists_show_the_lowest_rates_first(tmp_path: Path, runner) -> None:
    rows = [["姓名", "楼栋", "房号", "打卡时间"]]
    rows += [[f"住户{b}", str(b), "101", "" if b == 33 else "8:00"] for b in range(1, 41)]
    path = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows})
    shown = runner.invoke(app, ["followups", str(path), "--out", str(tmp_path / "out")]).stdout
    assert "打卡率最低的 30 个，共 40 个" in shown
    assert shown.index("│ 33 ") < shown.index("│ 1 ")


def test_followups_json_made_beside_the_books_is_the_whole_record(example_dir: Path, tmp_path: Path, runner,
                                                                  monkeypatch) -> None:
    """With the books shared by two processes, the --json text is made while they are written and the files
    are put in after (the WeChat texts written last among them): the same record as written in one process."""
    import gridtool.output.followup_books as followup_books

    config = tmp_path / "gridtool.toml"
    config.write_text('community = "和平里社区"\nhotline = "0571-87654321"\n', encoding="utf-8")

    def run(out: str) -> dict:
        result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--roster",
                                     str(example_dir / "居民名册.xlsx"), "--wechat", "--config", str(config),
                                     "--out", str(tmp_path / out), "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    alone = run("one")
    monkeypatch.setattr(followup_books, "PARALLEL_ROWS", 0)
    shared = run("two")
    assert list(shared) == list(alone) and list(shared)[-1] == "files"
    assert {k: v for k, v in shared.items() if k != "files"} == {k: v for k, v in alone.items() if k != "files"}
    assert [Path(f).name for f in shared["files"]] == [Path(f).name for f in alone["files"]]
    assert sorted(Path(f).name for f in shared["files"]) == sorted(p.name for p in (tmp_path / "two").iterdir())
    assert any(Path(f).name.startswith("群消息_") for f in shared["files"])


def test_a_json_text_gets_its_files_put_in_only_where_they_belong() -> None:
    from gridtool.cli.show import json_text, with_files

    record = {"date": "2026-11-21", "flagged": [{"name": "张三", "note": '引号"与\\反斜杠'}], "files": []}
    text = with_files(json_text(record), [Path("out/待跟进_王芳.xlsx"), Path("out/汇总.xlsx")])
    assert json.loads(text) == {**record, "files": ["out/待跟进_王芳.xlsx", "out/汇总.xlsx"]}
    with pytest.raises(ValueError):
        with_files(json_text({"files": [], "date": "x"}), [])
