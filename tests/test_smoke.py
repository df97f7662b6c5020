from __future__ import annotations

import json
from pathlib import Path

from gridtool.cli import app


def test_followups_on_bundled_example_writes_one_book_per_worker(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--roster",
                                 str(example_dir / "居民名册.xlsx"), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["date"] == "2026-11-21"
    assert sorted(Path(f).name for f in record["files"]) == [
        "待跟进_李强_2026-11-21.xlsx", "待跟进_王芳_2026-11-21.xlsx", "汇总_2026-11-21.xlsx"]
