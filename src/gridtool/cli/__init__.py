"""The front door: every command module joined onto the app from `gridtool.cli.app`, and `main()`."""

from __future__ import annotations

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


def main() -> None:
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
