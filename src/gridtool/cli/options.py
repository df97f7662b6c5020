"""Options shared by every command, declared once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gridtool.config import Settings, load_settings
from gridtool.errors import GridtoolError

if TYPE_CHECKING:
    from gridtool.output.staging import OutputRun

ConfigOption = Annotated[Path | None, typer.Option(
    "--config", "-c", help="配置文件（默认：当前文件夹的 gridtool.toml）。", dir_okay=False)]
OutOption = Annotated[Path | None, typer.Option(
    "--out", "-o", help="输出文件夹（默认：gridtool-out）。", file_okay=False)]
FontOption = Annotated[Path | None, typer.Option(
    "--font", help="中文字体文件（找不到系统字体时用）。", dir_okay=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="只输出一个 JSON 对象到标准输出，供脚本使用。")]
DateOption = Annotated[str | None, typer.Option(
    "--date", "-d", metavar="日期", help="检查哪一天，如 2026-11-21 或 11月21日（默认：数据中最新的一天）。")]


OverdueOption = Annotated[float | None, typer.Option(
    "--overdue-hours", help="发出多少小时后未办结算超时（排到表的最前面），默认 24。")]


def settings_from(config: Path | None, **flags: object) -> Settings:
    return load_settings(config).with_flags(**flags)


@contextmanager
def output_files(settings: Settings, *inputs: Path | Sequence[Path] | None) -> Iterator[OutputRun]:
    """This run's files, moved into the output folder together at the end; no output takes an input's name.
    Earlier files of the same kind and day that this run did not write again are moved aside and named."""
    from gridtool.cli.show import show_retired
    from gridtool.output.staging import output_run

    paths = [p for item in inputs if item for p in ([item] if isinstance(item, Path) else item)]
    with output_run(settings.out_dir, paths, settings.private_files) as run:
        yield run
    show_retired(run.retired, run.stale)


def parse_date_option(text: str | None, today: dt.date | None = None) -> dt.date | None:
    if not text:
        return None
    from gridtool.table.values import parse_date

    day = parse_date(text, (today or dt.date.today()).year)
    if day is None:
        raise GridtoolError(f"--date「{text}」不是有效的日期。", "请写成 2026-11-21 或 11月21日。")
    return day
