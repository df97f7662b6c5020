"""Reading any export staff may have into text cells that keep their Excel row numbers.

What a file is, is judged by its content, not its name: xlsx/xlsm/xls/ods go through fastexcel (Rust
calamine, Arrow columns) after `package` has checked the zip; csv/tsv/txt through `text`; a web page saved
as .xls through `html`. Every cell arrives as text; parsing is `values`'s job. The frame's index is the
1-based row number in the file, its columns the letters. What the reader noticed but could read past is
kept as notes on the sheet; only a file with nothing usable is a GridtoolError.
"""

from __future__ import annotations

import io
import os
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gridtool.errors import GridtoolError
from gridtool.table.html import looks_like_html, read_html_tables
from gridtool.table.merged import fill_merged
from gridtool.table.notes import ReadNote
from gridtool.table.odscheck import check_ods
from gridtool.table.package import RETRY, Package, check_sheet, prepare_xlsx
from gridtool.table.text import decode, read_text_table

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
WPS_SUFFIXES = {".et", ".ett", ".wps", ".dps"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_OLE_LIMIT = 256 << 20


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


def display_name(path: Path) -> str:
    """The file's name as staff see it: a name saved in GBK (from a Windows zip) is shown decoded."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path.name).decode("gb18030", "replace")
    return path.name


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
    if head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC):
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


def _workbook_source(path: Path, name: str, head: bytes) -> tuple[str | bytes, list[ReadNote]]:
    """What fastexcel reads: the path, or the bytes when the name misleads it (wrong suffix, GBK file name)."""
    suffix = path.suffix.lower()
    notes = []
    if head.startswith(_OLE_MAGIC):
        if path.stat().st_size > _OLE_LIMIT:
            raise GridtoolError(f"{name}：旧版 .xls 文件超过 {_OLE_LIMIT >> 20} MB，超出上限。", "请另存为 .xlsx 或 .csv 再试。")
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise GridtoolError(f"{name}：文件设置了打开密码（已加密），无法读取。",
                                "请在 Excel/WPS 中打开，去掉密码（文件→信息→保护工作簿）后另存，再试。")
        if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
            raise GridtoolError(f"{name}：这是旧版 Office 文件，但不是能读的表格（可能设置了打开密码，或已损坏）。", RETRY)
        if suffix != ".xls":
            notes.append(ReadNote("xls_misnamed", f"扩展名是 {path.suffix}，内容其实是旧版 .xls 表格，已按 .xls 读取。"))
        return data, notes
    if suffix not in {".xlsx", ".xlsm", ".ods", ".xlsb"}:
        notes.append(ReadNote("xlsx_misnamed", f"扩展名是 {path.suffix}，内容其实是 .xlsx 表格，已按 .xlsx 读取。"))
        return path.read_bytes(), notes
    if display_name(path) != path.name:  # a file name in GBK bytes: calamine takes only UTF-8 names
        return path.read_bytes(), notes
    return str(path), notes


def _prepare(source: str | bytes, name: str) -> Package:
    """Check an xlsx package or an ods's extent; xlsb goes to calamine as it is."""
    if isinstance(source, bytes) and source.startswith(_OLE_MAGIC):
        return Package(source)
    try:
        with zipfile.ZipFile(source if isinstance(source, str) else io.BytesIO(source)) as archive:
            names = set(archive.NameToInfo)
            if "content.xml" in names:
                check_ods(archive, name)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise GridtoolError(f"{name}：无法读取，文件已损坏或未下载完整（不是完整的压缩包）。", RETRY) from exc
    if "content.xml" in names or "xl/workbook.bin" in names:
        return Package(source)
    if not any(n.startswith("xl/") for n in names) and "[Content_Types].xml" not in names:
        raise GridtoolError(f"{name}：这是一个压缩包，但不是 Excel 表格（里面没有工作表）。",
                            "请确认选对了文件；腾讯文档、金山文档请先“导出为 Excel”。")
    return prepare_xlsx(source, name)


def _read_workbook(path: Path, name: str, head: bytes, include_hidden: bool) -> list[RawSheet]:
    import fastexcel

    source, notes = _workbook_source(path, name, head)
    package = _prepare(source, name)
    notes += package.notes
    local = threading.local()
    spare: list[Any] = []  # the reader that listed the sheets: opening a book reads all its shared strings

    def load(sheet_name: str) -> RawSheet | None:
        scan, corrected, sheet_notes = check_sheet(package, sheet_name)  # before calamine sizes its grid
        if corrected is not None:
            reader = fastexcel.read_excel(corrected)
        elif not hasattr(local, "reader"):  # a fastexcel reader cannot be shared between threads
            reader = local.reader = spare.pop() if spare else fastexcel.read_excel(package.source)
        else:
            reader = local.reader
        sheet = reader.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=0)
        if sheet.visible != "visible" and not include_hidden:
            return None
        raw = RawSheet(path, sheet_name, _frame_from_sheet(sheet), sheet.visible == "visible", notes + sheet_notes)
        if scan is not None and scan.merges:
            fill_merged(raw.cells, scan.merges)
        return raw

    try:
        spare.append(fastexcel.read_excel(package.source))
        names = spare[0].sheet_names
        threads = min(len(names), os.cpu_count() or 1, 4)
        if threads > 1:  # the Rust reader releases the GIL: a daily sheet per core
            with ThreadPoolExecutor(threads) as pool:
                sheets = list(pool.map(load, names))
        else:
            sheets = [load(sheet_name) for sheet_name in names]
    except GridtoolError:
        raise
    except BaseException as exc:  # fastexcel raises its own types for corrupt files; a Rust panic is a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise _calamine_error(name, exc) from exc
    return [sheet for sheet in sheets if sheet is not None]


def _calamine_error(name: str, exc: BaseException) -> GridtoolError:
    """calamine's own refusal of a sheet too large to lay out (ods) in words; anything else is damage."""
    if "limit exceeded" in str(exc).lower():
        return GridtoolError(f"{name}：表格声称的范围太大（超过 1 亿个单元格），无法读取。",
                             "请删除表格下方或右侧远处的内容（按 Ctrl+End 可跳到最后一个单元格），或把表格拆成几个文件。")
    return GridtoolError(f"{name}：无法读取这个表格文件。", "文件可能已损坏或未下载完整；" + RETRY)


def _arrow_text_type(arrow_type: object) -> pd.StringDtype | None:
    """Keep Arrow strings as pandas' Arrow-backed text: ten times faster than going through objects."""
    import pyarrow as pa

    if arrow_type in (pa.string(), pa.large_string(), pa.string_view()):
        return pd.StringDtype("pyarrow", na_value=np.nan)
    return None


def _frame_from_sheet(sheet: object) -> pd.DataFrame:
    columns = sheet.available_columns()  # type: ignore[attr-defined]
    frame: pd.DataFrame = sheet.to_arrow().to_pandas(types_mapper=_arrow_text_type)  # type: ignore[attr-defined]
    frame.columns = [column_letter(info.absolute_index) for info in columns]
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
