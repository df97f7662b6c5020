"""Reading the follow-up log: the one path by which `collect`, `followups --log` and `tasks --log` see it."""

from __future__ import annotations

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


def load_log(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The follow-up log and its history; empty when the file does not exist yet."""
    if not path.exists():
        return empty_log(), empty_log()
    sheets = {s.name: s for s in read_sheets(path, include_hidden=True)}
    if logformat.LOG_SHEET not in sheets:
        raise GridtoolError(f"{path.name} 不是跟进记录文件（没有“{logformat.LOG_SHEET}”页）。",
                            "请用 --log 指定 gridtool collect 生成的跟进记录，或换一个文件名。")
    return _log_frame(sheets[logformat.LOG_SHEET]), _log_frame(sheets.get(logformat.HISTORY_SHEET))


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
