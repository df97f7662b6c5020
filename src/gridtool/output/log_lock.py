"""One writer at a time for the follow-up log: a lock file beside it (`跟进记录.xlsx.lock`) holding the
process id, taken before the log is read and released after it is written. Two `collect` runs on one
log would otherwise each read the old log and the later write would lose the earlier run's answers.

A lock left by a process that no longer runs (killed, power cut) is taken over.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gridtool import logformat
from gridtool.errors import GridtoolError
from gridtool.output.files import file_mode

WAIT_SECONDS = 30.0  # how long a run waits for another to finish with the log before giving up
STALE_SECONDS = 6 * 3600  # a lock from another computer (shared folder) is abandoned after this long


def lock_path(log: Path) -> Path:
    return log.with_name(log.name + ".lock")


@contextmanager
def locked_log(log: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the log's lock for the block; exit 2 with a clear message when another run keeps it."""
    lock = lock_path(log)
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    while not _try_create(lock):
        holder = _holder(lock)
        if holder is not None and _is_stale(lock, holder):
            _take_over(lock, holder)
            continue
        if time.monotonic() >= deadline:
            raise GridtoolError(
                f"跟进记录 {log.name} 正被另一个 gridtool 使用（进程 {holder[0] if holder else '?'}），"
                "为免覆盖对方收回的结果，本次没有写入。",
                f"请等对方运行结束后再试；如确认没有其他 gridtool 在运行，可删除 {lock.name}。")
        time.sleep(0.1)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _try_create(lock: Path) -> bool:
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(f"{os.getpid()}\n{socket.gethostname()}\n{time.time():.0f}\n")
    return True


def _holder(lock: Path) -> tuple[int, str, float] | None:
    """(pid, host, time) written in the lock; None while it is being written or after it is gone."""
    try:
        pid, host, stamp = lock.read_text(encoding="utf-8").split("\n")[:3]
        return int(pid), host, float(stamp)
    except (OSError, ValueError):
        return None


def _is_stale(lock: Path, holder: tuple[int, str, float]) -> bool:
    pid, host, stamp = holder
    if host != socket.gethostname():
        return time.time() - stamp > STALE_SECONDS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _take_over(lock: Path, holder: tuple[int, str, float]) -> None:
    """Move the stale lock aside; if another run replaced it meanwhile, put that one back."""
    aside = lock.with_name(f"{lock.name}.{os.getpid()}")
    try:
        os.replace(lock, aside)
    except FileNotFoundError:
        return
    if _holder(aside) != holder:
        try:
            os.link(aside, lock)
        except FileExistsError:
            pass
    aside.unlink(missing_ok=True)


def log_key(log: Path, private: bool = False) -> bytes:
    """The secret kept beside the log (`跟进记录.xlsx.key`), made the first time a building sheet is issued;
    created exclusively, so two runs starting together agree on one."""
    path = logformat.key_path(log)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, file_mode(private))
    except FileExistsError:
        for _ in range(50):  # another run may be writing it this very moment
            secret = logformat.read_key(log)
            if secret is not None:
                return secret
            time.sleep(0.1)
        raise GridtoolError(f"{path} 已损坏，无法读出楼栋任务单、配送单编号的密钥。",
                            f"如果没有未收回的楼栋任务单，可删除 {path.name} 后重新运行；否则请从备份恢复它。") from None
    secret = secrets.token_bytes(logformat.KEY_BYTES)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(f"{logformat.KEY_NOTE}\n{secret.hex()}\n")
    return secret
