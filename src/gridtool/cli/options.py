"""Options shared by every command, declared once."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Common:
    """The options most commands end with: --date (for those that judge a day), --out, --config, --json."""

    out: Path | None = None
    config: Path | None = None
    as_json: bool = False
    date: dt.date | None = None

    def settings(self, **flags: object) -> Settings:
        """gridtool.toml (or --config) with --out and the command's own flags over it."""
        return settings_from(self.config, out_dir=self.out, **flags)


_COMMON_OPTIONS = {"date": (DateOption, None), "out": (OutOption, None), "config": (ConfigOption, None),
                   "as_json": (JsonOption, False)}
Command = Callable[..., int]


def common_options(*, date: bool = False) -> Callable[[Command], Command]:
    """Declare --date (when `date`), --out, --config and --json after a command's own options; the command
    gets them as one keyword argument, `common: Common`, the date already parsed."""
    names = [name for name in _COMMON_OPTIONS if date or name != "date"]

    def declare(command: Command) -> Command:
        own = inspect.signature(command, eval_str=True)
        kept = [p for p in own.parameters.values() if p.name != "common"]
        added = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=_COMMON_OPTIONS[name][1],
                                   annotation=_COMMON_OPTIONS[name][0]) for name in names]

        @functools.wraps(command)
        def with_common(*args: object, **options: object) -> int:
            return command(*args, common=_common({name: options.pop(name) for name in names}), **options)

        with_common.__signature__ = own.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
        with_common.__annotations__ = {**{p.name: p.annotation for p in kept},
                                       **{name: _COMMON_OPTIONS[name][0] for name in names}, "return": int}
        return with_common

    return declare


def _common(given: dict[str, object]) -> Common:
    out, config, text = given["out"], given["config"], given.get("date")
    assert (out is None or isinstance(out, Path)) and (config is None or isinstance(config, Path))
    return Common(out, config, given["as_json"] is True, parse_date_option(text) if isinstance(text, str) else None)


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
