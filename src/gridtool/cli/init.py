"""`gridtool init`: write a commented gridtool.toml to adjust."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridtool.cli import show
from gridtool.cli.app import handle_errors
from gridtool.cli.options import JsonOption
from gridtool.config import CONFIG_NAME, write_default_config

EXAMPLE = """
示例：

  gridtool init

  gridtool init --path 配置/gridtool.toml
"""


@handle_errors
def init_command(
    path: Annotated[Path, typer.Option("--path", help="写到哪里。", dir_okay=False)] = Path(CONFIG_NAME),
    force: Annotated[bool, typer.Option("--force", help="已存在时覆盖。")] = False,
    as_json: JsonOption = False,
) -> int:
    written = write_default_config(path, force)
    if as_json:
        show.print_json({"files": [str(written)]})
    else:
        show.console.print(f"已生成 {show.escape(str(written))}。请用记事本打开，填写社区名称、热线和网格分工。")
    return 0


def register(app: typer.Typer) -> None:
    app.command("init", help="生成一个带说明的配置文件 gridtool.toml（社区名称、热线、发热标准、列名、网格分工）。\n"
                + EXAMPLE)(init_command)
