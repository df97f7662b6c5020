"""Interrupted runs: Ctrl-C and kill -9 at several points of a run that takes seconds. Afterwards the output
folder holds the previous complete set or the new complete set, never a mix, and no process is left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from gridtool.output.staging import JOURNAL, STAGING_PREFIX, prepare_folder

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find processes")

ROWS = 5200  # above followup_books.PARALLEL_ROWS, so the worker books are written by a second process
WORKERS = 10


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A check-in sheet where all but one are missing, and the complete set an earlier run left in the folder."""
    folder = tmp_path_factory.mktemp("interrupted")
    checkins = folder / "11月21日.xlsx"
    book = xlsxwriter.Workbook(str(checkins), {"constant_memory": True})
    sheet = book.add_worksheet("打卡")
    sheet.write_row(0, 0, ["序号", "姓名", "房号", "体温", "是否有症状", "打卡时间", "网格员"])
    for i in range(1, ROWS + 1):
        sheet.write_row(i, 0, [i, f"居民{i:05d}", f"{i % 40 + 1}-{i % 6 + 1}0{i % 2 + 1}", "", "", "未打卡",
                               f"网格员{i % WORKERS:02d}"])
    sheet.write_row(ROWS + 1, 0, [ROWS + 1, "王五", "1-101", 36.5, "否", "08:00", "网格员00"])  # a day needs a check-in
    book.close()
    previous = folder / "previous"
    finished = _start(checkins, previous, "旧社区", uuid.uuid4().hex)
    assert finished.wait(timeout=300) == 0, finished.stderr.read() if finished.stderr else ""
    return {"checkins": checkins, "previous": previous}


def _start(checkins: Path, out: Path, community: str, mark: str) -> subprocess.Popen[str]:
    env = {**os.environ, "GRIDTOOL_COMMUNITY": community, "GRIDTOOL_TEST_MARK": mark}
    return subprocess.Popen([sys.executable, "-m", "gridtool", "followups", str(checkins), "--out", str(out)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group, as a terminal's Ctrl-C reaches


def _marked_processes(mark: str) -> list[int]:
    """Every process still running with this run's mark in its environment (children inherit it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"GRIDTOOL_TEST_MARK={mark}".encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _sets(folder: Path) -> dict[str, str]:
    """Each output file's name and which run wrote it, from the community name in its title."""
    made = {}
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path, read_only=True)
        title = str(next(book.worksheets[0].iter_rows(max_row=1, values_only=True))[0])
        made[path.name] = "old" if title.startswith("旧社区") else "new" if title.startswith("新社区") else title
        book.close()
    return made


def _wait_for(condition, process: subprocess.Popen[str], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)


def _staging(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]


POINTS = {
    "reading": lambda out: False,  # killed after a fixed 1 s (Python has started), before anything is written
    "staging": lambda out: bool(_staging(out)),
    "books": lambda out: any(len(list(s.glob("*.xlsx"))) >= 3 for s in _staging(out)),
}
# Killed while moving in (a few milliseconds): tests/output/test_staging.py builds that state directly.


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
@pytest.mark.parametrize("point", list(POINTS))
def test_an_interrupted_run_leaves_the_old_set_or_the_new_one(big, tmp_path: Path, point: str,
                                                              signal_number: int) -> None:
    out = tmp_path / "out"
    shutil.copytree(big["previous"], out)
    names = sorted(p.name for p in out.iterdir())
    mark = uuid.uuid4().hex
    process = _start(big["checkins"], out, "新社区", mark)
    if point == "reading":
        time.sleep(1.0)
    else:
        _wait_for(lambda: POINTS[point](out), process)
    os.killpg(process.pid, signal_number)
    code = process.wait(timeout=60)
    stderr = process.stderr.read() if process.stderr else ""
    time.sleep(0.5)  # a child of a killed parent gets SIGKILL from the kernel at once; allow it to be reaped
    assert _marked_processes(mark) == []

    if code == 0:  # the run had finished before the signal arrived
        assert set(_sets(out).values()) == {"new"}
    elif signal_number == signal.SIGINT:
        # Python itself ends by SIGINT when an interrupt once went through one of its C calls: the shell
        # shows 130 either way
        assert code in (130, -signal.SIGINT), stderr
        assert stderr.strip() == "已中断：没有写完的文件都已清除，输出文件夹里留下的都是完整的文件。"
        assert _staging(out) == []
    else:
        assert code == -signal.SIGKILL
    found = _sets(out)
    if len(set(found.values())) > 1:  # killed while moving in: the journal lets the next run finish it
        assert any((s / JOURNAL).exists() for s in _staging(out)), found
    prepare_folder(out)  # what the next run in this folder does first
    found = _sets(out)
    assert sorted(found) == names
    assert set(found.values()) in ({"old"}, {"new"}), found
    assert sorted(p.name for p in out.iterdir()) == names  # no staging folder, no temporary file
