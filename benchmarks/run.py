"""Time `gridtool followups` end to end beside a bare python-calamine read of the same workbook.

    python benchmarks/run.py 10k 100k 1m
    python benchmarks/run.py 1m --commands      # also `tasks`, `dashboard`, and `collect` of the worker books
    python benchmarks/run.py requests-100k      # `gridtool requests` on 100k requests, 20k open deliverable

Each measurement runs in a fresh process; peak memory is that process's maximum resident set size.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from generate import DATA, generate

BARE_READ = """
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)
print(rows)
"""


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (GB) of a command run in a child process."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", wrapper, *command], check=True, capture_output=True, text=True)
    seconds, kilobytes = out.stdout.split()
    return float(seconds), int(kilobytes) / 1024 / 1024


def other_commands(label: str, path: Path) -> None:
    """`tasks` and `dashboard` on the same input, and `collect` of the worker books `followups` wrote."""
    with tempfile.TemporaryDirectory() as out:
        tasks_s, tasks_gb = measure([sys.executable, "-m", "gridtool", "tasks", str(path), "--out", out, "--json"])
    with tempfile.TemporaryDirectory() as out:
        board_s, board_gb = measure([sys.executable, "-m", "gridtool", "dashboard", str(path), "--out", out, "--json"])
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "gridtool", "followups", str(path), "--out", out, "--json"],
                       check=True, stdout=subprocess.DEVNULL)
        for overview in Path(out).glob("汇总_*"):
            overview.unlink()
        log = str(Path(out) / "log" / "跟进记录.xlsx")
        collect_s, collect_gb = measure([sys.executable, "-m", "gridtool", "collect", out, "--log", log, "--json"])
    print(f"| {label} | tasks {tasks_s:.1f} s, {tasks_gb:.2f} GB | collect {collect_s:.1f} s, {collect_gb:.2f} GB "
          f"| dashboard {board_s:.1f} s, {board_gb:.2f} GB |")


def requests_workload(label: str) -> None:
    """`gridtool requests` end to end on the request log with its volunteer roster: triage, rounds, the
    summary workbook and every volunteer's 配送单 written, JSON printed."""
    path = DATA / f"{label}.xlsx"
    if not path.exists():
        generate(label)
    with tempfile.TemporaryDirectory() as out:
        seconds, gigabytes = measure([sys.executable, "-m", "gridtool", "requests", str(path), "--now",
                                      "2026-11-22 08:00", "--out", out, "--json"])
        books = len(list(Path(out).glob("配送单_*")))
    print(f"| {label} | gridtool requests {seconds:.1f} s, {gigabytes:.2f} GB | {books} 配送单 |")


def main(labels: list[str], commands: bool = False) -> None:
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    for label in [a for a in labels if a.startswith("requests-")]:
        requests_workload(label)
    labels = [a for a in labels if not a.startswith("requests-")]
    if not labels:
        return
    print("| rows | bare python-calamine read | gridtool followups | ratio | peak memory (read / followups) |")
    print("|---|---|---|---|---|")
    for label in labels:
        path = DATA / f"checkins-{label}.xlsx"
        if not path.exists():
            generate(label)
        bare_s, bare_gb = measure([sys.executable, "-c", BARE_READ, str(path)])
        with tempfile.TemporaryDirectory() as out:
            run_s, run_gb = measure([sys.executable, "-m", "gridtool", "followups", str(path), "--out", out, "--json"])
        memory = f"{bare_gb:.2f} GB / {run_gb:.2f} GB"
        print(f"| {label} | {bare_s:.1f} s | {run_s:.1f} s | {run_s / bare_s:.2f}× | {memory} |")
    if commands:
        print("| rows | gridtool tasks | gridtool collect (all worker books) | gridtool dashboard |")
        print("|---|---|---|---|")
        for label in labels:
            other_commands(label, DATA / f"checkins-{label}.xlsx")


if __name__ == "__main__":
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    main([a for a in sys.argv[1:] if not a.startswith("--")] or ["10k", "100k"], "--commands" in flags)
