"""Workbooks (xlsx/xlsm/xls/ods) through fastexcel: Rust calamine, every cell as Arrow text, after `package`
has checked the zip. Nothing here imports pandas, so a command can read its workbooks first while another
thread imports pandas and its own modules: calamine releases the GIL while it parses a sheet, so on two
cores those imports (about 0.4 s) cost no time (`read_first`, taken back by `read.read_sheets`).
"""

from __future__ import annotations

import io
import os
import threading
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridtool.errors import GridtoolError
from gridtool.table.halves import Half, halved_sheet, halves, joined
from gridtool.table.notes import ReadNote
from gridtool.table.odscheck import check_ods
from gridtool.table.package import RETRY, Package, check_sheet, prepare_xlsx
from gridtool.table.sheetscan import Merge

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_OLE_LIMIT = 256 << 20
_FIRST_SUFFIXES = {".xlsx", ".xlsm"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}


def expand_paths(paths: Iterable[Path], skip: Path | None = None) -> list[Path]:
    """Files as given, and every workbook inside a folder given (lock and temporary files left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in EXCEL_SUFFIXES and p.is_file()
                            and not p.name.startswith(("~$", ".~")))
        else:
            found.append(path)
    return [p for p in dict.fromkeys(found) if skip is None or p.resolve() != skip.resolve()]


def display_name(path: Path) -> str:
    """The file's name as staff see it: a name saved in GBK (from a Windows zip) is shown decoded."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path.name).decode("gb18030", "replace")
    return path.name


@dataclass
class LoadedSheet:
    """One sheet as calamine read it: its cells as an Arrow record batch of text, each batch column's
    0-based position in the sheet, and what was noticed on the way."""

    name: str
    cells: Any  # pyarrow.RecordBatch
    positions: list[int]
    visible: bool
    notes: list[ReadNote] = field(default_factory=list)
    merges: set[Merge] = field(default_factory=set)


def _workbook_source(path: Path, name: str, head: bytes) -> tuple[str | bytes, list[ReadNote]]:
    """What fastexcel reads: the path, or the bytes when the name misleads it (wrong suffix, GBK file name)."""
    suffix = path.suffix.lower()
    notes = []
    if head.startswith(OLE_MAGIC):
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
    if isinstance(source, bytes) and source.startswith(OLE_MAGIC):
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


def load_workbook(path: Path, name: str, head: bytes, include_hidden: bool) -> list[LoadedSheet]:
    """Every visible sheet of a workbook (hidden ones too when asked), a sheet per core."""
    import fastexcel

    source, notes = _workbook_source(path, name, head)
    package = _prepare(source, name)
    notes += package.notes
    local = threading.local()
    spare: list[Any] = []  # the reader that listed the sheets: opening a book reads all its shared strings
    halved = _halved(package)

    def load(sheet_name: str) -> LoadedSheet | None:
        scan, corrected, sheet_notes = check_sheet(package, sheet_name)  # before calamine sizes its grid
        merges = scan.merges if scan is not None else set()
        read = _in_halves(package, sheet_name) if sheet_name == halved and corrected is None else None
        if read is not None:
            cells, positions, visible = read
            return LoadedSheet(sheet_name, cells, positions, visible, notes + sheet_notes, merges) \
                if visible or include_hidden else None
        if corrected is not None:
            reader = fastexcel.read_excel(corrected)
        elif not hasattr(local, "reader"):  # a fastexcel reader cannot be shared between threads
            reader = local.reader = spare.pop() if spare else fastexcel.read_excel(package.source)
        else:
            reader = local.reader
        sheet = reader.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=0)
        if sheet.visible != "visible" and not include_hidden:
            return None
        positions = [info.absolute_index for info in sheet.available_columns()]
        return LoadedSheet(sheet_name, sheet.to_arrow(), positions, sheet.visible == "visible", notes + sheet_notes,
                           merges)

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


def _halved(package: Package) -> str | None:
    if not package.xlsx:
        return None
    with package.open() as archive:
        return halved_sheet(archive, package.sheet_parts)


def _in_halves(package: Package, sheet_name: str) -> tuple[Any, list[int], bool] | None:
    """The sheet read as two halves at once (`halves`): its cells, their columns' places, whether it is
    visible. None when it is not cut, or a half cannot be read: the sheet is then read whole, as usual, and
    that reading says what is wrong with it."""
    try:
        with package.open() as archive:
            made = halves(archive, package.sheet_parts[sheet_name])
            first = next(made, None)
            if first is None:
                return None
            with ThreadPoolExecutor(1, thread_name_prefix="gridtool-half") as pool:
                beside = pool.submit(_half, first, sheet_name, 0)
                second = next(made, None)
                other = _half(second, sheet_name, None) if second is not None else None
                one = beside.result()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - a Rust panic too: the whole sheet's reading reports it
        return None
    if other is None:
        return None
    cells, positions = joined([one[:2], other[:2]])
    return cells, positions, one[2]


def _half(half: Half, sheet_name: str, skip_rows: int | None) -> tuple[Any, list[int], bool]:
    """One half read: the first from the sheet's top, as a whole sheet is (skip_rows 0); the second from its
    first row with a value (skip_rows None), where the first half ended."""
    import fastexcel

    try:  # calamine opens the file by its path again for the sheet: it stays open until the sheet is read
        sheet = fastexcel.read_excel(half.source).load_sheet(sheet_name, header_row=None, dtypes="string",
                                                             skip_rows=skip_rows)
    finally:
        half.close()
    positions = [info.absolute_index for info in sheet.available_columns()]
    return sheet.to_arrow(), positions, sheet.visible == "visible"


def _calamine_error(name: str, exc: BaseException) -> GridtoolError:
    """calamine's own refusal of a sheet too large to lay out (ods) in words; anything else is damage."""
    if "limit exceeded" in str(exc).lower():
        return GridtoolError(f"{name}：表格声称的范围太大（超过 1 亿个单元格），无法读取。",
                             "请删除表格下方或右侧远处的内容（按 Ctrl+End 可跳到最后一个单元格），或把表格拆成几个文件。")
    return GridtoolError(f"{name}：无法读取这个表格文件。", "文件可能已损坏或未下载完整；" + RETRY)


_read_first: dict[Path, tuple[tuple[int, int], list[LoadedSheet] | GridtoolError]] = {}
READERS = max(os.cpu_count() or 1, 2)  # threads reading the other workbooks (50 returned books: a few at a time)


def read_first(paths: Iterable[Path]) -> None:
    """Read these xlsx workbooks (every sheet, hidden ones too) now, and keep them for `read.read_sheets`.

    A command calls it while another thread imports pandas and the command's modules: calamine releases the
    GIL, so on two cores the imports take no time of their own. The largest workbook is read in this thread,
    where the rest of the command runs: memory calamine frees is reused there (a second thread's malloc arena
    cost 70 MB of fresh pages, 0.3 s); the others (a follow-up log beside a district's check-ins, the books
    workers returned) are read beside it, READERS at a time. Folders and other files are left to the usual reading, and so is
    a workbook whose reading failed other than as unusable input; unusable input is kept, to be raised where
    it would be. What an earlier command in this process kept and did not use is dropped."""
    _read_first.clear()
    wanted = [(path, size) for path in dict.fromkeys(paths) if (size := _first_size(path)) is not None]
    if not wanted:
        return
    largest = max(wanted, key=lambda item: item[1])[0]
    others = [path for path, _ in wanted if path != largest]
    with ThreadPoolExecutor(max(min(len(others), READERS), 1), thread_name_prefix="gridtool-read") as pool:
        beside = [pool.submit(_keep_first, path) for path in others]
        _keep_first(largest)
        for done in beside:
            done.result()


def _first_size(path: Path) -> int | None:
    """The size of a file read_first takes (an xlsx workbook by its name); None for any other."""
    if path.suffix.lower() not in _FIRST_SUFFIXES:
        return None
    try:
        return path.stat().st_size if path.is_file() else None
    except OSError:
        return None


def _keep_first(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
        if head.startswith(ZIP_MAGIC):
            signature = _signature(path)
            try:
                _read_first[path] = signature, load_workbook(path, display_name(path), head, include_hidden=True)
            except GridtoolError as error:
                _read_first[path] = signature, error
    except OSError:  # the usual reading says what is wrong with the file
        pass


def _signature(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_size


def taken_first(path: Path, include_hidden: bool) -> list[LoadedSheet] | None:
    """The sheets `read_first` kept for `path`, once; None when it kept none or the file has changed since."""
    signature, kept = _read_first.pop(path, ((-1, -1), None))
    try:
        if kept is None or _signature(path) != signature:
            return None
    except OSError:
        return None
    if isinstance(kept, GridtoolError):
        raise kept
    return [sheet for sheet in kept if sheet.visible or include_hidden]
