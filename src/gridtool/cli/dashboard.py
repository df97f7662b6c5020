"""`gridtool dashboard`: one offline HTML page for the command centre, with a building heat map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridtool.cli import show, show_services
from gridtool.cli.app import handle_errors
from gridtool.cli.options import Common, common_options, output_files

EXAMPLE = """
示例：

  gridtool dashboard 今天下载的表格/

  gridtool dashboard 打卡记录.xlsx 物资库存.xlsx gridtool-out/跟进记录.xlsx --measure 发热 --png
"""
MEASURE_LABELS = {"missing_rate": "未打卡率", "fever": "发热", "open_requests": "未办结诉求"}


@handle_errors
@common_options(date=True)
def dashboard_command(
    files: Annotated[list[Path], typer.Argument(
        help="当天下载的表格或存放它们的文件夹：打卡表、居民名册、居民诉求、物资库存、出入库记录、跟进记录、楼栋布局表都会自动认出。")],
    days: Annotated[int, typer.Option("--days", help="每栋每日打卡显示最近几天。")] = 7,
    measure: Annotated[str, typer.Option("--measure", metavar="未打卡率|发热|未办结诉求", help="热力图按什么着色。")] = "未打卡率",
    png: Annotated[bool, typer.Option("--png", help="同时生成一张适合发微信的图片（需要电脑上有 Chrome、Edge 或 Chromium）。")] = False,
    *,
    common: Common,
) -> int:
    from gridtool.config import choose
    from gridtool.domain.dashboard.figures import dashboard
    from gridtool.output.dashboard_page import write_dashboard, write_png
    from gridtool.output.records import dashboard_record

    chosen = choose("--measure", measure, MEASURE_LABELS)
    settings = common.settings()
    with show.progress() as step:
        result = dashboard(files, settings, common.date, days, chosen, step)
        step("写入看板")
        with output_files(settings, files, common.config) as run:
            page = write_dashboard(run.path("指挥看板", f"{result.date:%Y-%m-%d}", suffix=".html"), result,
                                   settings.community)
            picture = write_png(run.path("指挥看板", f"{result.date:%Y-%m-%d}", suffix=".png"), page) if png else None
    written = run.files
    if common.as_json:
        show.print_json(dashboard_record(result, written))
    else:
        show_services.show_dashboard(result, written, browser_missing=png and picture is None)
    return 0


def register(app: typer.Typer) -> None:
    app.command("dashboard", help="指挥看板：一个不联网也能打开的网页，含今日概况、楼栋热力图、每栋每日打卡、物资和跟进完成情况，"
                "只有人数和楼栋编号，不含居民个人信息。\n" + EXAMPLE)(dashboard_command)
