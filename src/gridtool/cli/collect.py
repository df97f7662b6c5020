"""`gridtool collect`: read filled-in to-do sheets back into the follow-up log."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gridtool.cli import show
from gridtool.cli.app import handle_errors
from gridtool.cli.options import Common, OverdueOption, common_options

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from gridtool.config import Settings
    from gridtool.domain.loop.collect import Read
    from gridtool.domain.loop.logread import LogFile
    from gridtool.output.second_process import Standby

LOG_NAME = "跟进记录.xlsx"
EXAMPLE = """
示例：

  gridtool collect 收回的表格/

  gridtool collect 待跟进_王芳_2026-11-21.xlsx 待跟进_李强_2026-11-21.xlsx --log 跟进记录.xlsx
"""
LogOption = Annotated[Path | None, typer.Option(
    "--log", "-l", help=f"跟进记录文件（默认：输出文件夹中的 {LOG_NAME}；第一次使用时新建）。", dir_okay=False)]


@handle_errors
@common_options()
def collect_command(
    files: Annotated[list[Path], typer.Argument(help="网格员、楼栋长交回的待跟进表，或存放它们的文件夹。")],
    log: LogOption = None,
    overdue: OverdueOption = None,
    *,
    common: Common,
) -> int:
    from gridtool.output.second_process import standby_for
    from gridtool.output.warm import RETURNED_BOOKS

    settings = common.settings(overdue_hours=overdue)
    log_path = log or settings.out_dir / LOG_NAME
    # many books: a second process gets ready (imports) to read half of them while this one imports the rest
    with show.progress() as step, standby_for(files, RETURNED_BOOKS) as standby:
        from gridtool.domain.loop.answers import answer_list
        from gridtool.domain.loop.collect import gathered_from, returned_files, settle
        from gridtool.output.log_book import write_log
        from gridtool.output.log_lock import locked_log
        from gridtool.output.records import collect_record

        books = returned_files(files, log_path)
        step(f"读取交回的 {len(books)} 个表格")
        gathered = gathered_from(_read_books(books, answer_list(settings), standby))
        step("写入跟进记录")
        with locked_log(log_path):
            result = settle(gathered, log_path, settings)
            write_log(log_path, result)
    if common.as_json:
        show.print_json(collect_record(result, log_path))
    else:
        show.show_collect(result, log_path)
    return 0


def _read_books(books: list[Path], answers: tuple[tuple[str, bool], ...], standby: Standby | None) -> list[Read]:
    """Every book read, in order; shared with the `standby` process (each takes the next book not taken)."""
    from gridtool.domain.loop.collect import read_books
    from gridtool.output.second_process import shared_out
    from gridtool.output.warm import RETURNED_BOOKS

    jobs = list(enumerate(books))
    if standby is None or len(books) < 2:
        read = read_books(jobs, answers)
    else:
        mine, theirs = shared_out(read_books, jobs, (answers,), standby, RETURNED_BOOKS)
        read = {**mine, **theirs}
    return [read[index] for index in range(len(books))]


@contextmanager
def issued_log_entry(log: Path, items: pd.DataFrame, date: dt.date, command: str, issued_at: dt.datetime,
                     settings: Settings, known: LogFile | None = None) -> Iterator[Callable[[], None]]:
    """Enter what a command hands out in the follow-up log in two steps, so that the entering can run in a
    second process while the outputs are written: the job yielded (picklable) reads the log and writes the
    new one beside it; leaving the block without an error then moves it into place. The log's lock is held
    throughout, so nothing another run enters between the reading and the replacing is lost. `known`: the
    log as the command read it (`--log`), which the job takes instead of reading it again if it is unchanged."""
    from gridtool.output.files import file_mode, temp_prefix
    from gridtool.output.log_lock import locked_log

    if _nothing_to_enter(log, items):
        yield _nothing
        return
    staged = log.with_name(f"{temp_prefix()}{log.name}")  # our process id: a killed run's is cleared later
    with locked_log(log):
        try:
            yield partial(_enter_issued, _LogPlace(log, staged, known), items, date, command, issued_at, settings)
            os.chmod(staged, file_mode(settings.private_files))  # the job not run is a mistake: raises here
            os.replace(staged, log)
        finally:
            staged.unlink(missing_ok=True)


def _nothing_to_enter(log: Path, items: pd.DataFrame) -> bool:
    """Nothing handed out and no log yet: no log is made (with a log, a rerun's empty list still retires the
    day's earlier unanswered items)."""
    return items.empty and not log.exists()


def _nothing() -> None:
    """The entering job when there is nothing to enter (picklable, for the second process)."""


@dataclass(frozen=True)
class _LogPlace:
    """Where the entering job reads the log (`log`, or `known` while the file is that one) and writes it."""

    log: Path
    staged: Path
    known: LogFile | None


def _enter_issued(place: _LogPlace, items: pd.DataFrame, date: dt.date, command: str, issued_at: dt.datetime,
                  settings: Settings) -> None:
    from gridtool.domain.loop.issue import register
    from gridtool.output.log_book import write_log

    write_log(place.staged, register(place.log, items, date, command, issued_at, settings, place.known))


def register(app: typer.Typer) -> None:
    app.command("collect", help="收回网格员填写后的待跟进表，汇总到跟进记录：完成率、未办结、超时、无法对应的行。\n"
                + EXAMPLE)(collect_command)
