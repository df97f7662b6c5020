"""What the reader recovers from and what it leaves alone: exact cells and notes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gridtool.table.merged import fill_merged
from gridtool.table.read import read_sheets
from gridtool.table.sheetscan import Merge


def test_a_quoted_answer_spanning_lines_is_not_taken_for_a_stray_quote(tmp_path: Path) -> None:
    path = tmp_path / "问卷.csv"
    path.write_text('姓名,房号,备注\n张三,1-101,"咳嗽\n乏力"\n李四,1-102,无\n', encoding="utf-8")
    [raw] = read_sheets(path)
    assert raw.cells.loc[2].tolist() == ["张三", "1-101", "咳嗽\n乏力"]
    assert raw.cells.loc[3].tolist() == ["李四", "1-102", "无"]
    assert raw.notes == []


def test_a_stray_quote_is_dropped_and_its_line_split_at_every_separator(tmp_path: Path) -> None:
    path = tmp_path / "打卡.csv"
    path.write_text('姓名,房号,体温\n张三,"1-101,36.5\n李四,1-102,38.2\n王五,1-103,36.4\n', encoding="utf-8")
    [raw] = read_sheets(path)
    assert raw.cells.values.tolist() == [["姓名", "房号", "体温"], ["张三", "1-101", "36.5"],
                                         ["李四", "1-102", "38.2"], ["王五", "1-103", "36.4"]]
    [note] = raw.notes
    assert (note.kind, note.row) == ("stray_quote", 2)
    assert "后面 2 行" in note.message


def test_gbk_lines_in_a_utf8_file_are_named_once(tmp_path: Path) -> None:
    path = tmp_path / "混合.csv"
    path.write_bytes("姓名,房号\n张三,101\n".encode() + "李四,102\n王五,103\n".encode("gbk"))
    [raw] = read_sheets(path)
    assert raw.cells["A"].tolist() == ["姓名", "张三", "李四", "王五"]
    [note] = raw.notes
    assert (note.kind, note.row) == ("mixed_encoding", 3)
    assert note.message == "第3、4行是 GBK 编码，与文件其余部分不同，已逐行识别。"


def test_merged_ranges_are_clipped_to_the_sheet_and_fill_down_and_across() -> None:
    frame = pd.DataFrame({"A": ["3栋", None, None, "4栋"], "B": ["张三", None, None, "赵六"], "C": ["1", "2", "3", "4"]},
                         index=pd.RangeIndex(1, 5))
    fill_merged(frame, [Merge(1, 1, 2, 3), Merge(3, 4, 3_000_000, 9_000_000), Merge(1, 4, 1, 4)])
    assert frame["A"].tolist() == ["3栋", "3栋", "3栋", "4栋"]
    assert frame["B"].tolist() == ["3栋", "3栋", "3栋", "赵六"]  # the merged block shows its top-left value
    assert frame["C"].tolist() == ["1", "2", "3", "4"]
