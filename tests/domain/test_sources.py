"""The sheet-kind registry: every kind is recognised from its own example, and check agrees with the commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exports import write_xlsx
from gridtool.cli import app
from gridtool.config import Settings
from gridtool.domain.sources import KINDS, load_sources
from gridtool.errors import GridtoolError

# kind -> (example file, sheet) that shows it; a new kind without an example fails the first test.
EXAMPLES = {
    "exemptions": ("居民名册.xlsx", "免打卡登记"),
    "assignments": ("居民名册.xlsx", "网格分工"),
    "requests": ("居民诉求.xlsx", "居民诉求"),
    "households": ("物资库存.xlsx", "楼栋户数"),
    "checkins": ("打卡记录.xlsx", "11月21日"),
    "roster": ("居民名册.xlsx", "居民名册"),
    "movements": ("出入库记录.xlsx", "出入库"),
    "inventory": ("物资库存.xlsx", "库存"),
    "layout": ("楼栋布局.xlsx", "楼栋布局"),
    "service_log": ("志愿服务记录.xlsx", "服务记录"),
    "redemptions": ("积分兑换记录.xlsx", "兑换记录"),
    "volunteer_roster": ("志愿者名册.xlsx", "志愿者名册"),
    "route": ("配送路线.xlsx", "配送路线"),
}
MADE_BY_GRIDTOOL = {"followlog"}  # written by collect; recognised in test_gridtool_outputs_in_a_folder…


def test_every_kind_has_an_example() -> None:
    declared = {k.name for k in KINDS if not k.marker_sheet}
    assert declared == set(EXAMPLES) | MADE_BY_GRIDTOOL


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_kind_is_recognised_from_its_example(example_dir: Path, runner, kind: str) -> None:
    file, sheet = EXAMPLES[kind]
    result = runner.invoke(app, ["check", str(example_dir / file), "--json"])
    assert result.exit_code == 0, result.output
    kinds = {s["sheet"]: s["kind"] for s in json.loads(result.stdout)["sources"]}
    assert kinds[sheet] == kind


def test_a_folder_is_read_like_its_files(example_dir: Path, runner) -> None:
    by_folder = json.loads(runner.invoke(app, ["check", str(example_dir), "--json"]).stdout)["sources"]
    files = sorted(p for p in example_dir.iterdir() if p.suffix in {".xlsx", ".csv"})
    by_files = json.loads(runner.invoke(app, ["check", *map(str, files), "--json"]).stdout)["sources"]
    assert by_folder == by_files and len(by_folder) == 19


def test_check_and_followups_see_the_same_tables(example_dir: Path, tmp_path: Path, runner) -> None:
    checked = json.loads(runner.invoke(app, ["check", str(example_dir / "打卡记录.xlsx"), "--json"]).stdout)
    result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path), "--json"])
    record = json.loads(result.stdout)
    assert [s["sheet"] for s in checked["sources"] if s["kind"] == "checkins"] == \
        [f"11月{d}日" for d in range(17, 22)]
    assert record["days"] == [f"2026-11-{d}" for d in range(17, 22)]
    assert record["residents"] == sum(s["rows"] for s in checked["sources"] if s["sheet"] == "11月21日")


def test_a_roster_given_as_checkins_is_named_as_a_roster(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["followups", str(example_dir / "居民名册.xlsx"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "居民名册.xlsx「居民名册」 看起来是居民名册，不是打卡表" in result.stderr
    assert not list(tmp_path.iterdir())


def test_stock_names_what_it_found_instead(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["stock", str(example_dir / "打卡提交记录.csv"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "没有找到库存表或出入库记录。读到的是：打卡提交记录.csv是打卡表。" in result.stderr


def test_a_roster_in_the_checkin_folder_is_the_roster(example_dir: Path, tmp_path: Path) -> None:
    """A folder holding the day's submissions and the roster works like --roster."""
    folder = tmp_path / "今天"
    folder.mkdir()
    for name in ("打卡提交记录.csv", "居民名册.xlsx"):
        (folder / name).write_bytes((example_dir / name).read_bytes())
    from gridtool.domain.checkins.followups import followups

    by_folder = followups([folder], Settings())
    by_option = followups([folder / "打卡提交记录.csv"], Settings(), roster=folder / "居民名册.xlsx")
    assert by_folder.roster_mode and by_folder.counts == by_option.counts


def test_gridtool_outputs_in_a_folder_are_not_read_as_checkins(example_dir: Path, tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--out", str(out)])
    runner.invoke(app, ["collect", str(out), "--out", str(out)])
    (out / "打卡记录.xlsx").write_bytes((example_dir / "打卡记录.xlsx").read_bytes())
    loaded = load_sources([out], Settings())
    todo = [s for s in loaded.sources if s.file.startswith("待跟进_")]
    assert todo and {s.kind for s in todo} == {"gridtool_output"}
    log = [s for s in loaded.sources if s.file == "跟进记录.xlsx"]
    assert {s.kind for s in log} == {"followlog"} and [s.sheet for s in log if s.label == "跟进记录"][0] == "跟进记录"
    assert [t.path.name for t in loaded.tables["followlog"]] == ["跟进记录.xlsx"] * 2  # the log and its history
    assert len(loaded.tables["checkins"]) == 5


def test_an_empty_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(GridtoolError, match="里没有表格文件"):
        load_sources([tmp_path], Settings())


def test_columns_added_in_the_config_reach_their_own_vocabulary(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "库存.xlsx", {"库存": [["物资名称", "现存数量"], ["口罩", 100]]})
    assert load_sources([path], Settings()).tables["inventory"] == []
    loaded = load_sources([path], Settings(columns={"stock": ("现存数量",)}))
    [table] = loaded.tables["inventory"]
    assert table.fields == ["item", "stock"]


@pytest.mark.parametrize("question", ["下午体温", "是否发热", "健康码", "第二次体温"])
def test_any_question_about_the_day_makes_a_checkin_table(tmp_path: Path, question: str) -> None:
    path = write_xlsx(tmp_path / "表.xlsx", {"Sheet1": [["姓名", "房号", question], ["张三", "1-101", "x"]]})
    assert [t.sheet for t in load_sources([path], Settings()).tables["checkins"]] == ["Sheet1"]
