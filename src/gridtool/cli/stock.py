"""`gridtool stock`: stock warnings, days of supply, reorder quantities and fair allocation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridtool.cli import show, show_services
from gridtool.cli.app import handle_errors, read_while_importing
from gridtool.cli.options import Common, common_options, output_files
from gridtool.config import Bound, choose

EXAMPLE = """
示例：

  gridtool stock 物资库存.xlsx 出入库记录.xlsx

  gridtool stock 出入库记录.xlsx --roster 居民名册.xlsx --plan 600 医用口罩 --fail-on 低于预警
"""
FAIL_LEVELS = {"out_of_stock": "缺货", "below_threshold": "低于预警", "running_low": "即将不足"}
PLAN_QUANTITY = Bound(1, 1_000_000, flag="--plan 的数量", whole=True)
STOCK_MODULES = ("gridtool.domain.stock.report", "gridtool.output.records", "gridtool.output.stock_book")


@handle_errors
@common_options(date=True)
def stock_command(
    files: Annotated[list[Path], typer.Argument(help="物资库存表和/或出入库记录，或存放它们的文件夹。")],
    window: Annotated[int | None, typer.Option("--window", "-w", metavar="天数",
                                               help="按最近几天的出库算日均消耗，默认 7 天。")] = None,
    roster: Annotated[Path | None, typer.Option(
        "--roster", "-r", help="居民名册或楼栋户数表，用于按户比较各楼栋的领取量。", dir_okay=False)] = None,
    plan_: Annotated[tuple[int, str] | None, typer.Option(
        "--plan", metavar="数量 物资", help="为一批到货拟分配方案：数量 物资名称，如 --plan 600 医用口罩。")] = None,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", metavar="级别", help="有物资达到此级别时以退出码 3 结束（供计划任务用）：缺货、低于预警、即将不足。",
    )] = None,
    *,
    common: Common,
) -> int:
    level = choose("--fail-on", fail_on, FAIL_LEVELS) if fail_on is not None else None
    settings = common.settings(window=window)
    delivery = (PLAN_QUANTITY.check(plan_[0], PLAN_QUANTITY.flag), plan_[1]) if plan_ else None
    with show.progress() as step:
        read_while_importing([*files, roster if delivery else None], STOCK_MODULES, step)  # the roster: for --plan
        from gridtool.domain.stock.report import StockRequest, stock_report
        from gridtool.output.records import stock_record
        from gridtool.output.stock_book import write_stock_book

        report = stock_report(files, settings, StockRequest(common.date, settings.window, roster, delivery), step)
        with output_files(settings, files, roster, common.config) as run:
            title = f"{settings.community}物资库存预警 {report.date:%Y年%m月%d日}".strip()
            write_stock_book(run.path("库存预警"), title, report, settings.cover_days)
    [path] = run.files
    if common.as_json:
        show.print_json(stock_record(report, [path]))
    else:
        show_services.show_stock(report, path)
    return int(report.exit_code(level))


def register(app: typer.Typer) -> None:
    app.command("stock", help="物资库存预警：缺货、低于预警值、可用天数、建议采购量；各楼栋按户分配是否公平。\n"
                + EXAMPLE)(stock_command)
