"""The README's quick start is runnable documentation: its commands run and print what it shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import make_examples
import pandas as pd

from gridtool.table.read import read_sheets

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks_after(heading: str) -> list[str]:
    section = README.split(heading, 1)[1]
    return re.findall(r"```\n(.*?)```", section, flags=re.S)


def test_quick_start_is_exactly_two_commands() -> None:
    commands = [line for line in _blocks_after("## 快速开始")[0].splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].endswith("gridtool followups examples/打卡记录.xlsx --roster examples/居民名册.xlsx")
    assert commands[1].endswith("python3 -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python -m pip install -q -e ".[test]" && python -m pytest' in ci


def test_quick_start_prints_what_the_readme_shows(tmp_path: Path) -> None:
    command = _blocks_after("## 快速开始")[0].splitlines()[0].split("&& ", 1)[1].split()
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    run = subprocess.run([sys.executable, "-m", "gridtool", *command[1:]], cwd=tmp_path, env=env,
                         capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert run.returncode == 0, run.stderr
    shown = _blocks_after("## 快速开始")[1]
    assert [line.rstrip() for line in run.stdout.splitlines()] == [line.rstrip() for line in shown.splitlines()]
    assert sorted(p.name for p in (tmp_path / "gridtool-out").iterdir()) == [
        "待跟进_李强_2026-11-21.xlsx", "待跟进_王芳_2026-11-21.xlsx", "汇总_2026-11-21.xlsx"]


def test_bundled_examples_are_what_the_script_makes(tmp_path: Path) -> None:
    make_examples.main(tmp_path)
    for name in ("打卡记录.xlsx", "居民名册.xlsx", "打卡提交记录.csv"):
        ours = read_sheets(ROOT / "examples" / name)
        fresh = read_sheets(tmp_path / name)
        assert [s.name for s in ours] == [s.name for s in fresh]
        for a, b in zip(ours, fresh, strict=True):
            pd.testing.assert_frame_equal(a.cells, b.cells)


def test_readme_shows_a_rendered_notice_page() -> None:
    assert "![打卡提醒通知样张](docs/notice-example.png)" in README
    image = (ROOT / "docs" / "notice-example.png").read_bytes()
    assert image.startswith(b"\x89PNG") and len(image) > 10_000
