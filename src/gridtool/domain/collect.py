"""`gridtool collect`: merge returned to-do sheets into the follow-up log and measure completion."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from gridtool.config import Settings
from gridtool.domain.answers import answer_list
from gridtool.domain.findings import Finding
from gridtool.domain.followlog import (
    LOG_FIELDS,
    LOG_HEADERS,
    CollectResult,
    Returned,
    expand_paths,
    merge,
    read_returned,
)
from gridtool.domain.sources import Progress
from gridtool.errors import GridtoolError
from gridtool.table.header import locate_table
from gridtool.table.read import read_sheets

LOG_SHEET = "跟进记录"
HISTORY_SHEET = "历史"
YES = "是"


def empty_log() -> pd.DataFrame:
    return pd.DataFrame(columns=LOG_FIELDS)


def load_log(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The follow-up log and its history; empty when the file does not exist yet."""
    if not path.exists():
        return empty_log(), empty_log()
    sheets = {s.name: s for s in read_sheets(path, include_hidden=True)}
    if LOG_SHEET not in sheets:
        raise GridtoolError(f"{path.name} 不是跟进记录文件（没有“{LOG_SHEET}”页）。",
                            "请用 --log 指定 gridtool collect 生成的跟进记录，或换一个文件名。")
    return _log_frame(sheets.get(LOG_SHEET)), _log_frame(sheets.get(HISTORY_SHEET))


def _log_frame(raw: object) -> pd.DataFrame:
    synonyms = {field: (header,) for field, header in LOG_HEADERS.items()}
    table = locate_table(raw, synonyms) if raw is not None else None  # type: ignore[arg-type]
    if table is None or table.data.empty:
        return empty_log()
    frame = table.data.reindex(columns=LOG_FIELDS).fillna("").astype(str).reset_index(drop=True)
    frame["closed"] = frame["closed"] == YES
    return frame


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


def collect(paths: list[Path], log_path: Path, settings: Settings, now: dt.datetime | None = None,
            progress: Progress | None = None) -> CollectResult:
    now = now or dt.datetime.now().replace(microsecond=0)
    files = expand_paths(paths, skip=log_path)
    if not files:
        raise GridtoolError("没有找到要收回的表格文件。", "请给出网格员交回的 .xlsx 文件，或存放它们的文件夹。")
    returned: list[Returned] = []
    problems: list[Finding] = []
    for path in sorted(files, key=lambda p: p.stat().st_mtime if p.exists() else 0):
        if progress:
            progress(f"读取 {path.name}")
        if not path.exists():
            raise GridtoolError(f"找不到文件：{path}", "请检查文件名和所在文件夹。")
        sheet, found = read_returned(path, answer_list(settings))
        problems += found
        if sheet is not None:
            returned.append(sheet)
    if not returned:
        detail = "；".join(f"{p.file}：{p.message}" for p in problems[:5])
        raise GridtoolError(f"没有可以收回的待跟进表。{detail}", "请给出 gridtool 生成、网格员填写后交回的文件。")
    log, history = load_log(log_path)
    log, history, added, updated = merge(log, history, returned, now)
    problems += _missing_rows(returned)
    dates = sorted({str(d) for sheet in returned for d in sheet.items["date"]})
    batch = log[log["date"].isin(dates)]
    open_items = batch[~batch["closed"].astype(bool)].assign(overdue=overdue_mask(batch, now, settings.overdue_hours))
    return CollectResult(
        log=log, history=history, added=added, updated=updated, files=[str(s.path) for s in returned],
        dates=dates, by_worker=completion(batch, "worker", now, settings.overdue_hours),
        by_building=completion(batch, "building", now, settings.overdue_hours),
        open_items=open_items.sort_values(["overdue", "worker", "building", "room"],
                                          ascending=[False, True, True, True]),
        problems=problems,
    )


def _missing_rows(returned: list[Returned]) -> list[Finding]:
    """Items on a returned to-do sheet's list whose row is gone from its visible sheet."""
    problems = []
    for sheet in returned:
        if sheet.kind == "overview":
            continue
        gone = sheet.items[~sheet.items["key"].isin(set(sheet.answers["key"]))]
        problems += [Finding("row_removed", sheet.path.name, "", None, "", str(item.name),
                             f"{item.name}（{item.reason}）这一行在表中找不到（被删除？），仍按未办结计。")
                     for item in gone.itertuples()]
    return problems
