"""The hostile-input harness itself: it sees exit codes, messages and memory of a real child process."""

from __future__ import annotations

from pathlib import Path

from hostile.conftest import assert_handled, run_gridtool


def test_a_missing_file_is_a_chinese_input_error(tmp_path: Path) -> None:
    run = run_gridtool("check", tmp_path / "没有这个文件.xlsx")
    assert_handled(run, codes=(2,), mentions="没有这个文件.xlsx")
    assert 10 < run.peak_mb < 2048


def test_version_exits_zero() -> None:
    run = run_gridtool("--version")
    assert_handled(run, codes=(0,))
    assert run.stdout.startswith("gridtool ")
