"""What a user gets from `pip install .` (not the editable install the tests run on): every template."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_carries_every_template(tmp_path: Path) -> None:
    # a clean copy: an egg-info left by the editable install would smuggle in files the config forgets
    source = tmp_path / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("gridtool-*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    templates = ROOT / "src" / "gridtool" / "templates"
    expected = {"gridtool/" + p.relative_to(ROOT / "src" / "gridtool").as_posix()
                for p in templates.rglob("*") if p.is_file()}
    assert expected and expected <= packaged, sorted(expected - packaged)
