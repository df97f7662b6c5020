"""Two collects on one log (issue 14 item 2): one waits for the other, nothing is lost; a held lock is a
clear message with exit 2; a lock left by a dead process is taken over."""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from exports import write_xlsx
from gridtool.cli import app
from gridtool.output import log_lock

CHECKINS = [["姓名", "楼栋", "单元", "房号", "体温", "打卡时间", "网格员"],
            *[[f"王{i}", "1", "1", f"1{i:02d}", None, "未打卡", "王芳"] for i in range(4)],
            ["赵", "1", "1", "199", 36.5, "8:00", "王芳"],
            *[[f"李{i}", "2", "1", f"2{i:02d}", None, "未打卡", "李强"] for i in range(4)]]


@pytest.fixture
def returned(tmp_path: Path) -> dict[str, Path]:
    data = write_xlsx(tmp_path / "打卡.xlsx", {"11月21日": CHECKINS})
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["followups", str(data), "--date", "2026-11-21", "--out", str(out)])
    assert result.exit_code == 0, result.output
    books = {}
    for worker in ("王芳", "李强"):
        book = openpyxl.load_workbook(out / f"待跟进_{worker}_2026-11-21.xlsx")
        book["待跟进"].cell(4, 10, "已补打卡")
        book.save(tmp_path / f"{worker}.xlsx")
        books[worker] = tmp_path / f"{worker}.xlsx"
    return books


def _collect_in_child(book: str, log: str, start: float) -> None:
    while time.time() < start:  # both children start writing as close together as possible
        time.sleep(0.001)
    result = CliRunner().invoke(app, ["collect", book, "--log", log, "--json"])
    os._exit(result.exit_code)


def test_two_collects_at_once_lose_nothing(returned: dict[str, Path], tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")  # the children start with gridtool already imported
    started = time.monotonic()
    for trial in range(20):
        log = tmp_path / f"log{trial}.xlsx"
        start = time.time() + 0.2
        children = [context.Process(target=_collect_in_child, args=(str(book), str(log), start))
                    for book in returned.values()]
        for child in children:
            child.start()
        for child in children:
            child.join(60)
        assert [child.exitcode for child in children] == [0, 0]
        rows = list(openpyxl.load_workbook(log)["跟进记录"].iter_rows(min_row=2, values_only=True))
        assert sorted(r[3] for r in rows) == ["李强"] * 4 + ["王芳"] * 4, trial
        assert sum(r[12] == "是" for r in rows) == 2
        assert not log_lock.lock_path(log).exists()
    assert time.monotonic() - started < 60


def test_a_held_lock_is_a_clear_message_and_exit_2(returned: dict[str, Path], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "跟进记录.xlsx"
    log_lock.lock_path(log).write_text(f"{os.getpid()}\n{socket.gethostname()}\n{time.time():.0f}\n")
    monkeypatch.setattr(log_lock, "WAIT_SECONDS", 0.3)
    result = CliRunner().invoke(app, ["collect", str(returned["王芳"]), "--log", str(log)])
    assert result.exit_code == 2
    assert f"跟进记录 跟进记录.xlsx 正被另一个 gridtool 使用（进程 {os.getpid()}）" in result.stderr
    assert "跟进记录.xlsx.lock" in result.stderr
    assert not log.exists() and log_lock.lock_path(log).exists()


def test_a_lock_left_by_a_dead_process_is_taken_over(returned: dict[str, Path], tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    log = tmp_path / "跟进记录.xlsx"
    log_lock.lock_path(log).write_text(f"{dead.stdout.strip()}\n{socket.gethostname()}\n{time.time():.0f}\n")
    result = CliRunner().invoke(app, ["collect", str(returned["王芳"]), "--log", str(log), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == 4
    assert not log_lock.lock_path(log).exists()
