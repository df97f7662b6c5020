"""Every command's files go through the one allocator that knows its inputs (issue #14, item 1): an input
saved in the output folder under the name an output would take is never touched, whatever the command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gridtool.cli import app

# command, the example input saved under the output's name, the output's name, the other arguments
CASES = {
    "stock": ("物资库存.xlsx", "库存预警.xlsx", ["出入库记录.xlsx", "--roster", "居民名册.xlsx"]),
    "volunteers": ("志愿服务记录.xlsx", "志愿服务积分.xlsx", ["志愿者名册.xlsx", "积分兑换记录.xlsx"]),
}


@pytest.mark.parametrize("command", list(CASES))
def test_an_input_under_an_outputs_name_is_never_overwritten(example_dir: Path, tmp_path: Path, runner,
                                                              command: str) -> None:
    source, output, others = CASES[command]
    out = tmp_path / "out"
    out.mkdir()
    kept = shutil.copy(example_dir / source, out / output)
    before = Path(kept).read_bytes()
    args = [str(example_dir / a) if a.endswith(".xlsx") else a for a in others]
    result = runner.invoke(app, [command, str(kept), *args, "--out", str(out), "--json"])
    assert result.exit_code in (0, 3), result.output
    assert Path(kept).read_bytes() == before
    written = [Path(f).name for f in json.loads(result.stdout)["files"]]
    assert output.replace(".xlsx", "_2.xlsx") in written and output not in written
