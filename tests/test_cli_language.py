"""The command line speaks Chinese from the first keystroke: help, usage mistakes and their suggestions."""

from __future__ import annotations

import re

import pytest

from gridtool.cli import app

COMMANDS = [c.name for c in app.registered_commands]
WITH_FILES = ["followups", "tasks", "collect", "stock", "calls", "dashboard", "check"]  # commands that need a file argument
# What may stay in Latin letters: option names, command names, file names, and product names staff know.
ALLOWED = [
    r"(?<![\w-])--?[A-Za-z][\w-]*",                         # --json, -o
    r"[\w.\-/（）]*\.(?:xlsx|xls|csv|txt|toml|pdf|html|j2)\b",  # 打卡记录.xlsx, gridtool.toml
    r"\bgridtool(?:-out)?\b", r"\b(?:JSON|PDF|Excel|WPS|HTML|Chrome|Edge|Chromium)\b",
    *(rf"\b{name}\b" for name in COMMANDS),
]


def english_words(text: str) -> list[str]:
    for pattern in ALLOWED:
        text = re.sub(pattern, " ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


def test_the_checker_finds_english_and_lets_names_pass() -> None:
    assert english_words("Usage: gridtool check [OPTIONS] {files}...") == ["Usage", "OPTIONS", "files"]
    assert english_words("Missing argument 'files'. Try 'gridtool check --help' for help.") == [
        "Missing", "argument", "files", "Try", "for", "help"]
    assert english_words("用法：gridtool followups [选项] 文件... --wechat 打卡记录.xlsx gridtool.toml 输出 JSON") == []


@pytest.mark.parametrize("args", [["--help"], *([c, "--help"] for c in COMMANDS)], ids=lambda a: " ".join(a))
def test_help_is_chinese(runner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert english_words(result.stdout) == [], result.stdout
    assert "用法：" in result.stdout and "显示本帮助并退出。" in result.stdout


@pytest.mark.parametrize("args", [["--weixin"], ["跟进"], *([c, "--weixin", "x.xlsx"] for c in COMMANDS),
                                  *([c] for c in WITH_FILES)], ids=lambda a: " ".join(a))
def test_usage_mistakes_are_chinese_with_exit_2(runner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("错误："), result.stderr
    assert english_words(result.stderr) == [], result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_a_near_miss_gets_a_suggestion(runner) -> None:
    result = runner.invoke(app, ["followups", "打卡.xlsx", "--weixin"])
    assert result.stderr.splitlines()[:2] == ["错误：没有 --weixin 这个选项。", "提示：您是不是想输入 --wechat？"]
    result = runner.invoke(app, ["folowups"])
    assert result.stderr.splitlines()[:2] == ["错误：没有 folowups 这个命令。", "提示：您是不是想输入 followups？"]


def test_missing_argument_names_what_is_missing(runner) -> None:
    result = runner.invoke(app, ["calls"])
    assert result.stderr.splitlines() == ["错误：缺少参数「文件」：打卡表（与 gridtool followups 相同）。",
                                          "提示：用法：gridtool calls [选项] 文件...", "用 gridtool calls --help 查看说明和示例。"]


@pytest.mark.parametrize("args, message", [
    (["stock", "a.xlsx", "--window", "abc"], "错误：--window 的值不对：应为整数，如 7。"),
    (["followups", "a.xlsx", "--fever", "高"], "错误：--fever 的值不对：应为数字，如 37.3。"),
    (["stock", "a.xlsx", "--plan", "5"], "错误：选项 --plan 后面要写上 2 个值。"),
    (["check", "a.xlsx", "--json=yes"], "错误：选项 --json 后面不需要写值。"),
    (["calls", "."], "错误：「.」是一个文件夹，这里要的是文件。"),
])
def test_bad_values_are_explained(runner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stderr.splitlines()[0] == message


def test_help_texts_fold_instead_of_being_cut(runner) -> None:
    """A Chinese sentence has no space to break at; typer would cut it with an ellipsis."""
    result = runner.invoke(app, ["stock", "--help"], env={"COLUMNS": "80"})
    assert "…" not in result.stdout
    assert "即将不足" in result.stdout.replace("│", "").replace(" ", "").replace("\n", "")
