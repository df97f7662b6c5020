"""A run's files move into the output folder together, or not at all."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
from pathlib import Path

import pytest

from gridtool.errors import GridtoolError
from gridtool.output.files import TEMP_PREFIX, write_text
from gridtool.output.staging import BACKUP, JOURNAL, STAGING_PREFIX, interrupts_held, output_run, prepare_folder

DEAD_PID = 2**22 + 12345  # above Linux's largest process id


def _previous_set(folder: Path) -> dict[str, str]:
    folder.mkdir(exist_ok=True)
    for name in ("待跟进_王芳_d.txt", "汇总_d.txt"):
        write_text(folder / name, f"旧 {name}")
    return _contents(folder)


def _contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8-sig") for p in sorted(folder.iterdir()) if p.is_file()}


def test_files_appear_only_when_the_run_ends(tmp_path: Path) -> None:
    previous = _previous_set(tmp_path)
    with output_run(tmp_path) as run:
        for kind in ("待跟进", "汇总"):
            write_text(run.path(kind, *(["王芳"] if kind == "待跟进" else []), "d", suffix=".txt"), f"新 {kind}")
            assert _contents(tmp_path) == previous
    assert run.files == [tmp_path / "待跟进_王芳_d.txt", tmp_path / "汇总_d.txt"]
    assert _contents(tmp_path) == {"待跟进_王芳_d.txt": "新 待跟进", "汇总_d.txt": "新 汇总"}


def test_a_failing_run_leaves_the_previous_set_and_says_what_to_do(tmp_path: Path) -> None:
    previous = _previous_set(tmp_path)
    with pytest.raises(GridtoolError) as caught, output_run(tmp_path) as run:
        write_text(run.path("待跟进", "王芳", "d", suffix=".txt"), "新")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert caught.value.message == f"输出文件夹 {tmp_path} 所在的磁盘已满（或超出空间配额），文件没有写完。"
    assert caught.value.hint == "请清理磁盘空间，或用 --out 指定其他磁盘上的文件夹。输出文件夹里原有的文件没有改动。"
    assert _contents(tmp_path) == previous


def test_a_move_that_fails_halfway_puts_the_previous_set_back(tmp_path: Path) -> None:
    previous = _previous_set(tmp_path)
    with pytest.raises(GridtoolError) as caught, output_run(tmp_path) as run:
        write_text(run.path("待跟进", "王芳", "d", suffix=".txt"), "新")
        write_text(run.path("群消息", "王芳", "d", suffix=".txt"), "新")
        (tmp_path / "群消息_王芳_d.txt").mkdir()  # appears after the name was chosen: the second move fails
    assert caught.value.message == f"输出文件 {tmp_path / '群消息_王芳_d.txt'} 的位置上已有一个同名的文件夹。"
    (tmp_path / "群消息_王芳_d.txt").rmdir()
    assert _contents(tmp_path) == previous


def test_a_run_killed_while_moving_is_finished_by_the_next_one(tmp_path: Path) -> None:
    _previous_set(tmp_path)
    staging = tmp_path / f"{STAGING_PREFIX}{DEAD_PID}-abc"
    (staging / BACKUP).mkdir(parents=True)
    write_text(staging / "汇总_d.txt", "新 汇总")  # 待跟进 was already moved in when the run was killed
    os.replace(tmp_path / "待跟进_王芳_d.txt", staging / BACKUP / "待跟进_王芳_d.txt")
    write_text(tmp_path / "待跟进_王芳_d.txt", "新 待跟进")
    (staging / JOURNAL).write_text(json.dumps({"files": ["待跟进_王芳_d.txt", "汇总_d.txt"]}), encoding="utf-8")
    prepare_folder(tmp_path)
    assert _contents(tmp_path) == {"待跟进_王芳_d.txt": "新 待跟进", "汇总_d.txt": "新 汇总"}


def test_a_run_killed_before_moving_is_removed_by_the_next_one(tmp_path: Path) -> None:
    previous = _previous_set(tmp_path)
    staging = tmp_path / f"{STAGING_PREFIX}{DEAD_PID}-abc"
    staging.mkdir()
    write_text(staging / "汇总_d.txt", "写了一半")
    (tmp_path / f"{TEMP_PREFIX}{DEAD_PID}-x.xlsx").write_bytes(b"")
    alive = tmp_path / f"{STAGING_PREFIX}{os.getppid()}-abc"  # another run, still going
    alive.mkdir()
    prepare_folder(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*previous, alive.name])


def test_ctrl_c_while_moving_waits_until_the_last_file_is_in(tmp_path: Path) -> None:
    moved = []
    with pytest.raises(KeyboardInterrupt), interrupts_held():
        os.kill(os.getpid(), signal.SIGINT)
        moved.append("after the signal")
    assert moved == ["after the signal"]


@pytest.mark.parametrize("private, umask, mode", [(False, 0o022, 0o644), (False, 0o002, 0o664),
                                                  (False, 0o077, 0o600), (True, 0o002, 0o600)])
def test_files_follow_the_umask_unless_private(tmp_path: Path, private: bool, umask: int, mode: int) -> None:
    from gridtool.output.files import shared_mode

    shared_mode.cache_clear()
    previous = os.umask(umask)
    try:
        with output_run(tmp_path, private=private) as run:
            write_text(run.path("汇总", "d", suffix=".txt"), "x")
    finally:
        os.umask(previous)
        shared_mode.cache_clear()
    assert stat.S_IMODE((tmp_path / "汇总_d.txt").stat().st_mode) == mode


def test_a_rerun_moves_aside_the_lists_of_that_day_it_did_not_write_again(tmp_path: Path) -> None:
    """Yesterday's rerun left 王五's list for 11-21 although 王五 has nothing now: it goes into 已作废/;
    other days, other kinds, notices (not a per-owner list), inputs and files gridtool did not name stay."""
    out = tmp_path / "out"
    out.mkdir()
    keep = ["待跟进_王五_2026-11-20.xlsx", "汇总_2026-11-21.xlsx", "楼栋任务_3栋_2026-11-21.xlsx", "待跟进说明.xlsx",
            "待跟进_王五_2026-11-21_备注.xlsx", "通知_全楼_2026-11-21.pdf"]
    for name in [*keep, "待跟进_王五_2026-11-21.xlsx", "待跟进_赵六~a1b2c3_2026-11-21_2.xlsx", "待跟进_王芳_2026-11-21.xlsx",
                 "待跟进_李四_2026-11-21.xlsx"]:
        write_text(out / name, f"旧 {name}")
    (out / "已作废").mkdir()
    write_text(out / "已作废" / "待跟进_王五_2026-11-21.xlsx", "前天作废的")
    with output_run(out, [out / "待跟进_李四_2026-11-21.xlsx"]) as run:
        write_text(run.list_path("待跟进", "王芳", "2026-11-21"), "新 王芳")
        write_text(run.path("汇总", "2026-11-21"), "新 汇总")
        write_text(run.path("通知", "居家老人", "2026-11-21", suffix=".pdf"), "新 通知")
    assert [p.relative_to(out).as_posix() for p in run.retired] == [
        "已作废/待跟进_王五_2026-11-21(2).xlsx", "已作废/待跟进_赵六~a1b2c3_2026-11-21_2.xlsx"]
    assert _contents(out) == {**{name: f"旧 {name}" for name in keep}, "待跟进_王芳_2026-11-21.xlsx": "新 王芳",
                              "汇总_2026-11-21.xlsx": "新 汇总",
                              "通知_居家老人_2026-11-21.pdf": "新 通知", "待跟进_李四_2026-11-21.xlsx": "旧 待跟进_李四_2026-11-21.xlsx"}
    assert _contents(out / "已作废") == {"待跟进_王五_2026-11-21.xlsx": "前天作废的",
                                        "待跟进_王五_2026-11-21(2).xlsx": "旧 待跟进_王五_2026-11-21.xlsx",
                                        "待跟进_赵六~a1b2c3_2026-11-21_2.xlsx": "旧 待跟进_赵六~a1b2c3_2026-11-21_2.xlsx"}
    assert run.stale == []


def test_a_list_that_cannot_be_moved_aside_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_text(out / "待跟进_王五_2026-11-21.xlsx", "旧")
    real_replace = os.replace

    def locked(source: object, target: object) -> None:  # Excel holds the file open on Windows
        if "王五" in str(source):
            raise PermissionError(errno.EACCES, "in use", str(source))
        real_replace(source, target)  # type: ignore[arg-type]

    with output_run(out) as run:
        write_text(run.list_path("待跟进", "王芳", "2026-11-21"), "新")
        monkeypatch.setattr(os, "replace", locked)
    assert run.retired == [] and run.stale == [out / "待跟进_王五_2026-11-21.xlsx"]
    assert _contents(out) == {"待跟进_王五_2026-11-21.xlsx": "旧", "待跟进_王芳_2026-11-21.xlsx": "新"}
