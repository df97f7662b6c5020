"""`gridtool --version` and `--help` start without the table library: commands import their domain when they run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("pandas", "numpy", "pyarrow", "fastexcel", "xlsxwriter", "jinja2", "typst", "pypinyin", "rapidfuzz", "openpyxl")


def _imported(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "gridtool", *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["followups", "--help"], ["calls", "--help"]])
def test_start_imports_no_heavy_library(args: list[str]) -> None:
    modules = _imported(*args)
    assert "gridtool.cli" in modules
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY) == []


def test_the_package_never_imports_openpyxl() -> None:
    """openpyxl is a test dependency only: the installed tool reads with calamine and writes with XlsxWriter."""
    done = subprocess.run([sys.executable, "-c", "import sys, gridtool.cli; "
                           "from gridtool.domain.checkins import followups; from gridtool.domain.loop import collect; "
                           "from gridtool.domain.stock import check; from gridtool.output import "
                           "followup_books, stock_book, log_book, notice_files; print('openpyxl' in sys.modules)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool is chosen where it was measured")
@pytest.mark.parametrize(("given", "expected"), [(None, "system"), ("mimalloc", "mimalloc")])
def test_the_command_chooses_pyarrows_memory_pool_unless_the_user_did(given: str | None, expected: str) -> None:
    done = _after_main("import pyarrow; print(pyarrow.default_memory_pool().backend_name)",
                       "ARROW_DEFAULT_MEMORY_POOL", given)
    assert done.stdout.split()[-1] == expected


def _after_main(then: str, variable: str, given: str | None) -> subprocess.CompletedProcess[str]:
    """`gridtool --version` run by main() in a fresh Python, with the environment `variable` left out or `given`,
    and the script `then` after it."""
    script = ("import sys; from gridtool.cli import main; sys.argv = ['gridtool', '--version']\n"
              f"try:\n    main()\nexcept SystemExit:\n    pass\n{then}")
    env = {k: v for k, v in os.environ.items() if k != variable}
    if given:
        env[variable] = given
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's arenas are Linux's")
@pytest.mark.parametrize(("given", "expected"), [(None, "2"), ("4", "4")])
def test_the_command_keeps_glibc_to_two_malloc_arenas_unless_the_user_set_them(given: str | None,
                                                                                expected: str) -> None:
    """The second processes start with the variable; this one has mallopt called: six threads that allocate
    make no more arenas than allowed (glibc's malloc_stats lists them)."""
    done = _after_main("import ctypes, os, threading\nhold = threading.Barrier(6)\n"
                       "def grab():\n    data = bytearray(1 << 16); hold.wait()\n"
                       "threads = [threading.Thread(target=grab) for _ in range(6)]\n"
                       "[t.start() for t in threads]; [t.join() for t in threads]\n"
                       "sys.stderr.flush(); ctypes.CDLL(None).malloc_stats()\n"
                       "print(os.environ['MALLOC_ARENA_MAX'])", "MALLOC_ARENA_MAX", given)
    assert done.stdout.split()[-1] == expected
    arenas = done.stderr.count("Arena ")
    assert (arenas == 2) if given is None else (2 < arenas <= 4), done.stderr


def test_notices_reads_its_options_without_pandas() -> None:
    """The --set values are read before the standby process and the renderers start and the roster is read (while
    pandas imports beside it): importing pandas there held all of them back 0.3 s."""
    done = subprocess.run([sys.executable, "-c", "import sys; from gridtool.cli.notices import _template_values; "
                           "print(_template_values(['时间=明天'], None), 'pandas' in sys.modules)"],
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["{'时间':", "'明天'}", "False"], done.stderr
