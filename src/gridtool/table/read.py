"""Reading any export staff may have into text cells that keep their Excel row numbers.

xlsx/xlsm/xls/ods go through fastexcel (Rust calamine, Arrow columns); csv/tsv through pandas after
the encoding is found (UTF-8, UTF-8 with BOM, GB18030). Every cell arrives as text; parsing is
`values`'s job. The frame's index is the 1-based row number in the file, its columns the letters.
"""

from __future__ import annotations

import csv
import io
import os
import re
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gridtool.errors import GridtoolError

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
WPS_SUFFIXES = {".et", ".ett", ".wps", ".dps"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def sheet_place(file: str, sheet: str) -> str:
    """`打卡.xlsx「11月21日」`, or the file name alone for a one-table file such as a CSV."""
    return f"{file}「{sheet}」" if sheet else file


@dataclass
class RawSheet:
    path: Path
    name: str
    cells: pd.DataFrame
    visible: bool = True

    @property
    def where(self) -> str:
        return sheet_place(self.path.name, self.name)


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
    if not path.exists():
        raise GridtoolError(f"找不到文件：{path}", "请检查文件名和所在文件夹。")
    if path.is_dir():
        raise GridtoolError(f"{path} 是文件夹，不是表格文件。", "请给出文件夹里的 .xlsx 或 .csv 文件。")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return [RawSheet(path, "", _read_text(path))]
    if suffix in WPS_SUFFIXES:
        raise GridtoolError(f"{path.name}：这是 WPS 自己的格式（{path.suffix}），无法直接读取。",
                            "请在 WPS 中打开后“另存为” Excel 文件（.xlsx）再试。")
    if suffix not in EXCEL_SUFFIXES:
        raise GridtoolError(
            f"{path.name}：不支持的文件类型「{path.suffix or '无扩展名'}」。",
            "可以读取 .xlsx .xlsm .xls .ods .csv .tsv；腾讯文档、金山文档请先“导出为 Excel”。",
        )
    return _read_workbook(path, include_hidden)


def _read_workbook(path: Path, include_hidden: bool = False) -> list[RawSheet]:
    import fastexcel

    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise GridtoolError(f"{path.name}：文件是空的（0 字节）。", "请重新下载或导出该文件。")
    _check_magic(path, head)
    local = threading.local()

    def load(name: str) -> RawSheet | None:
        if not hasattr(local, "reader"):  # a fastexcel reader cannot be shared between threads
            local.reader = fastexcel.read_excel(str(path))
        sheet = local.reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
        if sheet.visible != "visible" and not include_hidden:
            return None
        raw = RawSheet(path, name, _frame_from_sheet(sheet), sheet.visible == "visible")
        if suffix_is_xlsx(path):
            _fill_merged(raw, _xlsx_merged_ranges(path, name))
        return raw

    try:
        names = fastexcel.read_excel(str(path)).sheet_names
        threads = min(len(names), os.cpu_count() or 1, 4)
        if threads > 1:  # the Rust reader releases the GIL: a daily sheet per core
            with ThreadPoolExecutor(threads) as pool:
                sheets = list(pool.map(load, names))
        else:
            sheets = [load(name) for name in names]
    except GridtoolError:
        raise
    except Exception as exc:  # fastexcel raises its own types for every kind of corrupt file
        raise GridtoolError(
            f"{path.name}：无法读取这个表格文件（{type(exc).__name__}）。",
            "文件可能已损坏或未下载完整；请用 Excel/WPS 打开后“另存为” .xlsx 再试。",
        ) from exc
    return [sheet for sheet in sheets if sheet is not None]


def suffix_is_xlsx(path: Path) -> bool:
    return path.suffix.lower() in {".xlsx", ".xlsm"}


def _check_magic(path: Path, head: bytes) -> None:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".ods"} and head.startswith(_OLE_MAGIC):
        raise GridtoolError(
            f"{path.name}：文件设置了打开密码（已加密），无法读取。",
            "请在 Excel/WPS 中打开，去掉密码（文件→信息→保护工作簿）后另存，再试。",
        )
    if suffix in {".xlsx", ".xlsm", ".ods"} and not head.startswith(_ZIP_MAGIC):
        raise GridtoolError(
            f"{path.name}：扩展名是 {path.suffix}，但内容不是 Excel 表格（可能是改了扩展名的文本或网页）。",
            "请从腾讯文档/金山文档重新“导出为 Excel”，或把文本文件改名为 .csv。",
        )


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


def _read_text(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    if not raw.strip():
        raise GridtoolError(f"{path.name}：文件是空的。", "请重新下载或导出该文件。")
    if raw.startswith(_ZIP_MAGIC) or raw.startswith(_OLE_MAGIC):
        raise GridtoolError(
            f"{path.name}：扩展名是 {path.suffix}，但内容是 Excel 表格。", "请把扩展名改回 .xlsx 或 .xls。"
        )
    text = _decode(path, raw)
    sample = text[:20000]
    delimiter = _guess_delimiter(path, sample)
    width = max((len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter)), default=1)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, names=range(width), dtype=str,
            keep_default_na=False, skip_blank_lines=False, engine="c",
        )
    except pd.errors.ParserError:  # a row wider than the sample: read it the slow, forgiving way
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        frame = pd.DataFrame(rows, dtype=str)
    frame = frame.replace("", None)
    frame.columns = [column_letter(i) for i in range(frame.shape[1])]
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def decode_text(path: Path) -> str:
    """A text file staff wrote (a notice body): UTF-8 with or without BOM, or GB18030/GBK."""
    if not path.exists():
        raise GridtoolError(f"找不到文件：{path}", "请检查文件名和所在文件夹。")
    return _decode(path, path.read_bytes())


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's “Unicode 文本” export is UTF-16
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GridtoolError(
        f"{path.name}：无法识别文件编码（不是 UTF-8，也不是 GBK/GB18030）。",
        "请用 Excel/WPS 打开后另存为“CSV UTF-8”或 .xlsx。",
    )


def _guess_delimiter(path: Path, sample: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# Merged cells inside the data are a hand-made roster's habit, not a system export's; reading them means
# inflating the whole sheet XML a second time, so sheets above this size (about 100k rows) are not scanned.
MERGE_SCAN_LIMIT = 16 * 1024 * 1024
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _xlsx_merged_ranges(path: Path, sheet_name: str) -> list[tuple[str, int, str, int]]:
    """Merged ranges of one xlsx sheet, read from the end of its XML without parsing the cells."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet_name)
            if member is None or archive.getinfo(member).file_size > MERGE_SCAN_LIMIT:
                return []
            ranges = []
            tail = b""
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 22):
                    block = tail + chunk
                    if b"<mergeCell" in block:
                        ranges.extend(_MERGE.findall(block))
                    tail = block[-200:]
    except (zipfile.BadZipFile, KeyError, OSError):
        return []
    unique = {(a.decode(), int(b), c.decode(), int(d)) for a, b, c, d in ranges}
    return sorted(unique)


def _sheet_member(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for match in re.finditer(r"<sheet\b[^>]*>", workbook):
        tag = match.group(0)
        name = re.search(r'name="([^"]*)"', tag)
        rid = re.search(r'r:id="([^"]*)"', tag)
        if not name or not rid or _xml_unescape(name.group(1)) != sheet_name:
            continue
        for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
            if f'Id="{rid.group(1)}"' in rel.group(0):
                target = re.search(r'Target="([^"]*)"', rel.group(0))
                if target:
                    value = target.group(1).lstrip("/")
                    return value if value.startswith("xl/") else "xl/" + value
    return None


def _xml_unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _fill_merged(raw: RawSheet, ranges: list[tuple[str, int, str, int]]) -> None:
    """Give every cell of a vertically merged range the value of its top cell (a 楼栋 merged down)."""
    frame = raw.cells
    for first_col, first_row, last_col, last_row in ranges:
        if last_row <= first_row or first_row not in frame.index:
            continue
        last_row = min(last_row, frame.index[-1])
        if first_col not in frame.columns:
            continue
        top = frame.at[first_row, first_col]
        for letter in _letters_between(first_col, last_col):
            if letter in frame.columns:
                start = first_row + 1 if letter == first_col else first_row
                frame.loc[start:last_row, letter] = top


def _letters_between(first: str, last: str) -> list[str]:
    def index(letters: str) -> int:
        value = 0
        for ch in letters:
            value = value * 26 + ord(ch) - 64
        return value - 1

    return [column_letter(i) for i in range(index(first), index(last) + 1)]
