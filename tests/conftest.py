"""Shared fixtures: realistic exports made by examples/make_examples.py, and a CLI runner."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))

import make_examples  # noqa: E402


@pytest.fixture(scope="session")
def example_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("examples")
    make_examples.main(folder)
    return folder


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
