"""Every kind of workbook gridtool writes opens in a real spreadsheet program (LibreOffice headless)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest

from gridtool.cli import app
from libreoffice import needs_libreoffice, soffice


def _run(runner, *args: str) -> list[str]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    return [f for f in record.get("files", []) if f.endswith(".xlsx")] + ([record["log"]] if "log" in record else [])


@pytest.mark.libreoffice
@needs_libreoffice
def test_every_workbook_kind_opens_in_libreoffice(runner, example_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    checkins, roster = str(example_dir / "打卡记录.xlsx"), str(example_dir / "居民名册.xlsx")
    books = _run(runner, "followups", checkins, "--roster", roster, "--out", str(out))
    books += _run(runner, "tasks", checkins, "--roster", roster, "--requests", str(example_dir / "居民诉求.xlsx"),
                  "--out", str(out))
    books += _run(runner, "stock", str(example_dir / "物资库存.xlsx"), str(example_dir / "出入库记录.xlsx"),
                  "--out", str(out))
    books += _run(runner, "notices", "calls", "--checkins", checkins, "--roster", roster, "--out", str(out))
    books += _run(runner, "collect", str(out), "--log", str(tmp_path / "跟进记录.xlsx"))
    kinds = {Path(b).name.split("_")[0] for b in books}
    assert kinds >= {"待跟进", "汇总", "楼栋任务", "库存预警.xlsx", "电话提纲", "跟进记录.xlsx"}
    converted = tmp_path / "csv"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                        "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(converted), *books],
                       check=True, capture_output=True, timeout=300)
    for book in books:
        text = (converted / (Path(book).stem + ".csv")).read_bytes()
        first_sheet = openpyxl.load_workbook(book).worksheets[0]
        first_value = next(str(c.value) for row in first_sheet.iter_rows() for c in row if c.value is not None)
        assert first_value[:4] in text.decode("utf-8"), book
