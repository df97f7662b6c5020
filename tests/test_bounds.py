"""Every number has a sensible range, the same for a flag, an environment variable and gridtool.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridtool.cli import app
from gridtool.config import BOUNDS, Settings, load_settings
from gridtool.errors import GridtoolError

FEVER = "应为 35 到 42 ℃之间的数字。"
HOURS = "应为 1 到 720 小时之间的数字。"
WINDOW = "应为 1 到 366 天之间的整数。"
PLAN = "应为 1 到 1000000 之间的整数。"


@pytest.mark.parametrize("args, message", [
    (["followups", "a.xlsx", "--fever", "nan"], f"--fever「nan」不是有效的值：{FEVER}"),
    (["followups", "a.xlsx", "--fever", "-1"], f"--fever「-1」不是有效的值：{FEVER}"),
    (["followups", "a.xlsx", "--fever", "373"], f"--fever「373」不是有效的值：{FEVER}"),
    (["followups", "a.xlsx", "--fever", "3.73"], f"--fever「3.73」不是有效的值：{FEVER}"),
    (["collect", "a.xlsx", "--overdue-hours", "nan"], f"--overdue-hours「nan」不是有效的值：{HOURS}"),
    (["collect", "a.xlsx", "--overdue-hours", "inf"], f"--overdue-hours「inf」不是有效的值：{HOURS}"),
    (["collect", "a.xlsx", "--overdue-hours", "-1"], f"--overdue-hours「-1」不是有效的值：{HOURS}"),
    (["stock", "a.xlsx", "--window", "100000000"], f"--window「100000000」不是有效的值：{WINDOW}"),
    (["stock", "a.xlsx", "--window", "0"], f"--window「0」不是有效的值：{WINDOW}"),
    (["stock", "a.xlsx", "--plan", "99999999999999999999", "口罩"],
     f"--plan 的数量「99999999999999999999」不是有效的值：{PLAN}"),
    (["stock", "a.xlsx", "--plan", "-5", "口罩"], f"--plan 的数量「-5」不是有效的值：{PLAN}"),
    (["stock", "a.xlsx", "--plan", "0", "口罩"], f"--plan 的数量「0」不是有效的值：{PLAN}"),
])
def test_flags_out_of_range_are_input_errors(runner, tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--config", str(_empty_config(tmp_path))])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == f"错误：{message}"


def test_an_unknown_plan_item_names_the_known_ones(runner, example_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["stock", str(example_dir / "物资库存.xlsx"), str(example_dir / "出入库记录.xlsx"),
                                 "--roster", str(example_dir / "居民名册.xlsx"), "--out", str(tmp_path),
                                 "--plan", "600", "医用口照"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "错误：--plan 的物资「医用口照」在库存表和出入库记录中都没有。"
    assert lines[1].startswith("提示：已有的物资：") and "医用口罩" in lines[1]
    assert not list(tmp_path.glob("*.xlsx"))


@pytest.mark.parametrize("line, message", [
    ("elderly_age = 1e400", "第 2 行的 elderly_age「inf」不是有效的值：应为 40 到 120 岁之间的整数。"),
    ("elderly_age = 7", "第 2 行的 elderly_age「7」不是有效的值：应为 40 到 120 岁之间的整数。"),
    ("fever_threshold = nan", f"第 2 行的 fever_threshold「nan」不是有效的值：{FEVER}"),
    ("overdue_hours = true", f"第 2 行的 overdue_hours「True」不是有效的值：{HOURS}"),
])
def test_gridtool_toml_out_of_range_names_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "gridtool.toml"
    path.write_text(f"[checks]\n{line}\n", encoding="utf-8")
    with pytest.raises(GridtoolError) as caught:
        load_settings(env={}, cwd=tmp_path)
    assert caught.value.message == f"配置文件 {path} {message}"


@pytest.mark.parametrize("name, value", [("GRIDTOOL_FEVER_THRESHOLD", "nan"), ("GRIDTOOL_OVERDUE_HOURS", "1e9"),
                                         ("GRIDTOOL_WINDOW", "-3"), ("GRIDTOOL_ELDERLY_AGE", "abc")])
def test_environment_out_of_range(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(GridtoolError, match=f"环境变量 {name}「{value}」不是有效的值：应为"):
        load_settings(env={name: value}, cwd=tmp_path)


def test_the_defaults_are_inside_their_ranges() -> None:
    defaults = Settings()
    assert [key for key, bound in BOUNDS.items() if bound.check(getattr(defaults, key), key) != getattr(defaults, key)] == []


def test_a_window_in_gridtool_toml_is_used(runner, example_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "gridtool.toml").write_text("[stock]\nwindow = 3\n", encoding="utf-8")
    assert load_settings(env={}, cwd=tmp_path).window == 3
    assert load_settings(env={}, cwd=tmp_path).with_flags(window=10).window == 10


def _empty_config(folder: Path) -> Path:
    path = folder / "gridtool.toml"
    path.write_text("", encoding="utf-8")
    return path
