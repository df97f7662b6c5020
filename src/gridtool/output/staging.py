"""A run's files are written together: first into a staging folder inside the output folder, then moved
to their final names at the end. A run that fails, is interrupted or is killed never leaves half a set.

Moving in is guarded by a journal written into the staging folder once every file is complete:
- killed before the journal: the next run in this output folder deletes the staging folder (the previous
  set stays as it was);
- killed while moving: the next run finishes the moves (the new set is complete);
- a move that fails (a file open in Excel on Windows): the files already moved are put back, the previous
  set is restored, and the error is reported.
Ctrl-C while moving is held back until the last file is in place.

A folder holds one set per kind and day: the files an earlier run wrote for the same kind and day that this
run did not write again (a worker with nothing to follow up today, a building that moved to another list)
are moved into 已作废/ beside them, so nobody acts on yesterday's version of a list.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from gridtool.errors import SHARING_VIOLATION, GridtoolError, os_error
from gridtool.output.files import TEMP_PREFIX, file_mode
from gridtool.output.names import OutputNames

STAGING_PREFIX = ".gridtool-run-"
JOURNAL = "moving.json"
BACKUP = ".previous"
RETIRED = "已作废"


class OutputRun:
    """Where this run's files go: `path()` names a file and returns its place in the staging folder;
    after the run, `files` lists the final paths in the order they were named."""

    def __init__(self, folder: Path, staging: Path, inputs: Iterable[Path], private: bool) -> None:
        self.folder = folder
        self.staging = staging
        self.private = private
        self.names = OutputNames(folder, inputs)
        self.staged: list[Path] = []
        self.files: list[Path] = []
        self.families: set[tuple[str, str, str]] = set()
        self.retired: list[Path] = []
        self.stale: list[Path] = []

    def path(self, kind: str, *parts: str, suffix: str = ".xlsx") -> Path:
        staged = self.staging / self.names.path(kind, *parts, suffix=suffix).name
        self.staged.append(staged)
        return staged

    def list_path(self, kind: str, owner: str, day: str, suffix: str = ".xlsx") -> Path:
        """One of a day's lists, one per worker or building (`待跟进_王芳_2026-11-21.xlsx`): this run's lists
        of that kind and day replace the earlier ones as a set."""
        self.families.add((kind, day, suffix))
        return self.path(kind, owner, day, suffix=suffix)

    def final(self, staged: Path) -> Path:
        return self.folder / staged.name


@contextmanager
def output_run(folder: Path, inputs: Iterable[Path] = (), private: bool = False) -> Iterator[OutputRun]:
    """Write into the run's staging folder inside the block; the files move in together when it ends."""
    try:
        prepare_folder(folder)
    except OSError as exc:
        raise output_error(exc, folder) from exc
    try:
        run = OutputRun(folder, Path(tempfile.mkdtemp(prefix=_staging_prefix(), dir=folder)), inputs, private)
        yield run
        with interrupts_held():
            _commit(run)
    except BaseException as exc:
        _discard(folder)
        if isinstance(exc, OSError):
            raise output_error(exc, folder) from exc
        raise


def _staging_prefix() -> str:
    return f"{STAGING_PREFIX}{os.getpid()}-"


def _discard(folder: Path) -> None:
    """This run's staging folder, wherever it was cut off; one whose journal says it was moving in is kept
    for the next run to finish."""
    for staging in folder.glob(f"{_staging_prefix()}*"):
        if not (staging / JOURNAL).exists():
            shutil.rmtree(staging, ignore_errors=True)


def prepare_folder(folder: Path) -> None:
    """The output folder, made when missing; what an earlier, killed run left in it is cleaned up first."""
    if folder.is_symlink() and not folder.exists():
        raise GridtoolError(f"输出文件夹 {folder} 是一个快捷方式（符号链接），但它指向的位置不存在。",
                            "请用 --out 指定一个真实存在的文件夹。")
    if folder.exists() and not folder.is_dir():
        raise GridtoolError(f"输出文件夹 {folder} 是一个文件，不是文件夹。", "请用 --out 指定一个文件夹。")
    folder.mkdir(parents=True, exist_ok=True)
    recover(folder)


def output_error(exc: OSError, folder: Path) -> GridtoolError | OSError:
    """Name the output file when it is at fault (a folder under its name, a file open in another program),
    else the output folder; a temporary or staging path is never shown."""
    name = Path(exc.filename).name if isinstance(exc.filename, str) else ""
    own = name and not name.startswith((TEMP_PREFIX, STAGING_PREFIX)) and name not in (JOURNAL, BACKUP)
    file_level = own and (exc.errno in (errno.EISDIR, errno.EBUSY, errno.ETXTBSY)
                          or getattr(exc, "winerror", None) == SHARING_VIOLATION)
    place = f"输出文件 {folder / name}" if file_level else f"输出文件夹 {folder}"
    error = os_error(exc, place)
    if error is None:
        return exc
    error.hint += "输出文件夹里原有的文件没有改动。"
    return error


def _commit(run: OutputRun) -> None:
    names = [p.name for p in run.staged if p.exists()]
    for name in names:
        os.chmod(run.staging / name, file_mode(run.private))
    journal = run.staging / JOURNAL
    journal.write_text(json.dumps({"files": names}, ensure_ascii=False), encoding="utf-8")
    backup = run.staging / BACKUP
    backup.mkdir()
    _move_in(run.staging, run.folder, names, backup)
    journal.unlink()
    shutil.rmtree(run.staging, ignore_errors=True)
    run.files = [run.folder / name for name in names]
    _retire(run, set(names))


def _family(name: str) -> tuple[str, str, str] | None:
    """(kind, day, suffix) of `待跟进_王芳_2026-11-21.xlsx` or `…_2026-11-21_2.xlsx`; parts never hold `_`."""
    stem, dot, suffix = name.rpartition(".")
    parts = stem.split("_")
    if not dot or len(parts) not in (3, 4) or (len(parts) == 4 and not parts[3].isdigit()):
        return None
    return parts[0], parts[2], f".{suffix}"


def _retire(run: OutputRun, written: set[str]) -> None:
    """Earlier files of this run's families that it did not write again go into 已作废/ (never an input);
    one that cannot be moved (open in Excel) stays and is listed in `stale`."""
    for entry in sorted(run.folder.iterdir()):
        if entry.name in written or _family(entry.name) not in run.families:
            continue
        if entry.is_symlink() or not entry.is_file() or run.names.is_input(entry):
            continue
        try:
            retired = run.folder / RETIRED
            retired.mkdir(exist_ok=True)
            target, number = retired / entry.name, 2
            while os.path.lexists(target):
                target, number = retired / f"{entry.stem}({number}){entry.suffix}", number + 1
            os.replace(entry, target)
            run.retired.append(target)
        except OSError:
            run.stale.append(entry)


def _move_in(staging: Path, folder: Path, names: list[str], backup: Path) -> None:
    """Each previous file goes aside, then the new one takes its name; on failure everything goes back."""
    started: list[str] = []
    try:
        for name in names:
            target = folder / name
            if target.is_dir() and not target.is_symlink():  # never move someone's folder aside
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
            if os.path.lexists(target):
                os.replace(target, backup / name)
            started.append(name)
            os.replace(staging / name, target)
    except OSError:
        for name in reversed(started):
            if not (staging / name).exists():
                os.replace(folder / name, staging / name)
            if os.path.lexists(backup / name):
                os.replace(backup / name, folder / name)
        (staging / JOURNAL).unlink()
        raise


def recover(folder: Path) -> None:
    """Finish or remove what a killed run left: a staging folder with a journal is moved in, one without
    is deleted, and abandoned temporary files are removed. Another run still going is left alone."""
    for entry in folder.iterdir():
        pid = _owner(entry.name)
        if pid is None or process_alive(pid):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                _roll_forward(entry, folder)
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.is_file():
                entry.unlink()
        except OSError:
            continue  # a folder we may not change: writing there fails next, with its own message


def _roll_forward(staging: Path, folder: Path) -> None:
    journal = staging / JOURNAL
    if not journal.exists():
        return
    for name in json.loads(journal.read_text(encoding="utf-8"))["files"]:
        if (staging / name).exists():
            os.replace(staging / name, folder / name)


def _owner(name: str) -> int | None:
    """The process id in a staging folder's or temporary file's name."""
    for prefix in (STAGING_PREFIX, TEMP_PREFIX):
        if name.startswith(prefix):
            digits = name[len(prefix):].split("-", 1)[0]
            return int(digits) if digits.isdigit() else None
    return None


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier process had our id; we have not made anything yet
    if sys.platform == "win32":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C inside the block is raised when the block has ended, so the block is never cut in half."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt
