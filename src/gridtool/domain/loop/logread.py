"""Reading the follow-up log: the one path by which `collect`, `followups --log` and `tasks --log` see it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gridtool import logformat
from gridtool.errors import GridtoolError
from gridtool.table.header import locate_table
from gridtool.table.invisible import unmarked
from gridtool.table.read import RawSheet, read_sheets


def empty_log() -> pd.DataFrame:
    frame = pd.DataFrame({field: pd.Series(dtype=object) for field in logformat.FIELDS})
    frame["closed"] = frame["closed"].astype(bool)
    return frame


@dataclass(frozen=True)
class LogFile:
    """The follow-up log and its history as read, with the file's identity just before: a later reading
    (under the log's lock, perhaps in the second process) takes them again while the file is the same one."""

    identity: tuple[int, int, int, int]  # device, inode, modification time (ns), size
    log: pd.DataFrame
    history: pd.DataFrame


def read_log(path: Path) -> LogFile:
    """`load_log`, with the file's identity (see LogFile); the log must exist."""
    identity = _identity(path)
    log, history = load_log(path)
    return LogFile(identity, log, history)


def _identity(path: Path) -> tuple[int, int, int, int]:
    status = path.stat()
    return status.st_dev, status.st_ino, status.st_mtime_ns, status.st_size


def load_log(path: Path, known: LogFile | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The follow-up log and its history; empty when the file does not exist yet. `known`: the log as read
    earlier, taken as it is while `path` is still that file (gridtool replaces the log, never rewrites it)."""
    if not path.exists():
        return empty_log(), empty_log()
    if known is not None and _same_file(path, known.identity):
        return known.log, known.history
    sheets = {s.name: s for s in read_sheets(path, include_hidden=True)}
    if logformat.LOG_SHEET not in sheets:
        raise GridtoolError(f"{path.name} 不是跟进记录文件（没有“{logformat.LOG_SHEET}”页）。",
                            "请用 --log 指定 gridtool collect 生成的跟进记录，或换一个文件名。")
    return _log_frame(sheets[logformat.LOG_SHEET]), _log_frame(sheets.get(logformat.HISTORY_SHEET))


def _same_file(path: Path, identity: tuple[int, int, int, int]) -> bool:
    try:
        return _identity(path) == identity
    except OSError:
        return False


def _texts(data: pd.DataFrame) -> pd.DataFrame:
    """Every log field as text, "" where empty or missing. A column read as text stays in Arrow (made into
    Python strings and back, the log's 2 million cells cost a district 1.4 s)."""
    blank = pd.Series("", index=data.index, dtype="str")
    return pd.DataFrame({name: _text(data[name]) if name in data.columns else blank for name in logformat.FIELDS})


def _text(column: pd.Series) -> pd.Series:
    if column.dtype == "str":
        return column.fillna("")
    return column.astype(object).fillna("").astype(str)


def _log_frame(raw: RawSheet | None) -> pd.DataFrame:
    synonyms = {field: (header,) for field, header in logformat.HEADERS.items()}
    table = locate_table(raw, synonyms) if raw is not None else None
    if table is None or table.data.empty:
        return empty_log()
    frame = _texts(table.data.reset_index(drop=True))
    for name in frame.columns:  # the log shows a hidden character as a marker: read back the exact text
        if frame[name].str.contains("〔U+", regex=False).any():
            frame[name] = frame[name].map(unmarked)
    frame["closed"] = frame["closed"].map(logformat.is_closed).astype(bool)
    return frame
