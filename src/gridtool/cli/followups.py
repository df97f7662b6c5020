"""`gridtool followups`: who to follow up today, one to-do workbook per grid worker."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gridtool.cli import show
from gridtool.cli.app import handle_errors, read_while_importing
from gridtool.cli.collect import issued_log_entry
from gridtool.cli.options import Common, OverdueOption, common_options, output_files
from gridtool.config import require_edited

if TYPE_CHECKING:
    from gridtool.config import Settings
    from gridtool.domain.checkins.followups import FollowupResult
    from gridtool.output.staging import OutputRun

EXAMPLE = """
示例：

  gridtool followups 打卡记录.xlsx

  gridtool followups 打卡提交记录.csv --roster 居民名册.xlsx --date 2026-11-21 --out 今日跟进
"""
# imported by a second thread while this one reads the workbooks (cli.app.read_while_importing)
FOLLOWUPS_MODULES = ("gridtool.domain.checkins.followups", "gridtool.domain.loop.answers",
                     "gridtool.output.followup_books", "gridtool.output.records")


@handle_errors
@common_options(date=True)
def followups_command(
    checkins: Annotated[list[Path], typer.Argument(
        help="打卡表：每日一张表的工作簿、多个文件，收集表导出的提交记录，或存放它们的文件夹。")],
    roster: Annotated[Path | None, typer.Option(
        "--roster", "-r", help="居民名册；给出时，名册上当天没有提交的人算未打卡。", dir_okay=False)] = None,
    assignments: Annotated[Path | None, typer.Option("--assignments", "-a", help="网格分工表（楼栋/单元 → 网格员）。",
                                                     dir_okay=False)] = None,
    fever: Annotated[float | None, typer.Option("--fever", help="发热标准，默认 37.3 ℃。")] = None,
    log: Annotated[Path | None, typer.Option(
        "--log", "-l", help="跟进记录（gridtool collect 生成）：今天已办结的不再发出，昨天未办结的带到今天的表上。",
        dir_okay=False)] = None,
    wechat: Annotated[bool, typer.Option(
        "--wechat", help="同时为每个楼栋群写好可直接粘贴的提醒消息（群消息_1栋_日期.txt）。")] = False,
    overdue: OverdueOption = None,
    *,
    common: Common,
) -> int:
    from gridtool.output.second_process import standby_for
    from gridtool.output.warm import FOLLOWUP_BOOKS

    settings = common.settings(fever_threshold=fever, overdue_hours=overdue)
    if wechat:
        require_edited(settings, ("community", "hotline"))
    # a big file: a second process gets ready (imports) for the worker books while this one reads
    with show.progress() as step, standby_for(checkins, FOLLOWUP_BOOKS) as standby:
        read_while_importing([*checkins, roster, assignments, log], FOLLOWUPS_MODULES, step)
        from gridtool.domain.checkins.followups import Extras, followups
        from gridtool.domain.loop.answers import answer_list
        from gridtool.output.followup_books import FollowupTables, write_followup_files
        from gridtool.output.records import followups_json
        from gridtool.output.todo_sheets import Heading

        result = followups(checkins, settings, common.date, roster, step,
                           extras=Extras(assignments, log))
        step("写入待跟进表")
        heading = Heading(settings.community, result.date)
        # with --log, the handout is entered in the log beside the writing, committed after the files
        entering = issued_log_entry(log, result.handout, result.date, "followups", heading.issued_at, settings,
                                    result.log_file) \
            if log else nullcontext(None)
        # --json: the record made while the second process writes books, its files put in afterwards
        drafted: list[str] = []
        draft = (lambda: drafted.append(followups_json(result))) if common.as_json else None
        with entering as enter, output_files(settings, checkins, roster, assignments, log, common.config) as run:
            write_followup_files(run, FollowupTables.of(heading, result), answer_list(settings), standby, enter,
                                 draft)
            if wechat:
                write_wechat(run, result, settings)
        files = run.files
    if common.as_json:
        print(show.with_files(drafted[0], files))
    else:
        show.show_followups(result, files, settings.out_dir)
    return 0


def write_wechat(run: OutputRun, result: FollowupResult, settings: Settings) -> None:
    """One ready-to-paste reminder per building group (`--wechat` of followups and tasks)."""
    from gridtool.domain.checkins.messages import group_messages
    from gridtool.output.messages import write_group_messages

    write_group_messages(run, group_messages(result.flagged), result.date, settings)


def register(app: typer.Typer) -> None:
    app.command("followups", help="找出未打卡、发热、有症状、连续未打卡的居民，为每位网格员生成待跟进表。\n" + EXAMPLE)(
        followups_command)
