"""`gridtool tasks`: one task sheet per building for its building leader."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridtool.cli import show
from gridtool.cli.app import handle_errors, read_while_importing
from gridtool.cli.collect import LOG_NAME, issued_log_entry
from gridtool.cli.followups import write_wechat
from gridtool.cli.options import Common, OverdueOption, common_options, output_files
from gridtool.config import choose, require_edited

BY_LABELS = {"building": "楼栋", "unit": "单元"}
EXAMPLE = """
示例：

  gridtool tasks 打卡记录.xlsx --roster 居民名册.xlsx

  gridtool tasks 打卡记录.xlsx --roster 居民名册.xlsx --requests 居民诉求.xlsx --by 单元
"""
# imported by a second thread while this one reads the workbooks (cli.app.read_while_importing)
TASKS_MODULES = ("gridtool.domain.checkins.followups", "gridtool.domain.loop.tasks", "gridtool.output.task_books",
                 "gridtool.output.records")


@handle_errors
@common_options(date=True)
def tasks_command(
    checkins: Annotated[list[Path], typer.Argument(help="打卡表（与 gridtool followups 相同），或存放它们的文件夹。")],
    roster: Annotated[Path | None, typer.Option("--roster", "-r", help="居民名册（年龄、独居、楼栋长）。",
                                                dir_okay=False)] = None,
    requests: Annotated[list[Path] | None, typer.Option("--requests", help="居民诉求表：未办结的诉求列入所在楼栋。",
                                                        dir_okay=False)] = None,
    assignments: Annotated[Path | None, typer.Option(
        "--assignments", "-a", help="分工表（楼栋、单元、楼栋长、电话、网格员）。", dir_okay=False)] = None,
    by: Annotated[str, typer.Option("--by", metavar="楼栋|单元", help="每栋楼一份（楼栋）或每个单元一份（单元）。")] = "楼栋",
    log: Annotated[Path | None, typer.Option(
        "--log", "-l", help=f"跟进记录：今天已办结的不再列出（发出的事项总是登记在跟进记录中，不给时登记到输出文件夹的 {LOG_NAME}）。",
        dir_okay=False)] = None,
    wechat: Annotated[bool, typer.Option("--wechat", help="同时为每栋楼写好可直接粘贴到楼栋群的提醒消息。")] = False,
    full_names: Annotated[bool, typer.Option(
        "--full-names", help="任务单上写全名和居民诉求原话（默认只写隐去中间字的姓名和诉求类别）。")] = False,
    overdue: OverdueOption = None,
    *,
    common: Common,
) -> int:
    from gridtool.output.second_process import standby_for
    from gridtool.output.warm import TASK_BOOKS

    by = choose("--by", by, BY_LABELS)
    settings = common.settings(full_names=full_names or None, overdue_hours=overdue)
    require_edited(settings, ("community", "hotline") if wechat else ("community",))  # the sheet hangs in the stairwell
    # a big file: a second process gets ready (imports) for the building books while this one reads
    with show.progress() as step, standby_for(checkins, TASK_BOOKS) as standby:
        read_while_importing([*checkins, roster, *(requests or ()), assignments, log], TASKS_MODULES, step)
        from gridtool.domain.checkins.followups import Extras, followups
        from gridtool.domain.loop.answers import answer_list
        from gridtool.domain.loop.tasks import building_tasks
        from gridtool.output.log_lock import log_key
        from gridtool.output.records import tasks_record
        from gridtool.output.task_books import write_task_files
        from gridtool.output.todo_sheets import Heading

        result = followups(checkins, settings, common.date, roster, step,
                           extras=Extras(assignments, log, tuple(requests or ())))
        issued_to = log or settings.out_dir / LOG_NAME  # collect checks every returned row against it
        tasks = building_tasks(result, settings, log_key(issued_to, settings.private_files), by)
        step("写入楼栋任务单")
        heading = Heading(settings.community, result.date)
        # the items are entered in the log beside the writing (by the second process), committed after the files
        with issued_log_entry(issued_to, tasks.issued(), result.date, "tasks", heading.issued_at, settings,
                              result.log_file) as enter:
            with output_files(settings, checkins, requests, roster, assignments, log, common.config) as run:
                write_task_files(run, tasks.buildings, heading, answer_list(settings), standby, enter)
                if wechat:
                    write_wechat(run, result, settings)
        files = run.files
    if common.as_json:
        show.print_json(tasks_record(tasks, files, issued_to))
    else:
        show.show_tasks(tasks, files, settings.out_dir, issued_to)
    return 0


def register(app: typer.Typer) -> None:
    app.command("tasks", help="为每栋楼（或每个单元）的楼栋长生成当天的任务单：要提醒打卡、要上门的住户，"
                "未办结的居民诉求，要送纸质通知的独居老人。\n" + EXAMPLE)(tasks_command)
