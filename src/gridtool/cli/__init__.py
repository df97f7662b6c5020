"""The front door: every command module joined onto the app from `gridtool.cli.app`, and `main()`."""

from __future__ import annotations

import os
import sys

from gridtool.cli import (
    calls,
    check,
    collect,
    dashboard,
    followups,
    init,
    notices,
    requests,
    stock,
    tasks,
    volunteers,
)
from gridtool.cli.app import app, exit_interrupted
from gridtool.errors import ExitCode

for _module in (followups, tasks, collect, requests, stock, notices, calls, dashboard, volunteers, check, init):
    _module.register(app)


# pyarrow's memory pool where measured (Linux, glibc): its default (mimalloc) took 0.8-0.9 CPU-s more in system
# time on district-1m and checkins-1m, and 0.05-0.1 GB more peak; stock unchanged, notices 0.07 GB more peak.
# Set before pyarrow is first imported, so the second processes have it too; a user's own setting wins.
ARROW_POOL = ("ARROW_DEFAULT_MEMORY_POOL", "system")


# glibc gives each thread that allocates a malloc arena of its own, up to eight per core, and memory freed in one
# is not reused by another: reading a sheet in two halves and checking it two columns at a time took district-1m
# from 0.97 to 1.17 GB. Two arenas kept it at 0.96 GB, no slower (one: 0.4 s slower). Set for this process
# (mallopt, for arenas made from now on) and for the second processes (the variable); a user's own setting wins.
MALLOC_ARENAS = ("MALLOC_ARENA_MAX", "2")
_M_ARENA_MAX = -8  # glibc's malloc.h


def _fewer_malloc_arenas() -> None:
    if os.environ.get(MALLOC_ARENAS[0]) is not None:
        return
    os.environ[MALLOC_ARENAS[0]] = MALLOC_ARENAS[1]
    import ctypes

    try:
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, int(MALLOC_ARENAS[1]))
    except (OSError, AttributeError):  # not glibc (musl): nothing to set
        pass


def main() -> None:
    if sys.platform.startswith("linux"):
        os.environ.setdefault(*ARROW_POOL)
        _fewer_malloc_arenas()
    if sys.platform == "win32":  # the Windows console is not always UTF-8
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        app()
    except KeyboardInterrupt:  # after a command's own handler
        exit_interrupted()
    except SystemExit as exc:  # typer turns Ctrl-C while reading the options into a silent exit 130
        if exc.code == ExitCode.INTERRUPTED:
            exit_interrupted()
        raise


__all__ = ["app", "main"]
