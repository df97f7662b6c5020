"""Layer rules are kept by lint, not memory: ruff's banned-api keeps typer and rich in cli/, mypy is strict
over the whole package and allows no explicit `Any` where output/ and cli/ take domain results."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
                    reason="ruff not installed")
def test_ruff_clean() -> None:
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "examples", "benchmarks"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_clean() -> None:
    pytest.importorskip("mypy")
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_covers_the_package_and_the_boundary_takes_no_any() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["files"] == ["src/gridtool"] and config["strict"] is True
    no_any = {m for o in config["overrides"] if o["disallow_any_explicit"] for m in o["module"]}
    assert {"gridtool.output.records", "gridtool.cli.*", "gridtool.output.stock_book", "gridtool.output.log_book",
            "gridtool.output.task_books", "gridtool.output.notice_files", "gridtool.output.followup_books",
            "gridtool.output.volunteer_book", "gridtool.output.certificates"} <= no_any


def test_only_cli_imports_the_terminal_libraries() -> None:
    for path in (ROOT / "src" / "gridtool").rglob("*.py"):
        if "cli" in path.relative_to(ROOT / "src" / "gridtool").parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "import typer" not in text and "import rich" not in text and "from rich" not in text, path
