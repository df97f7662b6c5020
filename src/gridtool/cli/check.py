"""`gridtool check`: show what the reader understood, so staff can see why an export was misread."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridtool.cli import show
from gridtool.cli.app import handle_errors
from gridtool.cli.options import ConfigOption, JsonOption, settings_from

EXAMPLE = """
示例：

  gridtool check 打卡记录.xlsx
"""


@handle_errors
def check_command(
    files: Annotated[list[Path], typer.Argument(help="要检查的表格文件，或存放它们的文件夹。")],
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> int:
    from gridtool.domain.inspect import inspect_files
    from gridtool.output.records import check_record

    settings = settings_from(config)
    with show.progress() as step:
        report = inspect_files(files, settings, step)
    if as_json:
        show.print_json(check_record(report))
    else:
        show.show_check(report)
    return 0


def register(app: typer.Typer) -> None:
    app.command("check", help="显示程序从表格中读到了什么：表头在哪一行、每列识别成什么、哪些值无法识别。\n" + EXAMPLE)(
        check_command)
