"""Which day each check-in row is for, and whether the files hold the day asked for.

A row's own date (a 日期/填报日期 column, or the date of 提交时间/提交答卷时间) decides; the date in the
sheet name, title or file name (`社区每日健康打卡_数据_20221120.xlsx`, `10.5核酸统计（收集结果）.xlsx`) is
only the fallback for rows without one, and a disagreement between the two is reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from gridtool.domain.findings import Finding, finding
from gridtool.errors import GridtoolError
from gridtool.table.header import Table
from gridtool.table.values import parse_date


def table_date(table: Table, year: int) -> dt.date | None:
    """The day a daily sheet is for: from its sheet name, its title rows, or its file name."""
    for text in (table.sheet, table.title, table.path.stem):
        day = parse_date(text, year) if text else None
        if day is not None:
            return day
    return None


def row_dates(rows: pd.DataFrame, tables: Sequence[Table], year: int, fallback: dt.date,
              own_days: Sequence[pd.Series]) -> tuple[pd.Series, list[Finding]]:
    """Each row's day: its own (the first of `own_days` that has one), else the sheet's, else `fallback`."""
    sheet_days = {i: table_date(t, year) for i, t in enumerate(tables)}
    own = own_days[0]
    for more in own_days[1:]:
        own = own.where(own.notna(), more)
    sheet_day = rows["source"].map(sheet_days).astype(object)
    day = own.where(own.notna(), sheet_day)
    return day.where(day.notna(), fallback), _disagreements(rows, tables, sheet_days, own)


def _disagreements(rows: pd.DataFrame, tables: Sequence[Table], sheet_days: dict[int, dt.date | None],
                   own: pd.Series) -> list[Finding]:
    found = []
    codes, seen = pd.factorize(own)  # each distinct day once, not a million dates into a set
    sources = rows["source"].to_numpy()
    for source, table in enumerate(tables):
        named = sheet_days[source]
        days = {seen[code] for code in np.unique(codes[(sources == source) & (codes >= 0)]).tolist()}
        if named is None or not days or days == {named}:
            continue
        found.append(finding("date_mismatch", table.path.name, table.sheet, value=f"{named:%Y-%m-%d}",
                             named=f"{named:%m月%d日}", days=describe_days(sorted(days))))
    return found


def describe_days(days: Sequence[dt.date]) -> str:
    """`11月18日、11月19日`, or `11月01日至11月30日（共 30 天）` when there are many."""
    if len(days) > 6:
        return f"{days[0]:%m月%d日}至{days[-1]:%m月%d日}（共 {len(days)} 天）"
    return "、".join(f"{d:%m月%d日}" for d in days)


def up_to_day(obs: pd.DataFrame, date: dt.date | None) -> tuple[pd.DataFrame, list[dt.date], dt.date]:
    """The observations up to the day judged (`date`, else the latest in them), with `day`, each row's position
    among the days they cover (the day itself included), and those days; each distinct date looked at once."""
    codes, seen = pd.factorize(obs["date"])
    seen = list(seen)
    target = date or max(seen)
    checked = np.unique(codes[obs["checked_in"].to_numpy(bool)])
    require_day(sorted({seen[code] for code in checked.tolist()}), target, explicit=date is not None)
    days = sorted({day for day in seen if day <= target} | {target})
    position = np.array([days.index(day) if day <= target else -1 for day in seen], dtype=np.int64)[codes]
    kept = position >= 0
    return (obs if kept.all() else obs[kept]).assign(day=position[kept]), days, target


def require_day(covered: list[dt.date], target: dt.date, explicit: bool) -> None:
    """Stop when the files hold no check-in at all for the day (`covered`: the days with one, sorted): never
    write lists that name everyone."""
    if covered and target in covered:
        return
    if not covered:
        raise GridtoolError("打卡文件中没有任何人已打卡（打卡时间、体温、症状全是空的或“未打卡”）。",
                            "请确认导出的是填好的打卡记录，而不是空白模板或名册。")
    raise GridtoolError(
        f"数据中没有 {target:%Y年%m月%d日} 的打卡记录。数据包含的日期：{describe_days(covered)}。",
        "请检查 --date，或确认导出的是当天的表格。" if explicit else "请确认导出的是当天的表格。",
    )
