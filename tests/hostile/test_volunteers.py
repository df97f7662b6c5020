"""Hostile volunteer sheets: impossible cells, formula-like names, a long log, a file that is not a sheet."""

from __future__ import annotations

import json
import random
from pathlib import Path

from exports import write_csv, write_xlsx
from hostile.conftest import assert_handled, run_gridtool

HEADER = ["日期", "志愿者", "服务类型", "开始时间", "结束时间", "时长(小时)"]


def test_impossible_cells_are_problems_not_crashes(tmp_path: Path) -> None:
    rows = [HEADER, ["0000-00-00", "张伟", "跑腿", "", "", "2"], ["2026-11-18", "张伟", "跑腿", "25:99", "26:00", ""],
            ["2026-11-18", "张伟", "跑腿", "", "", "1e308"], ["2026-11-18", "=cmd|' /C calc'!A0", "跑腿", "", "", "1"],
            ["2026-11-18", "名" * 300, "[宣传]", "", "", "1"], ["2026-11-18", "李娜", "", "", "", "NaN"]]
    path = write_xlsx(tmp_path / "log.xlsx", {"服务": rows})
    run = run_gridtool("volunteers", path, "--out", tmp_path / "out", "--json")
    assert_handled(run, codes=(0,))
    record = run.json()
    assert isinstance(record, dict)
    assert [(p["row"], p["type"]) for p in record["problems"]] == [
        (2, "volunteer_bad_date"), (3, "volunteer_no_duration"), (4, "volunteer_bad_duration"), (7, "volunteer_bad_duration")]
    assert {v["name"] for v in record["volunteers"]} == {"=cmd|' /C calc'!A0", "名" * 300}


def test_a_long_log_of_many_volunteers(tmp_path: Path) -> None:
    rng = random.Random(5)
    names = [f"志愿者{i:03d}" for i in range(300)]
    rows = [HEADER] + [[f"2026-11-{rng.randint(1, 30):02d}", rng.choice(names), "跑腿", f"{h:02d}:00", f"{h + 1:02d}:00",
                        ""] for h in (rng.randint(6, 20) for _ in range(5000))]
    path = write_csv(tmp_path / "log.csv", rows)
    run = run_gridtool("volunteers", path, "--out", tmp_path / "out", "--json")
    assert_handled(run, codes=(0,))
    record = json.loads(run.stdout)
    assert len(record["volunteers"]) == 300
    assert run.seconds < 60


def test_a_file_that_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "志愿服务记录.xlsx"
    path.write_bytes(b"not a workbook at all")
    assert_handled(run_gridtool("volunteers", path, "--out", tmp_path / "out"), codes=(2,), mentions="志愿服务记录.xlsx")
