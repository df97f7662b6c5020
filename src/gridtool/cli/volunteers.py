"""`gridtool volunteers`: hours, points, redemptions and balances of the volunteers; thank-you letters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gridtool.cli import show, show_services
from gridtool.cli.app import handle_errors
from gridtool.cli.options import Common, FontOption, common_options, output_files, parse_date_option
from gridtool.errors import GridtoolError

if TYPE_CHECKING:
    from gridtool.config import Settings
    from gridtool.domain.volunteers.report import VolunteerResult
    from gridtool.output.staging import OutputRun

EXAMPLE = """
示例：

  gridtool volunteers 志愿服务记录.xlsx 积分兑换记录.xlsx 志愿者名册.xlsx

  gridtool volunteers 志愿者表格文件夹 --from 11月1日 --to 11月30日 --top 10
"""


@handle_errors
@common_options()
def volunteers_command(
    files: Annotated[list[Path], typer.Argument(
        help="志愿服务记录（含志愿者自助填报的问卷导出）、积分兑换记录、志愿者名册，或存放它们的文件夹。")],
    start: Annotated[str | None, typer.Option("--from", help="统计期第一天，如 2026-11-01 或 11月1日（默认：最早的记录）。")]
    = None,
    end: Annotated[str | None, typer.Option("--to", help="统计期最后一天（默认：最新的记录）；余额算到这一天。")] = None,
    top: Annotated[int | None, typer.Option("--top", help="给排行榜前 N 名写感谢信（PDF，大字号打印）。")] = None,
    min_hours: Annotated[float | None, typer.Option(
        "--min-hours", help="给统计期内服务满这么多小时的志愿者写感谢信。")] = None,
    font: FontOption = None,
    *,
    common: Common,
) -> int:
    from gridtool.config import Bound
    from gridtool.domain.volunteers.report import Period, volunteer_report
    from gridtool.output.records import volunteers_record
    from gridtool.output.volunteer_book import write_volunteer_book

    top = Bound(1, 10000, "名", whole=True).check(top, "--top") if top is not None else None
    min_hours = Bound(0, 10000, "小时").check(min_hours, "--min-hours") if min_hours is not None else None
    period = Period(parse_date_option(start), parse_date_option(end))
    if period.start and period.end and period.start > period.end:
        raise GridtoolError(f"--from {period.start} 晚于 --to {period.end}。", "请把统计期的第一天写在 --from。")
    settings = common.settings()
    with show.progress() as step:
        result = volunteer_report(files, settings, period, progress=step)
        step("写入志愿服务积分表")
        with output_files(settings, files, font, common.config) as run:
            write_volunteer_book(run.path("志愿服务积分"), f"{settings.community}志愿服务积分".strip(), result)
            if top is not None or min_hours is not None:
                step("生成感谢信")
                _letters(run, result, top, min_hours, settings, font, dt.date.today())
    written = run.files
    if common.as_json:
        show.print_json(volunteers_record(result, written))
    else:
        show_services.show_volunteers(result, written)
    return 0


def _letters(run: OutputRun, result: VolunteerResult, top: int | None, min_hours: float | None, settings: Settings,
             font: Path | None, today: dt.date) -> list[Path]:
    from gridtool.output.certificates import certificate_page, write_certificates

    chosen = result.thanked(top, min_hours)
    if not chosen:
        return []
    pages = [certificate_page(rank, item, result.span_label(), settings.community, today) for rank, item in chosen]
    pdfs, html, _ = write_certificates(run, pages, str(font) if font else None)
    return [*pdfs, html]


def register(app: typer.Typer) -> None:
    app.command("volunteers", help="志愿者积分与时间银行：每位志愿者的服务小时、积分、兑换和余额，排行榜，"
                "按组别和楼栋汇总；重叠的班次、重复录入、不合理的时长、名册里没有的名字、透支的兑换都会指出具体行，"
                "改正前不计入。可为排行榜前几名或服务满若干小时的志愿者生成感谢信。\n" + EXAMPLE)(volunteers_command)
