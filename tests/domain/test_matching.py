from __future__ import annotations

import pandas as pd
import pytest

from gridtool.domain.people.matching import address_relation, explain_unmatched, name_score

ROSTER = pd.DataFrame({
    "name": ["张伟", "张伟", "李娜", "王强"], "name_key": ["张伟", "张伟", "李娜", "王强"],
    "building": ["3", "5", "3", "4"], "unit": ["2", "1", "2", "1"], "room": ["502", "101", "501", "101"],
    "phone": ["13800000001", "13800000009", "13800000002", "13800000003"],
})


@pytest.mark.parametrize("a, b, score, how", [
    ("张伟", "张伟", 100.0, "同名"), ("张维", "张伟", 95.0, "同音"), ("陈青", "陈静", 80.0, "一字之差"),
])
def test_name_score(a: str, b: str, score: float, how: str) -> None:
    assert name_score(a, b) == (score, how)


def test_unrelated_names_score_low() -> None:
    assert name_score("王强", "李娜")[0] < 50


@pytest.mark.parametrize("given, relation", [
    (("3", "2", "502"), "same"), (("3", "", "502"), "partial"), (("", "", "502"), "partial"),
    (("", "", ""), "missing"), (("3", "2", "503"), "different"), (("4", "2", "502"), "different"),
])
def test_address_relation(given: tuple[str, str, str], relation: str) -> None:
    assert address_relation(given, ("3", "2", "502")) == relation


def _submission(name: str, building: str, unit: str, room: str, phone: str) -> pd.DataFrame:
    return pd.DataFrame({"name": [name], "name_key": [name], "building": [building], "unit": [unit], "room": [room],
                         "phone": [phone], "file": ["log.csv"], "sheet": [""], "row": [7]})


@pytest.mark.parametrize("row, kind, position, words", [
    (("张维", "3", "2", "502", "13800000001"), "matched", 0, "姓名同音，住址相同，电话相同"),
    (("张伟", "", "", "", ""), "doubtful", -1, ""),
    (("李娜", "3", "", "501", ""), "matched", 2, "住址写法不完整或不同"),
    (("张伟", "3", "2", "520", "13800000001"), "matched", 0, "住址不同，电话相同"),
    (("张伟", "9", "9", "909", ""), "doubtful", -1, ""),
    (("王小强", "4", "1", "101", "13800000003"), "doubtful", -1, ""),
    (("刘备", "8", "1", "101", "13900000000"), "not_on_roster", -1, ""),
])
def test_explanations(row: tuple[str, ...], kind: str, position: int, words: str) -> None:
    matched, [note] = explain_unmatched(_submission(*row), ROSTER, 85.0)
    assert note.kind == kind and note.row == 7
    assert int(matched.iloc[0]) == position
    assert words in note.message


def test_family_member_on_the_same_phone_is_left_for_a_person() -> None:
    matched, [note] = explain_unmatched(_submission("赵敏", "3", "2", "501", "13800000002"), ROSTER, 85.0)
    assert note.kind == "doubtful" and int(matched.iloc[0]) == -1
    assert "可能是家人代填" in note.candidates[0]
