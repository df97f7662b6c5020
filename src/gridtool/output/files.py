"""Writing a file atomically: to a temporary file beside it, moved into place only when complete, so a
half-written output never replaces a good one and nothing is left behind when writing fails."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".~gridtool-"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write to; it becomes `path` when the block ends without an error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path, content: bytes) -> Path:
    with atomic_path(path) as temp:
        temp.write_bytes(content)
    return path


def write_text(path: Path, text: str) -> Path:
    """UTF-8 with a BOM and Windows line ends, so Notepad on an older Windows shows Chinese."""
    with atomic_path(path) as temp:
        with temp.open("w", encoding="utf-8-sig", newline="\r\n") as stream:
            stream.write(text)
    return path
