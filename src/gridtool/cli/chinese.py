"""The command line in Chinese: the help frame, value names, and every command-line mistake.

typer (0.29 and later) ships its own copy of click whose messages are English literals, not gettext
strings, so translating a catalogue is not possible. Instead the app uses the extension points typer
offers: its own command and group classes (`cls=`) name the usage line, value names and the help
option in Chinese, typer's rich help frame takes its panel titles from module constants, and a usage
error is caught where the group parses and runs, and explained by its type in one Chinese line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import typer
from rich.text import Text
from typer._click import Context
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperCommand, TyperGroup

HELP_TEXT = "显示本帮助并退出。"
OPTIONS_METAVAR = "[选项]"
# Value names shown in help and usage, by the type typer would show; a declared metavar wins.
VALUE_NAMES = {"<bool>": "", "<int>": "整数", "<float>": "数字", "<str>": "文字", "<file>": "文件", "<dir>": "文件夹",
               "<path>": "路径", "<list[Path]>": "文件", "<list[str]>": "文字", "<int,str>": "数量 名称"}
KIND_NAMES = {"整数": "整数，如 7", "数字": "数字，如 37.3", "数量 名称": "一个整数和一个名称，如 600 医用口罩"}
FRAME = {"ARGUMENTS_PANEL_TITLE": "参数", "OPTIONS_PANEL_TITLE": "选项", "COMMANDS_PANEL_TITLE": "命令",
         "ERRORS_PANEL_TITLE": "错误", "DEFAULT_STRING": "[默认：{}]", "REQUIRED_LONG_STRING": "[必填]",
         "ENVVAR_STRING": "[环境变量：{}]", "DEPRECATED_STRING": "（已停用）", "ABORTED_TEXT": "已中止。",
         "RICH_HELP": "用 [blue]{command_path} {help_option}[/] 查看说明。"}


class NoSuchCommand(UsageError):
    def __init__(self, name: str, known: list[str], ctx: Any) -> None:
        super().__init__(name, ctx)
        self.name, self.known = name, known


def _chinese_frame() -> None:
    """typer reads its help frame's words from module constants when it prints help. Its help texts are
    cut with "…" where a line has no space to break at, which is every Chinese sentence: they fold instead."""
    from typer import rich_utils

    for name, text in FRAME.items():
        setattr(rich_utils, name, text)
    make_text = rich_utils._make_rich_text
    if not getattr(make_text, "folds", False):
        def folding(**kwargs: Any) -> Any:
            text = make_text(**kwargs)
            if isinstance(text, Text):
                text.overflow = "fold"
            return text

        folding.folds = True  # type: ignore[attr-defined]
        rich_utils._make_rich_text = folding


class _Chinese:
    """What the command and the group share: usage line, help option and value names in Chinese."""

    options_metavar: str | None

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = " ".join(self.collect_usage_pieces(ctx))  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, re.sub(r"\{(.+?)\}", r"\1", pieces), prefix="用法：")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.metavar is None:
                param.metavar = VALUE_NAMES.get(param.display_type(ctx), "值")
            if param.param_type_name == "argument":  # its name column already shows the value name
                param.display_type_rich = lambda ctx: None
        return params

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _chinese_frame()
        super().format_help(ctx, formatter)  # type: ignore[misc]


class ChineseCommand(_Chinese, TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = OPTIONS_METAVAR

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        with explained(ctx):
            return super().parse_args(ctx, args)


class ChineseGroup(_Chinese, TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = OPTIONS_METAVAR
        self.subcommand_metavar = "命令 [参数]..."

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with explained():
            return super().make_context(*args, **kwargs)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            raise NoSuchCommand(args[0], list(self.commands), ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        with explained():
            return super().invoke(ctx)


@contextmanager
def explained(ctx: Any = None) -> Iterator[None]:
    """A command-line mistake -> one Chinese line on stderr and exit 2 (help requests pass through)."""
    try:
        yield
    except NoArgsIsHelpError:
        raise
    except UsageError as exc:
        from gridtool.cli.show import report_error

        message, hint = explain(exc)
        ctx = exc.ctx or ctx
        command = ctx.command_path if ctx is not None else "gridtool"
        usage = ctx.get_usage() + "\n" if ctx is not None else ""
        report_error(message, f"{hint}{usage}用 {command} --help 查看说明和示例。")
        raise typer.Exit(2) from None


def explain(exc: UsageError) -> tuple[str, str]:
    """The mistake and, when there is one, the likely fix (message, hint); the hint ends with a line break."""
    if isinstance(exc, NoSuchCommand):
        return f"没有 {exc.name} 这个命令。", _did_you_mean(exc.name, exc.known)
    if isinstance(exc, NoSuchOption):
        known = [o for p in exc.ctx.command.get_params(exc.ctx) for o in p.opts if o.startswith("-")] if exc.ctx else []
        return f"没有 {exc.option_name} 这个选项。", _did_you_mean(exc.option_name, list(exc.possibilities or known))
    if isinstance(exc, MissingParameter):
        return f"缺少{_param_name(exc.param)}。", ""
    if isinstance(exc, BadParameter):
        return _bad_value(exc), ""
    if isinstance(exc, BadOptionUsage):
        if "does not take" in exc.message:
            return f"选项 {exc.option_name} 后面不需要写值。", ""
        count = re.search(r"requires (\d+) arguments", exc.message)
        return f"选项 {exc.option_name} 后面要写上{f' {count.group(1)} 个' if count else ''}值。", ""
    extra = re.search(r"unexpected extra arguments? \((.*)\)", exc.message)
    if extra:
        return f"多出了参数：{extra.group(1)}。", "如果文件名里有空格，请用英文引号把它括起来。\n"
    return "命令行的写法不对。", ""


def _did_you_mean(typed: str, known: list[str]) -> str:
    close = difflib.get_close_matches(typed, known, n=1, cutoff=0.5)
    return f"您是不是想输入 {close[0]}？\n" if close else ""


def _param_name(param: Any) -> str:
    if param is None:
        return "参数"
    if param.param_type_name == "option":
        return f"选项 {param.opts[0]}"
    help_text = (param.help or "").rstrip("。")
    return f"参数「{param.metavar or '文件'}」" + (f"：{help_text}" if help_text else "")


def _bad_value(exc: BadParameter) -> str:
    path = re.search(r"'(.*)' (does not exist|is a directory|is a file|is not readable|is not writable)", exc.message)
    if path:
        problem = {"does not exist": "不存在", "is a directory": "是一个文件夹，这里要的是文件",
                   "is a file": "是一个文件，这里要的是文件夹", "is not readable": "没有读取权限",
                   "is not writable": "没有写入权限"}[path.group(2)]
        return f"「{path.group(1)}」{problem}。"
    param = exc.param
    if param is None:
        return "有一个值写得不对。"
    typed = VALUE_NAMES.get(param.display_type(cast(Context, exc.ctx)), "")
    kind = KIND_NAMES.get(typed, typed)
    where = param.opts[0] if param.param_type_name == "option" else f"参数「{param.metavar}」"
    return f"{where} 的值不对：应为{kind}。" if kind else f"{where} 的值不对。"
