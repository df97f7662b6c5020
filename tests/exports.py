"""Small messy exports for tests, written the way spreadsheet programs write them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]],
               merges: dict[str, Sequence[str]] | None = None, hidden: Sequence[str] = ()) -> Path:
    """One worksheet per entry; rows may start with None to leave cells blank; merges by range."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula, as a typed-in export holds it
        for ref in (merges or {}).get(name, ()):
            sheet.merge_cells(ref)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8", sep: str = ",") -> Path:
    text = "\n".join(sep.join("" if v is None else str(v) for v in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


HEADER = ["序号", "姓名", "房号", "体温", "是否有症状", "打卡时间", "网格员"]


def daily_sheet(title: str, rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> list[list[Any]]:
    """A Tencent-Docs-style sheet: title row, blank row, header, data, a trailing note row."""
    return [[title], [], list(header), *[list(r) for r in rows], [], ["注：体温≥37.3℃请联系网格员"]]
