"""`gridtool calls` (also `gridtool notices calls`): call scripts per grid worker (共情倾听 → 清晰解释 → 提供方案)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridtool.cli import show, show_services
from gridtool.cli.app import handle_errors
from gridtool.cli.options import Common, FontOption, common_options, output_files
from gridtool.config import Settings, require_edited
from gridtool.errors import GridtoolError

EXAMPLE = """
示例：

  gridtool calls 打卡记录.xlsx --roster 居民名册.xlsx

  gridtool calls 打卡记录.xlsx --roster 居民名册.xlsx --date 2026-11-21 --out 电话提纲
"""


@handle_errors
@common_options(date=True)
def calls_command(
    checkins: Annotated[list[Path], typer.Argument(help="打卡表（与 gridtool followups 相同）。", dir_okay=False)],
    roster: Annotated[Path | None, typer.Option("--roster", "-r", help="居民名册（年龄、独居、慢性病）。",
                                                dir_okay=False)] = None,
    font: FontOption = None,
    *,
    common: Common,
) -> int:
    return run_calls(common.settings(), checkins, roster, font, common)


def run_calls(settings: Settings, checkins: list[Path], roster: Path | None, font: Path | None,
              common: Common) -> int:
    from gridtool.domain.checkins.followups import followups
    from gridtool.domain.loop.answers import answer_list
    from gridtool.domain.notices.calls import call_list
    from gridtool.output.call_files import write_call_files
    from gridtool.output.records import calls_record
    from gridtool.output.todo_sheets import Heading

    if not checkins:
        raise GridtoolError("电话沟通提纲需要今天的打卡表：请用 --checkins 给出。")
    require_edited(settings, ("community", "hotline"))
    with show.progress() as step:
        calls = call_list(followups(checkins, settings, common.date, roster, step), settings)
        step("生成电话沟通提纲")
        with output_files(settings, checkins, roster, font, common.config) as run:
            write_call_files(run, calls.calls, Heading(settings.community, calls.date), settings,
                             answer_list(settings), str(font) if font else None)
        files = run.files
    show.print_json(calls_record(calls, files)) if common.as_json else show_services.show_calls(calls, files)
    return 0


def register(app: typer.Typer) -> None:
    app.command("calls", help="给每位网格员的电话沟通提纲（PDF 打印版 + 可收回的 Excel）：每位要打电话的居民一段，"
                "按“共情倾听 → 清晰解释 → 提供方案”三步写好。\n" + EXAMPLE)(calls_command)
