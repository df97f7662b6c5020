"""The rust writer's path: the same formats as XlsxWriter's, text kept as text and cut to what a cell holds,
and the hidden manifest laid out cell for cell as XlsxWriter writes it."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
import xlsxwriter

from gridtool.output.cell_text import MAX_TEXT
from gridtool.output.fast_xlsx import (
    FastSheet,
    FastStyles,
    Line,
    grid_frame,
    rust_format,
    table_sheet,
    write_fast_book,
)
from gridtool.output.layout import row_height
from gridtool.output.todo_sheets import Heading, manifest_columns, manifest_items, meta
from gridtool.output.xlsx import Column, PageFit, style_props, write_manifest


def test_every_shared_style_has_a_rust_counterpart() -> None:
    for props in style_props(12).values():
        rust_format(props)
    with pytest.raises(ValueError, match="diag_type"):
        rust_format({"diag_type": 1})


def test_text_stays_text_and_an_overlong_cell_is_cut(tmp_path: Path) -> None:
    styles = FastStyles(12)
    rows = [[1, "=HYPERLINK(\"http://x\")", "x" * (MAX_TEXT + 10)], [2, "+86 138", None]]
    sheet = table_sheet("表", [Column("序号"), Column("姓名"), Column("备注")], rows, styles, PageFit())
    write_fast_book(tmp_path / "a.xlsx", [sheet], styles)
    cells = openpyxl.load_workbook(tmp_path / "a.xlsx")["表"]
    assert cells["B2"].value == '=HYPERLINK("http://x")' and cells["B2"].data_type == "s"
    assert len(cells["C2"].value) == MAX_TEXT
    assert cells["B3"].value == "+86 138"


def test_the_manifest_grid_is_the_manifest_xlsxwriter_writes(tmp_path: Path) -> None:
    heading = Heading("", dt.date(2026, 11, 21), dt.datetime(2026, 11, 21, 8, 30))
    items = pd.DataFrame({"key": ["k1", "k2"], "kind": ["fever", "missing"], "person_key": ["p1", "p2"],
                          "name": ["王芳", "李强"], "building": ["1", "2"], "unit": ["1", None], "room": ["101", "202"],
                          "phone": ["13800000000", ""], "worker": ["王", "王"], "reason_text": ["发热", float("nan")]})
    book = xlsxwriter.Workbook(tmp_path / "slow.xlsx")
    write_manifest(book, meta("followups", heading, "王"), manifest_items(items, heading.date, "followups"))
    book.close()
    styles = FastStyles(12)
    grid = FastSheet("_gridtool", [], manifest_columns(items, heading, "followups", "王"), [], hidden=True, raw=True)
    shown = table_sheet("表", [Column("序号")], [[1]], styles, PageFit())
    write_fast_book(tmp_path / "fast.xlsx", [shown, grid], styles)
    slow = [[v or "" for v in r] for r in openpyxl.load_workbook(tmp_path / "slow.xlsx")["_gridtool"].values]
    fast_sheet = openpyxl.load_workbook(tmp_path / "fast.xlsx")["_gridtool"]
    fast = [[v or "" for v in r] for r in fast_sheet.values]
    assert fast_sheet.sheet_state == "hidden"
    assert fast[0][:2] == slow[0][:2]
    assert [r[:len(slow[i])] for i, r in enumerate(fast)][1:] == [r for r in slow][1:]


def test_grid_frame_pads_short_rows_and_names_blank_headers() -> None:
    frame = grid_frame([["a"], ["x", "y", "z"]], [["c1"], ["c2"]])
    assert list(frame.columns) == ["a", "(2)", "(3)"]
    assert frame.fillna("").values.tolist() == [["x", "y", "z"], ["c1", "c2", ""]]


def test_hidden_characters_show_as_markers_as_in_the_xlsxwriter_path(tmp_path: Path) -> None:
    styles = FastStyles(12)
    rows = [[1, "王\u202e五"], [2, "李\u200b四"], [3, "多行\n原因"]]
    sheet = table_sheet("表", [Column("序号"), Column("姓名")], rows, styles, PageFit())
    write_fast_book(tmp_path / "a.xlsx", [sheet], styles)
    cells = openpyxl.load_workbook(tmp_path / "a.xlsx")["表"]
    assert [cells[f"B{r}"].value for r in (2, 3, 4)] == ["王〔U+202E〕五", "李〔U+200B〕四", "多行\n原因"]


def test_column_formats_stay_on_the_table_and_do_not_run_down_the_sheet(tmp_path: Path) -> None:
    styles = FastStyles(12)
    columns = [Column("序号", center=True), Column("姓名"), Column("体温(℃)", None, "0.0"), Column("跟进结果", input=True)]
    rows = [[1, "王芳", 37.8, ""], [2, "李强", None, ""]]
    sheet = table_sheet("表", columns, rows, styles, PageFit(), row_styles=["urgent", "cell"])
    write_fast_book(tmp_path / "a.xlsx", [sheet], styles)
    with zipfile.ZipFile(tmp_path / "a.xlsx") as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    cols = xml[xml.index("<cols>"):xml.index("</cols>")]
    assert "style=" not in cols and cols.count("<col ") >= 1
    cells = openpyxl.load_workbook(tmp_path / "a.xlsx")["表"]
    assert cells["D2"].fill.fgColor.rgb.endswith("FFF9E6") and cells["D3"].fill.fgColor.rgb.endswith("FFF9E6")
    assert cells["A2"].alignment.horizontal == "center" and cells["C2"].number_format == "0.0"
    assert cells["B2"].font.b and cells["B2"].font.color.rgb.endswith("C00000") and not cells["B3"].font.b
    assert cells["D4"].fill.fgColor.rgb in (None, "00000000")  # under the table: nothing


def test_lines_under_the_table_are_merged_printed_and_clear_of_the_urgent_rows(tmp_path: Path) -> None:
    styles = FastStyles(14)
    columns = [Column("序号", center=True), Column("姓名"), Column("跟进结果", input=True), Column("编号", hidden=True)]
    rows = [[1, "王芳", "", "k1"], [2, "李强", "", "k2"], [3, "张三", "", "k3"]]
    foot = [Line("共 3 项，已完成 ______ 项。　　楼栋长签字：____", "note"), Line("第一句；\n第二句。", "note")]
    sheet = table_sheet("表", columns, rows, styles, PageFit(landscape=False), row_styles=["urgent", "cell", "cell"],
                        lines=[Line("标题", "heading"), Line("说明", "note")], foot=foot,
                        dropdown=("跟进结果", ["已联系", "未联系上"]))
    write_fast_book(tmp_path / "a.xlsx", [sheet], styles)
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")["表"]
    assert sorted(str(m) for m in book.merged_cells.ranges) == ["A1:C1", "A2:C2", "A8:C8", "A9:C9"]
    assert [book.cell(r, 1).value for r in (7, 8, 9)] == [None, foot[0].text, "第一句；\n第二句。"]
    assert book.max_row == 9 and book.print_area == "'表'!$A$1:$C$9"
    assert book.row_dimensions[9].height == pytest.approx(row_height(2, 14), abs=0.75)  # its two lines, as broken
    assert book.row_dimensions[8].height >= row_height(1, 14)
    assert book["A8"].font.sz == 14 and book["A8"].font.color.rgb.endswith("555555") and not book["A8"].border.left.style
    assert str(book.data_validations.dataValidation[0].sqref) == "C4:C6"
    assert book["B4"].font.color.rgb.endswith("C00000") and book["A4"].font.color.rgb.endswith("C00000")
    assert book["A4"].alignment.horizontal == "center" and not book["B5"].font.b


@pytest.mark.parametrize("small", [True, False])
def test_hidden_characters_and_overlong_text_are_mended_in_short_and_long_columns(small: bool, monkeypatch) -> None:
    from gridtool.output import cell_text

    monkeypatch.setattr(cell_text, "SMALL_COLUMN", 10_000 if small else 0)
    frame = pd.DataFrame({"n": [1, 2, 3, 4], "name": ["王\u202e五", "李四", None, "x" * (MAX_TEXT + 1)],
                          "mixed": [1.5, "多行\n原因", "\u200b", None]})
    mended = cell_text.safe_frame(frame)
    assert mended["name"].fillna("").tolist() == ["王〔U+202E〕五", "李四", "", "x" * MAX_TEXT]
    assert mended["mixed"].fillna("").tolist() == [1.5, "多行\n原因", "〔U+200B〕", ""]
    assert mended["n"].tolist() == [1, 2, 3, 4]
    clean = frame.iloc[1:3, :2]
    assert cell_text.safe_frame(clean) is clean


@pytest.mark.parametrize("dtype", [object, "str", pd.StringDtype("python"), pd.StringDtype("pyarrow"), "string[pyarrow]",
                                   pd.ArrowDtype(pa.string())])
def test_every_kind_of_text_column_is_mended_when_long(dtype: object, monkeypatch) -> None:
    """Long columns of text held as objects, Python strings or Arrow text are all looked at."""
    from gridtool.output import cell_text

    monkeypatch.setattr(cell_text, "SMALL_COLUMN", 0)
    frame = pd.DataFrame({"name": pd.Series(["王\u202e五", "李四", None, "x" * (MAX_TEXT + 1)], dtype=dtype),
                          "n": [1.5, 2.0, 3.0, 4.0]})
    mended = cell_text.safe_frame(frame)
    assert mended["name"].fillna("").tolist() == ["王〔U+202E〕五", "李四", "", "x" * MAX_TEXT]
    assert mended["n"].tolist() == [1.5, 2.0, 3.0, 4.0]
    plain = frame.iloc[1:3]
    assert cell_text.safe_frame(plain) is plain
