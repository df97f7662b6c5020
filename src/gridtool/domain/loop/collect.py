"""`gridtool collect`: merge returned to-do sheets into the follow-up log and measure completion.

Reading the returned workbooks (`gather`) needs no lock; settling them into the log (`settle`) is done
by the caller while it holds the log's lock, on the log as re-read under that lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

import pandas as pd

from gridtool import logformat, manifest
from gridtool.config import Settings
from gridtool.domain.findings import Finding, finding
from gridtool.domain.loop.answers import answer_list
from gridtool.domain.loop.followlog import read_returned
from gridtool.domain.loop.logmerge import Returned, merge
from gridtool.domain.loop.logread import empty_log, load_log
from gridtool.domain.loop.trust import checked, issued_items, leader_keys, resolved
from gridtool.domain.sources import Progress
from gridtool.errors import GridtoolError
from gridtool.table.columnwise import texts_in
from gridtool.table.workbook import expand_paths

T = TypeVar("T")

__all__ = ["CollectResult", "Gathered", "collect", "empty_log", "gather", "settle"]


@dataclass
class Gathered:
    returned: list[Returned]
    problems: list[Finding]


@dataclass
class CollectResult:
    log: pd.DataFrame
    history: pd.DataFrame
    added: int
    updated: int
    files: list[str]
    dates: list[str]
    by_worker: pd.DataFrame
    by_building: pd.DataFrame
    open_items: pd.DataFrame
    problems: list[Finding] = field(default_factory=list)
    conflicts: list[dict[str, str]] = field(default_factory=list)

    @property
    def batch(self) -> pd.DataFrame:
        return self.log[self.log["date"].isin(self.dates)]


def completion(rows: pd.DataFrame, by: str, now: dt.datetime, hours: float) -> pd.DataFrame:
    """Done / total per worker or building, with the open and the overdue."""
    marked = rows.assign(total=1, done=rows["closed"].astype(bool), open=~rows["closed"].astype(bool),
                         overdue=overdue_mask(rows, now, hours))
    marked[by] = marked[by].astype(str).replace("", "（未填）")
    table = marked.groupby(by, sort=True)[["total", "done", "open", "overdue"]].sum().astype(int)
    table["rate"] = (table["done"] / table["total"]).round(4)
    return table.reset_index()


def overdue_mask(rows: pd.DataFrame, now: dt.datetime, hours: float) -> pd.Series:
    issued = pd.to_datetime(rows["issued_at"], errors="coerce", format="ISO8601")
    return ~rows["closed"].astype(bool) & (issued < pd.Timestamp(now) - pd.Timedelta(hours=hours))


def gather(paths: list[Path], log_path: Path, settings: Settings, progress: Progress | None = None) -> Gathered:
    """Every returned workbook among `paths`, oldest file first; what cannot be collected as findings."""
    books = returned_files(paths, log_path)
    answers = answer_list(settings)
    read = []
    for book in books:
        if progress:
            progress(f"读取 {book.name}")
        read.append(read_returned(book, answers))
    return gathered_from(read)


def returned_files(paths: list[Path], log_path: Path) -> list[Path]:
    """The workbooks among `paths` (folders searched, the log left out), oldest file first."""
    files = expand_paths(paths, skip=log_path)
    if not files:
        raise GridtoolError("没有找到要收回的表格文件。", "请给出网格员交回的 .xlsx 文件，或存放它们的文件夹。")
    for path in files:
        if not path.exists():
            raise GridtoolError(f"找不到文件：{path}", "请检查文件名和所在文件夹。")
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


class Taking(Protocol):
    """Which of a list of jobs this process does (`output.second_process.Share`: those it takes first)."""

    def taken(self, jobs: Sequence[T]) -> Iterator[T]: ...


Read = tuple[Returned | None, list[Finding]]


def read_books(jobs: Sequence[tuple[int, Path]], answers: tuple[tuple[str, bool], ...],
               share: Taking | None = None) -> dict[int, Read]:
    """Each numbered book read (`followlog.read_returned`) by its number; with a `share`, those this process
    takes before the other one does."""
    return {index: read_returned(path, answers) for index, path in (share.taken(jobs) if share else jobs)}


def gathered_from(read: Sequence[Read]) -> Gathered:
    """The books that can be collected, in the order read, and every finding about them."""
    returned = [sheet for sheet, _ in read if sheet is not None]
    problems = [problem for _, found in read for problem in found]
    if not returned:
        detail = "；".join(f"{p.file}：{p.message}" for p in problems[:5])
        raise GridtoolError(f"没有可以收回的待跟进表。{detail}", "请给出 gridtool 生成、网格员填写后交回的文件。")
    return Gathered(returned, problems)


def settle(gathered: Gathered, log_path: Path, settings: Settings, now: dt.datetime | None = None) -> CollectResult:
    """The log (read now, under the caller's lock) with the gathered answers merged in."""
    now = now or dt.datetime.now().replace(microsecond=0)
    log, history = load_log(log_path)
    problems = list(gathered.problems)
    secret = logformat.read_key(log_path)
    issued = leader_keys(log, secret, {s.date for s in gathered.returned if s.kind in manifest.PRINTED_ONLY})
    unknown = ("不在跟进记录登记的事项中" if secret else
               f"无法核对：跟进记录旁的密钥文件 {logformat.key_path(log_path).name} 缺失或损坏")
    trusted = []
    items = issued_items(log)
    for sheet in gathered.returned:
        sheet, found = resolved(sheet, issued, unknown)
        kept, more = checked(sheet, items)
        trusted.append(kept)
        problems += found + more
    merged = merge(log, history, trusted, now.isoformat(timespec="seconds"))
    problems += _missing_rows(trusted)
    dates = sorted({str(d) for sheet in trusted for d in sheet.items["date"]})
    result = CollectResult(merged.log, merged.history, merged.added, merged.updated, [str(s.path) for s in trusted],
                           dates, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), problems, merged.conflicts)
    return with_completion(result, now, settings.overdue_hours)


def with_completion(base: CollectResult, now: dt.datetime, hours: float) -> CollectResult:
    """`base` with the completion tables and open items of its dates filled in."""
    batch = base.batch
    open_items = batch[~batch["closed"].astype(bool)].assign(overdue=overdue_mask(batch, now, hours))
    base.by_worker = completion(batch, "worker", now, hours)
    base.by_building = completion(batch, "building", now, hours)
    base.open_items = open_items.sort_values(["overdue", "worker", "building", "room"],
                                             ascending=[False, True, True, True])
    return base


def collect(paths: list[Path], log_path: Path, settings: Settings, now: dt.datetime | None = None,
            progress: Progress | None = None) -> CollectResult:
    """Gather and settle in one call (the caller holds the log's lock)."""
    return settle(gather(paths, log_path, settings, progress), log_path, settings, now)


def _missing_rows(returned: list[Returned]) -> list[Finding]:
    """Items on a returned to-do sheet's list whose row is gone from its visible sheet."""
    problems = []
    for sheet in returned:
        gone = sheet.items[~texts_in(sheet.items["key"], sheet.answers["key"])]  # 0.55 -> 0.04 s for 50 books
        problems += [finding("row_removed", sheet.path.name, value=item.name, reason=item.reason)
                     for item in gone.itertuples()]
    return problems
