"""File names: safe everywhere, short, unambiguous, unique, and never an input's or a folder's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gridtool.output.names import OutputNames, safe_filename


@pytest.mark.parametrize("name, expected", [
    ("王芳", "王芳"), ("2026-11-21", "2026-11-21"), ("3栋2单元", "3栋2单元"),
    ("../../etc/passwd", "etc-passwd~936d7c"), ("a/b\\c:d*e?f\"g<h>i|j", "a-b-c-d-e-f-g-h-i-j~8b1117"),
    ("CON", "CON~7679a0"), ("", "未命名"), ("...", "未命名~6eae3a"), ("张 三\t", "张-三~8938ef"),
    ("Ｗａｎｇ", "Wang~6d49ac"), ("a_b", "a-b~eb2980"),
    ("王\u202e芳", "王芳~c9f124"), ("王\u200b芳", "王芳~d8d780"), ("\ufeff王芳\u2066", "王芳~17b1ab"),
])
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_a_changed_name_is_marked_so_two_workers_never_share_a_file(tmp_path: Path) -> None:
    names = OutputNames(tmp_path)
    workers = ["a_b", "a b", "a/b", "a-b", "王芳", "王\u202e芳", "王\u200b芳"]
    paths = [names.path("待跟进", w, "2026-11-21").name for w in workers]
    assert paths == ["待跟进_a-b~eb2980_2026-11-21.xlsx", "待跟进_a-b~7dbde9_2026-11-21.xlsx",
                     "待跟进_a-b~3ec69c_2026-11-21.xlsx", "待跟进_a-b_2026-11-21.xlsx", "待跟进_王芳_2026-11-21.xlsx",
                     "待跟进_王芳~c9f124_2026-11-21.xlsx", "待跟进_王芳~d8d780_2026-11-21.xlsx"]
    # `_` only separates the parts: every name splits back into kind, owner and date
    assert all(len(p.removesuffix(".xlsx").split("_")) == 3 for p in paths)
    assert not any(ch in p for p in paths for ch in "\u202e\u200b")


def test_long_names_are_shortened_and_stay_unique(tmp_path: Path) -> None:
    names = OutputNames(tmp_path)
    long_a, long_b = "张" * 199 + "甲", "张" * 199 + "乙"
    first, second = names.path("待跟进", long_a, "2026-11-21"), names.path("待跟进", long_b, "2026-11-21")
    assert first != second
    assert first.name == "待跟进_" + "张" * 40 + "~01213f_2026-11-21.xlsx"
    assert max(len(first.name.encode()), len(second.name.encode())) <= 160
    first.write_bytes(b"x")  # the file system takes it (ext4 and NTFS allow 255)
    assert first.read_bytes() == b"x"


def test_names_differing_only_in_case_get_two_files(tmp_path: Path) -> None:
    """Windows and macOS keep one file for Wang and WANG: the second must not replace the first."""
    names = OutputNames(tmp_path)
    assert [names.path("待跟进", w, "d").name for w in ("Wang", "WANG")] == ["待跟进_Wang_d.xlsx", "待跟进_WANG_d_2.xlsx"]


def test_inputs_and_folders_are_never_taken(tmp_path: Path) -> None:
    checkins = tmp_path / "群消息_王芳_2026-11-21.txt"
    checkins.write_text("打卡", encoding="utf-8")
    (tmp_path / "群消息_王芳_2026-11-21_2.txt").mkdir()
    linked = tmp_path / "群消息_王芳_2026-11-21_3.txt"
    os.link(checkins, linked)  # the same input under another name
    names = OutputNames(tmp_path, [checkins])
    assert names.path("群消息", "王芳", "2026-11-21", suffix=".txt").name == "群消息_王芳_2026-11-21_4.txt"


def test_an_input_named_in_another_case_or_through_a_link_is_protected(tmp_path: Path) -> None:
    roster = tmp_path / "elsewhere.xlsx"
    roster.write_bytes(b"roster")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "汇总_d.xlsx").symlink_to(roster)
    names = OutputNames(tmp_path / "out", [roster, tmp_path / "OUT" / "待跟进_X_d.xlsx"])
    assert names.path("汇总", "d").name == "汇总_d_2.xlsx"
    assert names.path("待跟进", "x", "d").name == "待跟进_x_d_2.xlsx"
