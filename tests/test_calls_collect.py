"""The call-script workbook is collectable like the to-do sheets: its answers reach the follow-up log."""

from __future__ import annotations

import json
from pathlib import Path

from gridtool.cli import app


def test_call_sheets_come_back_through_collect(example_dir: Path, tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    made = runner.invoke(app, ["calls", str(example_dir / "打卡记录.xlsx"), "--out", str(out), "--json"])
    assert made.exit_code == 0, made.output
    books = [Path(f) for f in json.loads(made.stdout)["files"] if f.endswith(".xlsx")]
    result = runner.invoke(app, ["collect", *map(str, books), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["problems"] == [] and record["rows"] == json.loads(made.stdout)["calls"] > 0
