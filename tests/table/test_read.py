from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

from exports import daily_sheet, write_csv, write_xlsx
from gridtool.errors import ExitCode, GridtoolError
from gridtool.table.columns import SYNONYMS
from gridtool.table.header import locate_table
from gridtool.table.read import column_letter, read_sheets

ROWS = [[1, "张三", "1-101", 36.5, "否", dt.time(8, 30), "王芳"],
        [2, "李四", "1-102", "37.2℃", "无", "未打卡", "王芳"]]


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_xlsx_keeps_excel_row_numbers_and_column_letters_under_a_title(tmp_path: Path) -> None:
    rows = [[None, *r] for r in daily_sheet("某某社区健康打卡", ROWS)]  # table starts in column B
    path = write_xlsx(tmp_path / "a.xlsx", {"11月21日": [[], *rows]}, merges={"11月21日": ["B2:H2"]})
    [raw] = read_sheets(path)
    table = locate_table(raw, SYNONYMS)
    assert table is not None
    assert table.header_row == 4
    assert table.letters["name"] == "C" and table.letters["temperature"] == "E"
    assert list(table.data.index) == [5, 6]
    assert table.data.loc[6, "name"] == "李四"
    assert table.title == "某某社区健康打卡"
    assert table.cell("temperature", 6) == "E6"


def test_note_total_blank_and_repeated_header_rows_are_not_residents(tmp_path: Path) -> None:
    rows = [["姓名", "房号", "体温"], ["张三", "1-101", 36.5], [None, None, None], ["姓名", "房号", "体温"],
            ["李四", "1-102", 36.6], ["合计", None, 2], ["注：请于10点前填报"], ["制表人：王芳"]]
    [raw] = read_sheets(write_xlsx(tmp_path / "b.xlsx", {"Sheet1": rows}))
    table = locate_table(raw, SYNONYMS)
    assert table is not None
    assert table.data["name"].tolist() == ["张三", "李四"]


def test_vertically_merged_building_cells_are_filled_down(tmp_path: Path) -> None:
    rows = [["楼栋", "姓名", "房号"], ["3栋", "张三", "101"], [None, "李四", "102"], [None, "王五", "201"],
            ["4栋", "赵六", "101"]]
    path = write_xlsx(tmp_path / "m.xlsx", {"名册": rows}, merges={"名册": ["A2:A4"]})
    [raw] = read_sheets(path)
    table = locate_table(raw, SYNONYMS)
    assert table is not None
    assert table.data["building"].tolist() == ["3栋", "3栋", "3栋", "4栋"]


def test_xlsm_reads_like_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"打卡": [["姓名", "房号"], ["张三", "101"]]})
    macro = path.rename(tmp_path / "宏.xlsm")
    assert read_sheets(macro)[0].cells.loc[2].tolist() == ["张三", "101"]


def test_hidden_sheets_are_skipped(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "h.xlsx", {"打卡": [["姓名", "房号"], ["张三", "101"]],
                                            "辅助": [["姓名", "房号"], ["X", "1"]]}, hidden=["辅助"])
    assert [s.name for s in read_sheets(path)] == ["打卡"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_every_encoding_staff_produce(tmp_path: Path, encoding: str) -> None:
    rows = [["健康打卡登记表"], ["姓名", "住址", "体温"], ["张三", "3栋2单元502室", "36.5℃"]]
    path = write_csv(tmp_path / "c.csv", rows, encoding)
    [raw] = read_sheets(path)
    table = locate_table(raw, SYNONYMS)
    assert table is not None
    assert table.header_row == 2
    assert table.data.loc[3].tolist() == ["张三", "3栋2单元502室", "36.5℃"]


def test_excel_unicode_text_export_is_utf16_tsv(tmp_path: Path) -> None:
    path = tmp_path / "导出.txt"
    path.write_bytes("姓名\t房号\r\n张三\t101\r\n".encode("utf-16"))
    assert read_sheets(path)[0].cells.loc[2].tolist() == ["张三", "101"]


def test_wps_native_format_gets_a_hint(tmp_path: Path) -> None:
    (tmp_path / "打卡.et").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(GridtoolError) as caught:
        read_sheets(tmp_path / "打卡.et")
    assert "WPS" in caught.value.message and ".xlsx" in caught.value.hint


def test_tsv_and_semicolon_and_ragged_rows(tmp_path: Path) -> None:
    tsv = write_csv(tmp_path / "t.tsv", [["姓名", "房号"], ["张三", "101"]], sep="\t")
    assert read_sheets(tsv)[0].cells.loc[2].tolist() == ["张三", "101"]
    semi = write_csv(tmp_path / "s.csv", [["标题"], ["姓名", "房号", "体温"], ["张三", "101", "36.5", "多余"]], sep=";")
    cells = read_sheets(semi)[0].cells
    assert cells.loc[3].tolist()[:3] == ["张三", "101", "36.5"]


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.libreoffice
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("target", ["xls", "ods"])
def test_xls_and_ods_read_like_xlsx(tmp_path: Path, target: str) -> None:
    source = write_xlsx(tmp_path / "src.xlsx", {"11月21日": daily_sheet("标题", ROWS)})
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                        "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    [raw] = read_sheets(tmp_path / f"src.{target}")
    table = locate_table(raw, SYNONYMS)
    assert table is not None and table.header_row == 3
    assert table.data["name"].tolist() == ["张三", "李四"]
    assert table.data["checked_at"].tolist()[1] == "未打卡"


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_text("姓名,房号\n张三,101\n", encoding="utf-8"), "不是 Excel 表格"),
    (lambda p: p.write_bytes(b""), "0 字节"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "密码"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"broken" * 50), "无法读取"),
])
def test_unusable_workbooks_say_what_is_wrong(tmp_path: Path, make, words: str) -> None:
    path = tmp_path / "坏文件.xlsx"
    make(path)
    with pytest.raises(GridtoolError) as caught:
        read_sheets(path)
    assert caught.value.code == ExitCode.INPUT
    assert "坏文件.xlsx" in caught.value.message and words in caught.value.message


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "照片.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a workbook")
    with pytest.raises(GridtoolError, match="照片.xlsx"):
        read_sheets(path)


def test_missing_file_and_unsupported_type(tmp_path: Path) -> None:
    with pytest.raises(GridtoolError, match="找不到文件"):
        read_sheets(tmp_path / "nope.xlsx")
    (tmp_path / "a.docx").write_text("x")
    with pytest.raises(GridtoolError, match="不支持的文件类型"):
        read_sheets(tmp_path / "a.docx")


def test_csv_with_unknown_encoding(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\x00\xff\x01name,room\n")  # neither UTF-8 nor GB18030
    with pytest.raises(GridtoolError, match="编码"):
        read_sheets(path)
