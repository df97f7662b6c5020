"""Reading any export staff may have into text cells that keep their Excel row numbers.

What a file is, is judged by its content, not its name: xlsx/xlsm/xls/ods go through fastexcel (Rust
calamine, Arrow columns) after `package` has checked the zip; csv/tsv/txt through `text`; a web page saved
as .xls through `html`. Every cell arrives as text; parsing is `values`'s job. The frame's index is the
1-based row number in the file, its columns the letters. What the reader noticed but could read past is
kept as notes on the sheet; only a file with nothing usable is a GridtoolError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gridtool.errors import GridtoolError
from gridtool.table.html import looks_like_html, read_html_tables
from gridtool.table.merged import fill_merged
from gridtool.table.notes import ReadNote
from gridtool.table.package import RETRY
from gridtool.table.text import decode, read_text_table
from gridtool.table.workbook import (
    EXCEL_SUFFIXES,
    OLE_MAGIC,
    ZIP_MAGIC,
    LoadedSheet,
    display_name,
    load_workbook,
    taken_first,
)

TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
WPS_SUFFIXES = {".et", ".ett", ".wps", ".dps"}


def sheet_place(file: str, sheet: str) -> str:
    """`打卡.xlsx「11月21日」`, or the file name alone for a one-table file such as a CSV."""
    return f"{file}「{sheet}」" if sheet else file


@dataclass
class RawSheet:
    path: Path
    name: str
    cells: pd.DataFrame
    visible: bool = True
    notes: list[ReadNote] = field(default_factory=list)

    @property
    def where(self) -> str:
        return sheet_place(display_name(self.path), self.name)


def file_notes(sheets: list[RawSheet]) -> list[tuple[str, ReadNote]]:
    """What was noticed in a file, once each: (sheet, note), the sheet blank for a note every sheet shares."""
    placed: dict[ReadNote, list[str]] = {}
    for raw in sheets:
        for note in raw.notes:
            placed.setdefault(note, []).append(raw.name)
    return [("" if len(names) == len(sheets) else names[0], note) for note, names in placed.items()]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_sheets(path: Path, include_hidden: bool = False) -> list[RawSheet]:
    """All visible sheets of a workbook (hidden ones too when asked), or the one table of a text file."""
    name = display_name(path)
    if not path.exists():
        raise GridtoolError(f"找不到文件：{path.parent / name}", "请检查文件名和所在文件夹。")
    if path.is_dir():
        raise GridtoolError(f"{name} 是文件夹，不是表格文件。", "请给出文件夹里的 .xlsx 或 .csv 文件。")
    suffix = path.suffix.lower()
    if suffix in WPS_SUFFIXES:
        raise GridtoolError(f"{name}：这是 WPS 自己的格式（{path.suffix}），无法直接读取。",
                            "请在 WPS 中打开后“另存为” Excel 文件（.xlsx）再试。")
    if suffix not in EXCEL_SUFFIXES | TEXT_SUFFIXES:
        raise GridtoolError(
            f"{name}：不支持的文件类型「{path.suffix or '无扩展名'}」。",
            "可以读取 .xlsx .xlsm .xls .ods .csv .tsv；腾讯文档、金山文档请先“导出为 Excel”。",
        )
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise GridtoolError(f"{name}：文件是空的（{'0 字节' if not head else '只有空白'}）。", "请重新下载或导出该文件。")
    sheets = _read_by_content(path, name, head, include_hidden)
    if not sheets:
        raise GridtoolError(f"{name}：工作簿里没有可读的工作表。", RETRY)
    if name != path.name:  # every message names the sheet by its path: give it the name staff can read
        for raw in sheets:
            raw.path = path.with_name(name)
    return sheets


def _read_by_content(path: Path, name: str, head: bytes, include_hidden: bool) -> list[RawSheet]:
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return _read_workbook(path, name, head, include_hidden)
    if looks_like_html(head):
        return _read_html(path, name)
    if head.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise GridtoolError(f"{name}：这是 Excel 2003 的 XML 表格格式，gridtool 不能直接读取。",
                            "请用 Excel/WPS 打开后“另存为” .xlsx 再试。")
    if suffix in TEXT_SUFFIXES or suffix == ".xls":  # web systems save tab-separated text as .xls
        frame, notes = read_text_table(path.read_bytes(), name, lambda sample: guess_delimiter(path, sample))
        if suffix == ".xls":
            notes.insert(0, ReadNote("text_as_xls", "扩展名是 .xls，内容其实是文本表格，已按文本读取。"))
        return [RawSheet(path, "", text_cells(frame), notes=notes)]
    raise GridtoolError(
        f"{name}：扩展名是 {path.suffix}，但内容不是 Excel 表格（可能是改了扩展名的文本或网页）。",
        "请从腾讯文档/金山文档重新“导出为 Excel”，或把文本文件改名为 .csv。",
    )


def _read_html(path: Path, name: str) -> list[RawSheet]:
    notes = [ReadNote("html_as_xls", f"这个{path.suffix}文件其实是网页表格（HTML），已按网页读取。")]
    tables = read_html_tables(decode(path.read_bytes(), name, notes), name)
    return [RawSheet(path, title, text_cells(frame), notes=list(notes)) for title, frame in tables]


def text_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank cells as missing, columns named A, B, C..., rows numbered from 1."""
    frame = frame.replace("", None)
    frame.columns = [column_letter(i) for i in range(frame.shape[1])]
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _read_workbook(path: Path, name: str, head: bytes, include_hidden: bool) -> list[RawSheet]:
    loaded = taken_first(path, include_hidden)
    raws = []
    for sheet in loaded if loaded is not None else load_workbook(path, name, head, include_hidden):
        raw = RawSheet(path, sheet.name, _frame_from_sheet(sheet), sheet.visible, sheet.notes)
        if sheet.merges:
            fill_merged(raw.cells, sheet.merges)
        raws.append(raw)
    return raws


def _arrow_text_type(arrow_type: object) -> pd.StringDtype | None:
    """Keep Arrow strings as pandas' Arrow-backed text: ten times faster than going through objects."""
    import pyarrow as pa

    if arrow_type in (pa.string(), pa.large_string(), pa.string_view()):
        return pd.StringDtype("pyarrow", na_value=np.nan)
    return None


def _frame_from_sheet(sheet: LoadedSheet) -> pd.DataFrame:
    frame: pd.DataFrame = sheet.cells.to_pandas(types_mapper=_arrow_text_type)
    frame.columns = [column_letter(position) for position in sheet.positions]
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def decode_text(path: Path) -> str:
    """A text file staff wrote (a notice body): UTF-8 with or without BOM, GB18030/GBK or UTF-16."""
    if not path.exists():
        raise GridtoolError(f"找不到文件：{path}", "请检查文件名和所在文件夹。")
    return decode(path.read_bytes(), display_name(path))


def guess_delimiter(path: Path, sample: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
