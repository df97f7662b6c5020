"""`gridtool requests`: triage resident requests, show the hot topics, plan delivery rounds (配送单)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from gridtool.cli import show, show_services
from gridtool.cli.app import handle_errors
from gridtool.cli.collect import LOG_NAME, issued_log_entry
from gridtool.cli.options import Common, common_options, output_files
from gridtool.errors import GridtoolError

EXAMPLE = """
示例：

  gridtool requests 居民诉求.xlsx --roster 居民名册.xlsx --volunteers 志愿者名册.xlsx

  gridtool requests 居民诉求.xlsx --volunteers 志愿者名册.xlsx --log gridtool-out/跟进记录.xlsx --now "2026-11-21 15:00"
"""


def parse_now(text: str | None) -> dt.datetime:
    if not text:
        return dt.datetime.now().replace(second=0, microsecond=0)
    from gridtool.domain.requests.triage import parse_moment

    moment = parse_moment(text)
    if moment is None:
        raise GridtoolError(f"--now「{text}」不是有效的时间。", "请写成 2026-11-21 15:00 或 2026-11-21。")
    return moment


@handle_errors
@common_options()
def requests_command(
    files: Annotated[list[Path], typer.Argument(help="居民诉求登记表（或求助收集表的导出），也可以一起给出志愿者名册、配送路线表。")],
    roster: Annotated[list[Path] | None, typer.Option(
        "--roster", "-r", help="居民名册：70 岁以上、独居、慢性病的居民求药求医算紧急。", dir_okay=False)] = None,
    volunteers: Annotated[list[Path] | None, typer.Option(
        "--volunteers", "-v", help="志愿者名册（姓名、电话，可有负责楼栋、可服务时段、所在楼栋），或配送路线表（顺序、楼栋）。",
        dir_okay=False)] = None,
    log: Annotated[Path | None, typer.Option(
        "--log", "-l", help=f"跟进记录：已送达的不再排入配送。发出的配送单总是登记在跟进记录中（不给时登记到输出文件夹的 {LOG_NAME}），"
        "gridtool collect 收回配送单时要用同一份跟进记录。", dir_okay=False)] = None,
    now: Annotated[str | None, typer.Option(
        "--now", help="按哪个时间算等待时长和超时，如 \"2026-11-21 15:00\"（默认：现在）。")] = None,
    round_size: Annotated[int | None, typer.Option(
        "--round-size", min=1, max=200, help="每轮最多送几户（默认 15，可在 gridtool.toml 的 [requests] 中改）。")] = None,
    *,
    common: Common,
) -> int:
    from gridtool.domain.requests.delivery import delivery_plan
    from gridtool.domain.requests.report import triage_requests
    from gridtool.output.log_lock import log_key
    from gridtool.output.records import requests_record
    from gridtool.output.request_summary import write_request_files
    from gridtool.output.todo_sheets import Heading

    settings = common.settings()
    moment = parse_now(now)
    inputs = [*files, *(roster or []), *(volunteers or [])]
    issued_to = log or settings.out_dir / LOG_NAME  # collect resolves a returned 配送单 through it
    with show.progress(not common.as_json) as step:
        result = triage_requests(inputs, settings, moment, log, round_size, step)
        # the key beside the log exists for the 配送单's opaque keys: no stops, no key (and no log) made
        keyed = len(result.stops) > 0 or issued_to.exists()
        plan = delivery_plan(result, log_key(issued_to, settings.private_files) if keyed else b"")
        step("写入诉求汇总和配送单")
        heading = Heading(settings.community, moment.date())
        # the 配送单 are entered in the log beside the writing (in the second process), committed after the files
        with issued_log_entry(issued_to, plan.issued(), heading.date, "requests", heading.issued_at, settings) as enter:
            with output_files(settings, inputs, log, common.config) as run:
                write_request_files(run, heading, result, plan, enter)
    written = run.files
    if common.as_json:
        show.print_json(requests_record(result, written, plan, issued_to))
    else:
        show_services.show_requests(result, written, settings.out_dir, issued_to)
    return 0


def register(app: typer.Typer) -> None:
    app.command("requests", help="居民诉求：自动分类、找出紧急和超时的、看热点问题、按楼栋排配送轮次，生成诉求汇总和配送单。\n"
                + EXAMPLE)(requests_command)
