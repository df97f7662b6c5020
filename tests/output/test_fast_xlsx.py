"""The rust writer's path: the same formats as XlsxWriter's, text kept as text and cut to what a cell holds,
and the hidden manifest laid out cell for cell as XlsxWriter writes it."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from gridtool.output.fast_xlsx import MAX_TEXT, FastSheet, FastStyles, grid_frame, rust_format, table_sheet, write_fast_book
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
