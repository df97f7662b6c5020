"""Time `gridtool followups` end to end beside a bare python-calamine read of the same workbook, and the other
commands on their named workloads (the goals of #18).

    python benchmarks/run.py 10k 100k 1m        # the 7-day check-in exports
    python benchmarks/run.py district-1m        # one street office's single day: 1M residents, ~115k flagged
    python benchmarks/run.py everyone-200k      # the bound of #14 item 11: everyone flagged (half missing, half fever)
    python benchmarks/run.py 1m --commands      # also `tasks`, `dashboard`, and `collect` of the returned books
    python benchmarks/run.py requests-100k      # `gridtool requests` on 100k requests, 20k open deliverable
    python benchmarks/run.py help stock-1m notices-200k   # `--help`, `stock` on 1M movements, household notices
    python benchmarks/run.py district-1m notices-200k --repeat 5   # each figure the median of 5 runs, and their range

Each measurement runs in a fresh process; peak memory is that process's maximum resident set size. The load
average is printed with each figure: the machine may be shared.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from generate import DATA, checkins_path, generate

GRIDTOOL = [sys.executable, "-m", "gridtool"]
BARE_READ = """
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)
print(rows)
"""
REPEAT = 1  # --repeat N: followups and notices run N times (the bare read and followups in turn), median and range
HEAVY_MODULES = ("pandas", "numpy", "pyarrow", "fastexcel", "xlsxwriter", "openpyxl", "jinja2", "typst")


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak memory (GB) of a command run in a child process."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", wrapper, *command], check=True, capture_output=True, text=True,
                         cwd=cwd)
    seconds, kilobytes = out.stdout.split()
    return float(seconds), int(kilobytes) / 1024 / 1024


def load() -> str:
    """The 1-minute load average, printed beside each figure."""
    return f"load {os.getloadavg()[0]:.1f}"


def other_commands(label: str, path: Path, followups_s: float) -> None:
    """`tasks` and `dashboard` on the same input, and `collect` of every worker book `followups` wrote, filled in
    as workers return them; tasks is compared with followups, collect with the followups run that wrote the books."""
    from workloads import returned_books

    with tempfile.TemporaryDirectory() as out:
        tasks_s, tasks_gb = measure([*GRIDTOOL, "tasks", str(path), "--out", out, "--json"])
    with tempfile.TemporaryDirectory() as out:
        board_s, board_gb = measure([*GRIDTOOL, "dashboard", str(path), "--out", out, "--json"])
    returned = DATA / f"returned-{label}"
    if not any(returned.glob("*.xlsx")):
        returned_books(label)
    with tempfile.TemporaryDirectory() as out:  # a fresh log and a copy of the books: every run is the first
        books = Path(shutil.copytree(returned, Path(out) / "returned"))
        log = str(Path(out) / "跟进记录.xlsx")
        collect_s, collect_gb = measure([*GRIDTOOL, "collect", str(books), "--log", log, "--out", out, "--json"])
    count = len(list(returned.glob("*.xlsx")))
    print(f"| {label} | tasks {tasks_s:.1f} s, {tasks_gb:.2f} GB ({tasks_s / followups_s:.2f}× followups) "
          f"| collect {collect_s:.1f} s, {collect_gb:.2f} GB ({count} books; followups wrote them in "
          f"{followups_s:.1f} s) | dashboard {board_s:.1f} s, {board_gb:.2f} GB | {load()} |")


def requests_workload(label: str) -> None:
    """`gridtool requests` end to end on the request log with its volunteer roster: triage, rounds, the
    summary workbook and every volunteer's 配送单 written, JSON printed."""
    path = _input(label)
    with tempfile.TemporaryDirectory() as out:
        seconds, gigabytes = measure([*GRIDTOOL, "requests", str(path), "--now", "2026-11-22 08:00", "--out", out,
                                      "--json"])
        books = len(list(Path(out).glob("配送单_*")))
    print(f"| {label} | gridtool requests {seconds:.1f} s, {gigabytes:.2f} GB | {books} 配送单 | {load()} |")


def help_workload(label: str) -> None:
    """`gridtool --help`, best of five starts (goal 0.3 s), and the heavy libraries it imported (goal: none)."""
    runs = [measure([*GRIDTOOL, "--help"]) for _ in range(5)]
    seconds, gigabytes = min(s for s, _ in runs), max(g for _, g in runs)
    trace = subprocess.run([*GRIDTOOL, "--help"], env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},
                           capture_output=True, text=True, check=True).stderr
    imported = sorted({line.rsplit("|", 1)[-1].strip() for line in trace.splitlines()} & set(HEAVY_MODULES))
    print(f"| {label} | gridtool --help {seconds:.2f} s, {gigabytes:.2f} GB | heavy imports: "
          f"{', '.join(imported) or 'none'} | goal 0.3 s | {load()} |")


def _input(name: str) -> Path:
    """A generated input of benchmarks/data, made on first use."""
    path = DATA / f"{name}.xlsx"
    if not path.exists():
        generate(name)
    return path


def stock_workload(label: str) -> None:
    """`gridtool stock` on the movement log alone (goal 5 s), beside the bare read of the same log."""
    path = _input(f"movements-{label.removeprefix('stock-')}")
    bare_s, bare_gb = measure([sys.executable, "-c", BARE_READ, str(path)])
    with tempfile.TemporaryDirectory() as out:
        seconds, gigabytes = measure([*GRIDTOOL, "stock", str(path), "--out", out, "--json"])
    print(f"| {label} | bare read {bare_s:.1f} s, {bare_gb:.2f} GB | gridtool stock {seconds:.1f} s, "
          f"{gigabytes:.2f} GB | goal 5 s | {load()} |")


def notices_workload(label: str) -> None:
    """`gridtool notices 打卡提醒 --per 户`: a notice for every household of the roster (goal 10 s)."""
    path = _input(f"roster-{label.removeprefix('notices-')}")
    runs = [_in_fresh_folder(lambda out: measure([*GRIDTOOL, "notices", "打卡提醒", "--roster", str(path), "--per", "户",
                                                  "--date", "2026-11-21", "--out", out, "--json"], cwd=DATA))
            for _ in range(REPEAT)]
    print(f"| {label} | gridtool notices {_figure([s for s, _ in runs], ' s')}, {max(g for _, g in runs):.2f} GB "
          f"| a notice per household | goal 10 s | {load()} |")


def _followups_run(path: Path, out: str) -> tuple[float, float]:
    return measure([*GRIDTOOL, "followups", str(path), "--out", out, "--json"])


def _in_fresh_folder(run: Callable[[str], tuple[float, float]]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as out:
        return run(out)


def _figure(values: list[float], unit: str, digits: int = 1) -> str:
    """One run's figure, or the median of several with their range."""
    median = statistics.median(values)
    if len(values) == 1:
        return f"{median:.{digits}f}{unit}"
    return f"{median:.{digits}f}{unit} (median of {len(values)}: {min(values):.{digits}f}–{max(values):.{digits}f})"


NAMED = {"requests-": requests_workload, "help": help_workload, "stock-": stock_workload,
         "notices-": notices_workload}


def followups_table(labels: list[str]) -> dict[str, float]:
    """The followups table; each label's followups seconds, for the other commands' comparison."""
    print("| rows | bare python-calamine read | gridtool followups | ratio | peak memory (read / followups) | load |")
    print("|---|---|---|---|---|---|")
    seconds = {}
    for label in labels:
        path = checkins_path(label)
        if not path.exists():
            generate(label)
        bare, run = [], []
        for _ in range(REPEAT):  # in turn, so that both see the machine as it is
            bare.append(measure([sys.executable, "-c", BARE_READ, str(path)]))
            run.append(_in_fresh_folder(partial(_followups_run, path)))
        memory = f"{max(g for _, g in bare):.2f} GB / {max(g for _, g in run):.2f} GB"
        ratios = [r / b for (b, _), (r, _) in zip(bare, run, strict=True)]
        print(f"| {label} | {_figure([s for s, _ in bare], ' s')} | {_figure([s for s, _ in run], ' s')} "
              f"| {_figure(ratios, '×', 2)} | {memory} | {load()} |", flush=True)
        seconds[label] = statistics.median(s for s, _ in run)
    return seconds


def main(labels: list[str], commands: bool = False) -> None:
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    for label in labels:
        runner = next((run for prefix, run in NAMED.items() if label.startswith(prefix)), None)
        if runner is not None:
            runner(label)
    labels = [a for a in labels if not any(a.startswith(prefix) for prefix in NAMED)]
    if not labels:
        return
    followups_s = followups_table(labels)
    if commands:
        print("| rows | gridtool tasks | gridtool collect (every returned worker book) | gridtool dashboard | load |")
        print("|---|---|---|---|---|")
        for label in labels:
            other_commands(label, checkins_path(label), followups_s[label])


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if "--repeat" in arguments:
        at = arguments.index("--repeat")
        REPEAT = int(arguments[at + 1])
        del arguments[at:at + 2]
    flags = [a for a in arguments if a.startswith("--")]
    main([a for a in arguments if not a.startswith("--")] or ["10k", "100k"], "--commands" in flags)
