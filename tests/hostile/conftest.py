"""Running gridtool as a separate process on hostile inputs: exit code, output, peak memory and time.

Every hostile-input test goes through `run_gridtool` and `assert_handled`, so the promise is one
piece of code: exit 0 or 2 (or the code the test names), a Chinese message, no 内部错误, no traceback,
peak memory under 2 GB and under 60 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

# The child reports its own peak resident memory on the fd named in GRIDTOOL_TEST_PEAK_FD after the command ends, whatever its exit code.
_WRAPPER = """
import atexit, os, resource, sys
def _report():
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    os.write(int(os.environ["GRIDTOOL_TEST_PEAK_FD"]), f"{max(peak_kb, kids_kb)}".encode())
atexit.register(_report)
sys.argv = ["gridtool", *sys.argv[1:]]
from gridtool.cli import main
main()
"""

MEMORY_LIMIT_MB = 2048
TIME_LIMIT_S = 60.0


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> object:
        return json.loads(self.stdout)


def run_gridtool(*args: str | Path, cwd: Path | None = None, timeout: float = 120.0,
                 env: dict[str, str] | None = None) -> Run:
    """`gridtool ARGS...` in a child process; its exit code, output, peak memory (MB) and wall time."""
    read_end, write_end = os.pipe()
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _WRAPPER, *map(str, args)], cwd=cwd, capture_output=True, text=True,
            timeout=timeout, env={**os.environ, "COLUMNS": "120", "GRIDTOOL_TEST_PEAK_FD": str(write_end), **(env or {})},
            pass_fds=(write_end,),
        )
    finally:
        os.close(write_end)
    seconds = time.monotonic() - started
    with os.fdopen(read_end, "rb") as report:
        peak = report.read().decode() or "0"
    return Run(proc.returncode, proc.stdout, proc.stderr, int(peak) / 1024, seconds)


def assert_handled(run: Run, *, codes: tuple[int, ...] = (0, 2), mentions: str | None = None) -> None:
    """The run ended as a result or a clear Chinese message: no crash, no traceback, within the budget."""
    assert run.code in codes, f"exit {run.code}\n{run.output}"
    assert "内部错误" not in run.output and "Traceback" not in run.output, run.output
    if run.code == 2:
        assert "错误：" in run.stderr, run.stderr
    if mentions is not None:
        assert mentions in run.output, f"{mentions!r} not in:\n{run.output}"
    assert run.peak_mb < MEMORY_LIMIT_MB, f"peak {run.peak_mb:.0f} MB"
    assert run.seconds < TIME_LIMIT_S, f"took {run.seconds:.1f} s"


@pytest.fixture
def gridtool_run():
    return run_gridtool
