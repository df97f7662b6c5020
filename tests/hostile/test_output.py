"""The output folder at its worst: full, read-only, a dangling link, under a file, names too long for the
file system, a folder under an output's name, an input under an output's name, names that spoof."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from exports import HEADER, write_csv, write_xlsx
from hostile.conftest import assert_handled, run_gridtool

DAY = "2026-11-21"


def _checkins(folder: Path, workers: list[str], name: str = "11月21日.xlsx") -> Path:
    rows = [HEADER] + [[i, f"居民{i}", f"1-10{i}", None, None, "未打卡", w] for i, w in enumerate(workers, 1)]
    rows.append([99, "王五", "2-101", 36.5, "否", "08:00", workers[0]])  # a day needs one check-in to be judged
    return write_xlsx(folder / name, {"打卡": rows})


@contextmanager
def _tmpfs(folder: Path, options: str) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_is_exit_2_and_leaves_the_previous_file_alone(example_dir: Path, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "full", "size=16k") as out:
        (out / f"汇总_{DAY}.xlsx").write_bytes(b"previous set")
        run = run_gridtool("followups", example_dir / "打卡记录.xlsx", "--roster", example_dir / "居民名册.xlsx",
                           "--out", out)
        assert_handled(run, codes=(2,))
        assert run.stderr.splitlines() == [
            f"错误：输出文件夹 {out} 所在的磁盘已满（或超出空间配额），文件没有写完。",
            "提示：请清理磁盘空间，或用 --out 指定其他磁盘上的文件夹。输出文件夹里原有的文件没有改动。"]
        assert "Exception ignored" not in run.output
        assert sorted(p.name for p in out.iterdir()) == [f"汇总_{DAY}.xlsx"]
        assert (out / f"汇总_{DAY}.xlsx").read_bytes() == b"previous set"


def test_a_read_only_disk_is_exit_2(example_dir: Path, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "ro", "ro,size=16k") as out:
        run = run_gridtool("followups", example_dir / "打卡记录.xlsx", "--out", out)
        assert_handled(run, codes=(2,))
        assert run.stderr.splitlines() == [f"错误：输出文件夹 {out} 在只读的磁盘上（如写保护的U盘、光盘），无法写入。",
                                           "提示：请用 --out 指定其他文件夹。输出文件夹里原有的文件没有改动。"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_a_folder_without_write_permission_is_exit_2(example_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "locked"
    out.mkdir(mode=0o555)
    run = run_gridtool("followups", example_dir / "打卡记录.xlsx", "--out", out)
    assert_handled(run, codes=(2,), mentions=f"错误：输出文件夹 {out} 没有写入权限。")
    assert "请用 --out 指定其他文件夹" in run.stderr


@pytest.mark.parametrize("setup, message", [
    ("dangling", "错误：输出文件夹 {out} 是一个快捷方式（符号链接），但它指向的位置不存在。"),
    ("under_file", "错误：输出文件夹 {out} 的路径中有一部分是文件，不是文件夹。"),
])
def test_an_unusable_output_path_is_exit_2(example_dir: Path, tmp_path: Path, setup: str, message: str) -> None:
    if setup == "dangling":
        out = tmp_path / "链接"
        out.symlink_to(tmp_path / "不存在" / "文件夹")
    else:
        (tmp_path / "一个文件").write_text("x", encoding="utf-8")
        out = tmp_path / "一个文件" / "输出"
    run = run_gridtool("followups", example_dir / "打卡记录.xlsx", "--out", out)
    assert_handled(run, codes=(2,))
    assert run.stderr.splitlines()[0] == message.format(out=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["链接" if setup == "dangling" else "一个文件"])


def test_names_too_long_for_the_file_system_are_shortened_and_stay_apart(tmp_path: Path) -> None:
    workers = ["张" * 199 + "甲", "张" * 199 + "乙", "w" * 300]
    out = tmp_path / "out"
    run = run_gridtool("followups", _checkins(tmp_path, workers), "--out", out, "--json")
    assert_handled(run, codes=(0,))
    files = sorted(Path(f).name for f in run.json()["files"])
    assert files == sorted(["待跟进_" + "张" * 40 + "~01213f_2026-11-21.xlsx",
                            "待跟进_" + "张" * 40 + "~28338a_2026-11-21.xlsx",
                            "待跟进_" + "w" * 40 + "~4ac99e_2026-11-21.xlsx", f"汇总_{DAY}.xlsx"])
    assert sorted(p.name for p in out.iterdir()) == files


def test_a_long_template_name_is_shortened(tmp_path: Path) -> None:
    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": [["姓名", "楼栋", "单元", "房号"], ["张三", "1", "1", "101"]]})
    template = tmp_path / ("停水" * 40 + ".j2")  # 240 bytes: the file system takes it, 通知_…_日期.pdf would not fit
    template.write_text("{% block title %}停水通知{% endblock %}{% block body %}明天停水。{% endblock %}", encoding="utf-8")
    run = run_gridtool("notices", "--template", template, "--roster", roster, "--per", "building", "--date", DAY,
                       "--out", tmp_path / "out", "--json")
    assert_handled(run, codes=(0,))
    stem = "通知_" + "停水" * 20 + f"~{_digest('停水' * 40)}_{DAY}"
    assert [Path(f).name for f in run.json()["files"]] == [f"{stem}.pdf", f"{stem}.html"]


def _digest(text: str) -> str:
    from gridtool.output.names import digest

    return digest(text)


def test_a_folder_under_an_outputs_name_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / f"汇总_{DAY}.xlsx").mkdir(parents=True)
    (out / f"汇总_{DAY}.xlsx" / "别人的文件.txt").write_text("留着", encoding="utf-8")
    run = run_gridtool("followups", _checkins(tmp_path, ["王芳"]), "--out", out, "--json")
    assert_handled(run, codes=(0,))
    assert [Path(f).name for f in run.json()["files"]] == [f"待跟进_王芳_{DAY}.xlsx", f"汇总_{DAY}_2.xlsx"]
    assert (out / f"汇总_{DAY}.xlsx" / "别人的文件.txt").read_text(encoding="utf-8") == "留着"


@pytest.mark.parametrize("command, owner", [("followups", "1栋"), ("tasks", "1栋")])
def test_an_input_under_a_messages_name_is_never_overwritten(tmp_path: Path, command: str, owner: str) -> None:
    """A check-in export saved as .txt in the output folder, under the name --wechat would give its message."""
    out = tmp_path / "out"
    out.mkdir()
    rows = [["姓名", "楼栋", "房号", "打卡时间", "网格员"], ["张三", "1", "101", "", "王芳"], ["王五", "1", "102", "08:00", "王芳"]]
    checkins = write_csv(out / f"群消息_{owner}_{DAY}.txt", rows)
    before = checkins.read_bytes()
    run = run_gridtool(command, checkins, "--date", DAY, "--wechat", "--out", out, "--json")
    assert_handled(run, codes=(0,))
    assert checkins.read_bytes() == before
    assert f"群消息_{owner}_{DAY}_2.txt" in [Path(f).name for f in run.json()["files"]]


def test_spoofing_names_get_plain_unambiguous_file_names(tmp_path: Path) -> None:
    workers = ["王芳", "王\u202e芳", "王\u200b芳", "a_b", "a b"]
    out = tmp_path / "out"
    run = run_gridtool("followups", _checkins(tmp_path, workers), "--out", out, "--json")
    assert_handled(run, codes=(0,))
    assert sorted(Path(f).name for f in run.json()["files"]) == sorted([
        f"待跟进_王芳_{DAY}.xlsx", f"待跟进_王芳~c9f124_{DAY}.xlsx", f"待跟进_王芳~d8d780_{DAY}.xlsx",
        f"待跟进_a-b~eb2980_{DAY}.xlsx", f"待跟进_a-b~7dbde9_{DAY}.xlsx", f"汇总_{DAY}.xlsx"])


@pytest.mark.parametrize("private, mode", [(None, 0o664), (True, 0o600)])
def test_output_files_follow_the_umask_unless_private(tmp_path: Path, private: bool | None, mode: int) -> None:
    config = tmp_path / "gridtool.toml"
    config.write_text("" if private is None else "private_files = true\n", encoding="utf-8")
    previous = os.umask(0o002)  # an office whose shared folder gives the group read and write
    try:
        run = run_gridtool("followups", _checkins(tmp_path, ["王芳"]), "--out", tmp_path / "out", "--config", config,
                           "--json")
    finally:
        os.umask(previous)
    assert_handled(run, codes=(0,))
    assert [stat.S_IMODE(Path(f).stat().st_mode) for f in run.json()["files"]] == [mode, mode]
