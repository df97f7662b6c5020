"""The typer app, the error handler, --version and --debug: what every command module imports.

This module imports no command and nothing heavy, so `gridtool --version` and `--help` start fast;
`gridtool.cli` (the package) joins the commands onto `app`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from gridtool import __version__
from gridtool.cli.chinese import ChineseCommand, ChineseGroup
from gridtool.cli.show import err_console, escape, report_error
from gridtool.errors import INTERRUPTED_MESSAGE, ExitCode, GridtoolError, os_error


class App(typer.Typer):
    """A typer app whose commands speak Chinese (cli/chinese.py)."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", ChineseCommand)
        return super().command(*args, **kwargs)


app = App(
    name="gridtool",
    cls=ChineseGroup,
    help="社区防疫网格工具：读取腾讯文档/金山文档/Excel 导出的表格，生成每位网格员的待跟进清单。",
    no_args_is_help=True,
    add_completion=False,
    epilog="每天：followups 找出要跟进的人 → tasks 给楼栋长派单 → collect 收回结果；第二天带上 --log。"
           "第一次用先运行 gridtool check 打卡表.xlsx 和 gridtool init。",
    rich_markup_mode="rich",
)
# "ends_with_command": this process ends at once when its command has (`gridtool.__main__`), not a caller that goes
# on (tests, a program running commands in its own process)
STATE = {"debug": False, "interrupted": False, "ends_with_command": False}
F = TypeVar("F", bound=Callable[..., Any])


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gridtool {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="显示版本号。")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的技术信息（程序调用栈）。")] = False,
) -> None:
    """社区防疫网格工具。"""
    STATE["debug"] = debug


def handle_errors(func: F) -> F:
    """Unusable input, and a disk or folder that cannot be written -> a Chinese message on stderr and exit 2;
    Ctrl-C -> one line and exit 130; a bug -> exit 1 (traceback with --debug)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            code = func(*args, **kwargs)
        except GridtoolError as exc:
            if STATE["debug"]:
                raise
            _report(exc)
        except KeyboardInterrupt:
            exit_interrupted()
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if STATE["debug"]:
                raise
            place = getattr(exc, "filename", None)
            known = os_error(exc, f"「{place}」" if place else "文件或文件夹", writing=False) \
                if isinstance(exc, OSError) else None
            if known is not None:
                _report(known)
            err_console.print(f"[bold red]内部错误：[/]{type(exc).__name__}: {escape(str(exc))}", highlight=False)
            err_console.print("[yellow]提示：[/]这是 gridtool 的问题，不是您的操作问题。"
                              "加上 --debug 重新运行可看到详细信息，"
                              "请把它发给维护人员（注意不要附带居民个人信息）。", highlight=False)
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
        raise typer.Exit(int(code or 0))

    return wrapper  # type: ignore[return-value]


def exit_interrupted() -> NoReturn:
    """Ctrl-C: one line, exit 130; the output folder was left whole by output.staging."""
    if not STATE["interrupted"]:
        STATE["interrupted"] = True
        sys.stderr.write(f"\n{INTERRUPTED_MESSAGE}\n")
    raise SystemExit(int(ExitCode.INTERRUPTED))


def _report(exc: GridtoolError) -> NoReturn:
    report_error(exc.message, exc.hint)
    raise typer.Exit(int(exc.code)) from None


SHOWN_FILES = 3  # files named while they are read; more are counted


def read_while_importing(files: Iterable[Path | None], modules: Iterable[str],
                         step: Callable[[str], None] | None = None) -> None:
    """Read the command's workbooks first (calamine, in this thread) while a second thread imports the modules
    the command will use: calamine releases the GIL, so on two cores the imports take no time of their own.
    An import that fails there fails again, with its usual message, where the command imports the module.
    `step`: the progress display, told which files are read."""
    from gridtool.table.workbook import read_first

    books = [path for path in files if path is not None]
    if step is not None and books:
        named = "、".join(path.name for path in books[:SHOWN_FILES])
        step(f"读取 {named}" + (f" 等 {len(books)} 个文件" if len(books) > SHOWN_FILES else ""))

    def import_all() -> None:
        with contextlib.suppress(Exception):
            for module in modules:
                importlib.import_module(module)

    importing = threading.Thread(target=import_all, name="gridtool-imports", daemon=True)
    importing.start()
    read_first(books)
    importing.join()
