"""Reading a building leader's task book the way `collect` does: its hidden manifest names no one, so the
items it stands for are looked up in the log of issued items by the key printed on the sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from gridtool import logformat
from gridtool.domain.loop.leader_view import sheet_key

SHOWN = "印在表上的编号"


def printed_keys(book: Path) -> list[str]:
    """The keys in the book's hidden manifest, in its order."""
    rows = list(openpyxl.load_workbook(book, read_only=True)["_gridtool"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r and r[0] == "编号")
    return [str(r[0]) for r in rows[top + 1:] if r and r[0]]


def issued_items(book: Path, log: Path) -> list[dict[str, object]]:
    """The log's entries (by header: 编号, 类型, 居民, 原因, …) for the book's items, with the printed key."""
    secret = logformat.read_key(log)
    assert secret is not None, f"{log} has no key file"
    sheet = openpyxl.load_workbook(log, read_only=True)[logformat.LOG_SHEET]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    entries = {sheet_key(secret, str(r[0])): dict(zip(header, r, strict=False)) for r in rows if r and r[0]}
    printed = printed_keys(book)
    assert set(printed) <= set(entries), "a printed key the log does not know"
    return [{**entries[k], SHOWN: k} for k in printed]
