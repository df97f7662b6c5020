"""Exports as the platforms write them (tests/fixtures/real): the exact lists a worker expects, and
`check` naming every column."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest

from gridtool.cli import app
from gridtool.config import Settings
from gridtool.domain.checkins.followups import followups
from gridtool.domain.inspect import inspect_files

_SPEC = importlib.util.spec_from_file_location("make_real", Path(__file__).parents[1] / "fixtures/real/make_real.py")
assert _SPEC and _SPEC.loader
real = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(real)
DAY = dt.date(2022, 11, 21)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return real.write_all(tmp_path_factory.mktemp("real"))


def _names(people, flag: str) -> list[str]:
    return sorted(people.loc[people[flag], "name"])


@pytest.mark.parametrize("name", list(real.REAL))
def test_each_export_gives_the_lists_a_worker_expects(files: dict[str, Path], name: str) -> None:
    expected = real.REAL[name]
    roster = files["居民名册.xlsx"] if expected.get("roster", True) else None
    result = followups([files[name]], Settings(), date=DAY, roster=roster, today=DAY)
    people = result.people
    got = {"missing": _names(people, "missing"), "fever": _names(people, "fever"),
           "urgent": _names(people, "urgent"), "code": _names(people, "health_code")}
    assert got == {k: sorted(expected[k]) for k in ("missing", "fever", "urgent", "code")}
    assert _names(people, "temp_check") == sorted(expected.get("temp_check", []))
    if "symptoms" in expected:
        assert _names(people, "symptoms") == sorted(expected["symptoms"])
    assert sorted(n.name for n in result.notes if n.kind == "superseded") == expected.get("superseded", [])
    assert [n for n in result.notes if n.kind != "superseded"] == []  # every submission found its resident
    assert [p for p in result.problems if p.type != "date_mismatch"] == []


@pytest.mark.parametrize("name", list(real.REAL))
def test_check_names_every_column(files: dict[str, Path], name: str) -> None:
    sources = [s for s in inspect_files([files[name]], Settings()).sources if s.kind != "skipped"]
    assert sources and all(s.kind == "checkins" for s in sources)
    for source in sources:
        assert source.unmapped == []
        if "columns" in real.REAL[name]:  # a two-row header: columns named by both rows, tick columns as one
            assert source.columns == real.REAL[name]["columns"]
        else:
            assert len(source.columns) == len(source.headers)  # each header became a field or a known platform column


def test_check_names_the_columns_of_two_row_headers(files: dict[str, Path], runner) -> None:
    shown = runner.invoke(app, ["check", str(files["全员体温日报_上午下午.xlsx"]), str(files["居家健康监测_早晚体温.xlsx"])])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.count("表头在第 2-3 行") == 2
    for column in ("F「体温(℃) 上午」", "G「体温(℃) 下午」", "H-J「健康状况（发热、咳嗽、乏力）」", "E「体温 早」", "F「体温 晚」"):
        assert column in shown.stdout
    assert "未使用的列" not in shown.stdout


def test_every_export_has_a_public_source_line() -> None:
    text = (Path(__file__).parents[1] / "fixtures/real/SOURCES.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")]
    assert sorted(r for r in rows if r.endswith((".xlsx", ".csv"))) == sorted(real.REAL)
    assert re.search(r"\bid \d", text) is None  # cited by repository and path, not by a search index's file id
