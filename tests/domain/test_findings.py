"""The findings catalogue: every code used in the code is declared with a severity and a Chinese template."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from gridtool.domain.findings import CATALOGUE, Finding, finding

SOURCES = Path(__file__).resolve().parents[2] / "src" / "gridtool"


def literals_in_sources() -> tuple[set[str], set[str]]:
    """(every string constant in the package, the literal codes passed first to finding() or Finding())."""
    constants: set[str] = set()
    codes: set[str] = set()
    for path in SOURCES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("finding", "Finding") and node.args \
                    and isinstance(node.args[0], ast.Constant):
                codes.add(str(node.args[0].value))
    return constants, codes


def test_every_code_passed_to_a_finding_is_declared() -> None:
    _, codes = literals_in_sources()
    assert codes and codes <= set(CATALOGUE)


def test_every_declared_code_is_used() -> None:
    constants, _ = literals_in_sources()
    assert set(CATALOGUE) - constants == set()


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_a_chinese_template_and_a_severity(code: str) -> None:
    kind = CATALOGUE[code]
    assert kind.severity in ("error", "warning", "info")
    assert re.search(r"[\u4e00-\u9fff]", kind.template) or kind.template == "{detail}"
    fields = {name for _, name, _, _ in string.Formatter().parse(kind.template) if name}
    message = finding(code, "a.xlsx", "Sheet1", 3, "B", value="某值", item="口罩",
                      **{name: "X" for name in fields - {"value", "item"}}).message
    assert "{" not in message


def test_a_finding_is_made_from_values_not_sentences() -> None:
    made = finding("bad_phone", "名册.xlsx", "居民", 7, "D", value="12abc")
    assert made.message == "电话「12abc」不像电话号码"
    assert made.place == "名册.xlsx「居民」 D7"
    assert made.to_dict()["severity"] == "warning"


def test_an_undeclared_code_is_refused() -> None:
    with pytest.raises(KeyError, match="CATALOGUE"):
        Finding("made_up", "a.csv", "", 1, "", "", "x")
