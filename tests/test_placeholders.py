"""No silent surprises on what residents receive: no example community or phone, no notice without a number to call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exports import write_xlsx
from gridtool.cli import app
from gridtool.config import PLACEHOLDERS, default_config_text
from test_notices import CONFIG, ROSTER


def _line(text: str, key: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key} = "))


def test_the_generated_file_marks_every_placeholder() -> None:
    text = default_config_text()
    lines = text.splitlines()
    for key, value in PLACEHOLDERS.items():
        number = _line(text, key)
        assert lines[number - 1] == f'{key} = "{value}"'
        assert lines[number - 2].startswith("# ") and lines[number - 2].endswith("【示例】")


@pytest.fixture
def unedited(tmp_path: Path, runner) -> dict[str, Path]:
    config = tmp_path / "gridtool.toml"
    assert runner.invoke(app, ["init", "--path", str(config)]).exit_code == 0
    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": ROSTER})
    return {"config": config, "roster": roster, "out": tmp_path / "out"}


@pytest.mark.parametrize("command, keys", [
    (["notices", "打卡提醒", "--roster", "{roster}"], ["community", "hotline"]),
    (["notices", "物资配送", "--roster", "{roster}", "--set", "配送时间=明天"], ["community", "hotline", "office"]),
    (["calls", "{roster}"], ["community", "hotline"]),
    (["tasks", "{roster}"], ["community"]),
    (["tasks", "{roster}", "--wechat"], ["community", "hotline"]),
    (["followups", "{roster}", "--wechat"], ["community", "hotline"]),
])
def test_an_unedited_init_file_is_refused_naming_the_lines(runner, unedited, command: list[str], keys: list[str]) -> None:
    args = [a.format(roster=unedited["roster"]) for a in command]
    result = runner.invoke(app, [*args, "--config", str(unedited["config"]), "--out", str(unedited["out"])])
    assert result.exit_code == 2, result.output
    text = unedited["config"].read_text(encoding="utf-8")
    named = "、".join(f'第 {_line(text, k)} 行 {k} = "{PLACEHOLDERS[k]}"' for k in keys)
    assert result.stderr.splitlines()[0] == f"错误：配置文件 {unedited['config']} 里还是 gridtool init 写的示例：{named}。"
    assert not unedited["out"].exists()


def test_once_edited_the_notices_are_written(runner, unedited) -> None:
    text = unedited["config"].read_text(encoding="utf-8")
    for key, value in PLACEHOLDERS.items():
        text = text.replace(f'{key} = "{value}"', f'{key} = "东园社区{key}"')
    text = text.replace('# "王芳" = "13800000001"\n# "李强" = "13800000002"', '"王芳" = "13800000001"\n"李强" = "13800000002"')
    unedited["config"].write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["notices", "打卡提醒", "--roster", str(unedited["roster"]), "--config",
                                 str(unedited["config"]), "--out", str(unedited["out"]), "--only", "老人", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["notices"] == 2


def _notices(runner, tmp_path: Path, config: str, *extra: str):
    path = tmp_path / "gridtool.toml"
    path.write_text(config, encoding="utf-8")
    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": ROSTER})
    return runner.invoke(app, ["notices", "打卡提醒", "--roster", str(roster), "--config", str(path), "--out",
                               str(tmp_path / "out"), *extra])


def test_a_worker_without_a_phone_stops_before_writing(runner, tmp_path: Path) -> None:
    result = _notices(runner, tmp_path, CONFIG.replace('"李强" = "13800000002"\n', ""), "--only", "慢性病,独居")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "错误：通知上请居民打电话给网格员，但这些网格员没有电话：李强（1 户）。",
        '提示：请在 gridtool.toml 的 [workers] 中填写，例如 "李强" = "13800000001"；以上检查在生成任何文件之前进行。']
    assert not (tmp_path / "out").exists()


def test_one_phone_for_every_page_may_be_set(runner, tmp_path: Path) -> None:
    config = CONFIG.split("[workers]")[0]
    result = _notices(runner, tmp_path, config, "--only", "慢性病", "--set", "网格员电话=0571-80000000", "--json")
    assert result.exit_code == 0, result.output


def test_an_entrance_notice_needs_the_hotline(runner, tmp_path: Path) -> None:
    config = CONFIG.replace('hotline = "0571-87654321"\n', "")
    result = _notices(runner, tmp_path, config, "--per", "楼栋")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "错误：通知上请居民打电话，但有 2 页既没有网格员电话，也没有社区热线。"
