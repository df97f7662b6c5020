"""The second process: a task run beside this one, jobs shared out between the two, a standby that waits."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from gridtool.output import second_process
from gridtool.output.second_process import Share, standby_for, standby_process


def take_slowly(jobs: list[int], share: Share) -> list[tuple[int, int]]:
    """The jobs this process takes, each with the process that took it (module level: the child imports it)."""
    taken = []
    for job in share.taken(jobs):
        taken.append((job, os.getpid()))
        time.sleep(0.02)
    return taken


def test_jobs_shared_out_are_each_taken_once_by_one_of_the_two() -> None:
    jobs = list(range(40))
    with standby_process(("gridtool.output.second_process",)) as standby:
        other = standby.run(take_slowly, jobs, standby.share)
        deadline = time.monotonic() + 60
        while standby.share.counter.value == 0 and time.monotonic() < deadline:  # the child has started taking
            time.sleep(0.005)
        mine = take_slowly(jobs, standby.share)
        theirs = other.result()
    assert sorted(job for job, _ in mine + theirs) == jobs
    assert {pid for _, pid in mine} == {os.getpid()}
    assert theirs and {pid for _, pid in theirs} != {os.getpid()}


def test_a_standby_never_given_a_task_ends_with_the_block() -> None:
    with standby_process() as standby:
        process = standby.process
        assert process.is_alive()
    assert not process.is_alive()


WARMED: list[int] = []  # in the child: the process that called `warm` while it waited


def warm() -> None:
    WARMED.append(os.getpid())


def warmed() -> list[int]:
    return WARMED


def test_a_standby_calls_what_it_is_told_to_while_it_waits() -> None:
    with standby_process((f"{__name__}:warm", "json")) as standby:
        assert standby.run(warmed).result() == [standby.process.pid]
    assert WARMED == []  # not here


def failing(message: str) -> None:
    raise ValueError(message)


def test_the_childs_failure_is_raised_here() -> None:
    with standby_process() as standby, pytest.raises(ValueError, match="坏了"):
        standby.run(failing, "坏了").result()


def test_a_standby_only_for_inputs_big_enough(tmp_path: Path, monkeypatch) -> None:
    small = tmp_path / "打卡.xlsx"
    small.write_bytes(b"x" * 1000)
    folder = tmp_path / "每日"
    folder.mkdir()
    for day in range(3):
        (folder / f"{day}.xlsx").write_bytes(b"x" * 400)
    monkeypatch.setattr(second_process, "STANDBY_BYTES", 2000)
    with standby_for([small], ()) as standby:
        assert standby is None
    with standby_for([small, folder], ()) as standby:  # 1000 + 3 x 400 bytes
        assert standby is not None and standby.process.is_alive()
    with standby_for([tmp_path / "不存在.xlsx"], ()) as standby:
        assert standby is None


def test_bad_input_read_beside_a_standby_is_refused_and_the_standby_ends(tmp_path: Path, monkeypatch) -> None:
    import multiprocessing

    from typer.testing import CliRunner

    from gridtool.cli import app

    broken = tmp_path / "打卡记录.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook" * 100)
    monkeypatch.setattr(second_process, "STANDBY_BYTES", 0)  # a standby for any input
    result = CliRunner().invoke(app, ["followups", str(broken), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "打卡记录.xlsx" in result.output and "Traceback" not in result.output
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.xlsx"))
