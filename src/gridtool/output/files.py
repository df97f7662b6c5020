"""Writing a file atomically: to a temporary file beside it, moved into place only when complete, so a
half-written output never replaces a good one and nothing is left behind when writing fails.

Files get the permissions the user's umask gives new files (a shared office folder needs group read),
or owner-only ones when gridtool.toml says `private_files = true`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from gridtool.table.invisible import shown

TEMP_PREFIX = ".~gridtool-"
PRIVATE_MODE = 0o600


@lru_cache(maxsize=1)
def shared_mode() -> int:
    """rw for everyone the umask lets read and write a new file (0644 under the usual umask 022)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def file_mode(private: bool) -> int:
    return PRIVATE_MODE if private else shared_mode()


def temp_prefix() -> str:
    """Temporary names carry the writing process's id, so the next run knows which ones were abandoned."""
    return f"{TEMP_PREFIX}{os.getpid()}-"


@contextmanager
def atomic_path(path: Path, private: bool = False) -> Iterator[Path]:
    """A temporary path to write to; it becomes `path` when the block ends without an error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=temp_prefix(), suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(temp)
        os.chmod(temp, file_mode(private))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path, content: bytes | memoryview, private: bool = False) -> Path:
    with atomic_path(path, private) as temp:
        temp.write_bytes(content)
    return path


def write_text(path: Path, text: str, private: bool = False) -> Path:
    """UTF-8 with a BOM and Windows line ends, so Notepad on an older Windows shows Chinese. Every text file
    gridtool writes is read by a person (a message to paste, a page): a hidden character (U+202E …) in it
    is written as its marker `〔U+202E〕` (gridtool.table.invisible)."""
    with atomic_path(path, private) as temp:
        with temp.open("w", encoding="utf-8-sig", newline="\r\n") as stream:
            stream.write(shown(text))
    return path
