"""Hostile and broken inputs to the reader, each run as a real gridtool process: a result (exit 0) or a clear
Chinese message (exit 2) naming the file, never an abort, a traceback or 内部错误, within 2 GB and 60 s."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from hostile.conftest import assert_handled, run_gridtool
from hostile.workbooks import TABLE, cell, forge_member, gbk_named, parts, rows_xml, sheet_xml, write_ods, write_package, write_sheet

FAR = TABLE + '<row r="1048576">' + cell("XFD1048576", "x") + "</row>"


def check(path: Path, *codes: int, mentions: str | None = None) -> str:
    run = run_gridtool("check", path)
    assert_handled(run, codes=codes, mentions=mentions)
    if run.code == 2:
        assert path.name in run.stderr, run.stderr
    return run.output


# 1. Sheets that claim to be huge

def test_a_stray_value_in_the_grids_last_cell_is_left_out_and_named(tmp_path: Path) -> None:
    out = check(write_sheet(tmp_path / "最后一格.xlsx", sheet_xml(FAR)), 0, mentions="XFD1048576")
    assert "数据 2 行" in out and "远在表格之外" in out


def test_a_dimension_spanning_the_whole_grid_reads_the_used_cells(tmp_path: Path) -> None:
    out = check(write_sheet(tmp_path / "整张.xlsx", sheet_xml(dimension="A1:XFD1048576")), 0)
    assert "数据 2 行" in out


def test_a_sheet_that_truly_spans_more_than_the_limit_is_refused(tmp_path: Path) -> None:
    body = TABLE + '<row r="1048576">' + cell("CV1048576", "x") + "</row>"  # 100 columns x 1,048,576 rows
    out = check(write_sheet(tmp_path / "太大.xlsx", sheet_xml(body)), 2, mentions="CV1048576")
    assert "3000 万个单元格" in out and "Ctrl+End" in out


def test_cells_addressed_without_row_numbers_cannot_widen_the_grid_unchecked(tmp_path: Path) -> None:
    wide = "<row>" + "<c/>" * 20000 + cell("A1", "x").replace(' r="A1"', "") + "</row>"
    body = TABLE + wide + "<row/>" * 2000
    check(write_sheet(tmp_path / "无坐标.xlsx", sheet_xml(body)), 0, 2)


def test_an_ods_repeating_empty_rows_to_a_far_value_is_refused_before_calamine_allocates(tmp_path: Path) -> None:
    # 999,003 rows x 91 columns: calamine allocated 5.8 GB and aborted before this check
    out = check(write_ods(tmp_path / "重复.ods", 999_000, 90), 2, mentions="CM999003")
    assert "3000 万个单元格" in out


def test_an_ods_with_a_far_value_inside_the_limit_is_read(tmp_path: Path) -> None:
    assert "数据 1 行" in check(write_ods(tmp_path / "稍远.ods", 1000, 20), 0)


def test_a_cell_of_eighty_megabytes_is_refused_as_a_zip_bomb_before_it_is_inflated(tmp_path: Path) -> None:
    body = TABLE + '<row r="4">' + cell("A4", "A" * (80 << 20)) + "</row>"
    path = write_sheet(tmp_path / "炸弹.xlsx", sheet_xml(body))
    assert path.stat().st_size < 1 << 20
    check(path, 2, mentions="压缩炸弹")


def test_a_part_whose_declared_size_is_forged_is_caught(tmp_path: Path) -> None:
    body = TABLE + '<row r="4">' + cell("A4", "A" * (20 << 20)) + "</row>"
    path = forge_member(write_sheet(tmp_path / "谎报.xlsx", sheet_xml(body)), "xl/worksheets/sheet1.xml", size=5000)
    check(path, 2, mentions="已损坏")


# 2. Encodings and line ends

def test_utf16_with_a_lone_surrogate_names_the_line_and_reads_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "导出.txt"
    path.write_bytes(b"\xff\xfe" + "姓名\t房号\t体温\r\n张三\t1-101\t36.5\r\n".encode("utf-16-le")
                     + b"\x00\xd8" + "李四\t1-102\t38.2\r\n".encode("utf-16-le"))
    out = check(path, 0, mentions="第3行")
    assert "无法识别的字符" in out and "数据 2 行" in out


def test_old_mac_line_ends_are_lines(tmp_path: Path) -> None:
    path = tmp_path / "苹果.csv"
    path.write_bytes("姓名,房号,体温\r张三,1-101,36.5\r李四,1-102,38.2\r".encode())
    assert "数据 2 行" in check(path, 0)


def test_nul_bytes_are_dropped_and_named(tmp_path: Path) -> None:
    path = tmp_path / "空字符.csv"
    path.write_bytes("姓名,房号,体温\n张三,1-101,36.5\n李四\0,1-102,38.2\n".encode())
    out = check(path, 0, mentions="空字符")
    assert "第3行" in out and "数据 2 行" in out


def test_a_gbk_line_in_a_utf8_file_is_read_and_named(tmp_path: Path) -> None:
    path = tmp_path / "混合.csv"
    path.write_bytes("姓名,房号,体温\n张三,1-101,36.5\n".encode() + "李四,1-102,38.2\n".encode("gbk"))
    out = check(path, 0, mentions="GBK")
    assert "第3行" in out and "数据 2 行" in out


def test_a_file_with_nothing_decodable_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "乱码.csv"
    path.write_bytes(b"\xff\x80\xfe\x81\n\x80\x80\xff\n")
    check(path, 2, mentions="编码")


# 3. Web pages and text saved as .xls

def test_an_html_table_saved_as_xls_is_read_under_its_title(tmp_path: Path) -> None:
    path = tmp_path / "系统导出.xls"
    path.write_bytes("""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
<table border="1"><tr><td colspan="3">幸福里社区健康打卡</td></tr>
<tr><td>姓名</td><td>房号</td><td>体温</td></tr>
<tr><td>张三</td><td>0101</td><td>36.5</td></tr><tr><td>李四</td><td>0102</td><td>38.2</td></tr></table>
</body></html>""".encode("gbk"))
    out = check(path, 0, mentions="网页")
    assert "表头在第 2 行，数据 2 行" in out


def test_tab_separated_text_saved_as_xls_is_read(tmp_path: Path) -> None:
    path = tmp_path / "文本.xls"
    path.write_bytes("姓名\t房号\t体温\n张三\t1-101\t36.5\n李四\t1-102\t38.2\n".encode("gbk"))
    assert "数据 2 行" in check(path, 0, mentions="文本表格")


# 14.3 A stray quote that would swallow the rest of a CSV

def test_a_stray_quote_does_not_hide_a_fever(tmp_path: Path) -> None:
    path = tmp_path / "打卡.csv"
    path.write_text("姓名,房号,体温,是否有症状,打卡时间\n张三,1-101,36.5,否,08:30\n李四,\"1-102,36.6,否,08:31\n"
                    "王五,1-103,36.4,否,08:32\n赵六,1-104,38.2,否,08:33\n钱七,1-105,36.5,否,08:34\n孙八,1-106,36.7,否,08:35\n",
                    encoding="utf-8")
    run = run_gridtool("followups", path, "--date", "2026-11-20", "--out", tmp_path / "out", "--json")
    assert_handled(run, codes=(0,))
    result = run.json()
    assert isinstance(result, dict)
    assert [(p["name"], p["temperature"]) for p in result["flagged"]] == [("赵六", 38.2)]
    assert result["residents"] == 6 and result["fever"] == 1
    [problem] = [p for p in result["problems"] if p["type"] == "stray_quote"]
    assert problem["row"] == 3 and "吞进了一个单元格" in problem["message"]


# 14.8 Misleading diagnoses

def test_a_workbook_without_workbook_xml_does_not_pass_check(tmp_path: Path) -> None:
    members = parts(sheet_xml())
    del members["xl/workbook.xml"]
    check(write_package(tmp_path / "无目录.xlsx", members), 2, mentions="workbook.xml")


def test_a_wrong_crc_is_noticed(tmp_path: Path) -> None:
    path = forge_member(write_sheet(tmp_path / "校验.xlsx", sheet_xml()), "xl/worksheets/sheet1.xml", crc=0x1234)
    check(path, 2, mentions="校验码（CRC）不符")


def test_gbk_part_names_are_read_not_called_broken(tmp_path: Path) -> None:
    out = check(gbk_named(tmp_path / "压缩工具.xlsx"), 0, mentions="GBK")
    assert "数据 2 行" in out and "损坏" not in out


def test_a_gbk_file_name_on_disk_is_read_and_shown_decoded(tmp_path: Path) -> None:
    path = Path(os.fsdecode("打卡表".encode("gbk") + b".xlsx"))
    write_sheet(tmp_path / path, sheet_xml())
    run = run_gridtool("check", tmp_path)
    assert_handled(run, codes=(0,), mentions="打卡表.xlsx")


def test_an_encrypted_workbook_is_called_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "加密.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600)
    check(path, 2, mentions="已加密")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_a_real_xls_named_xlsx_is_read_as_xls(tmp_path: Path) -> None:
    source = write_sheet(tmp_path / "源.xlsx", sheet_xml())
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xls",
                        "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    path = (tmp_path / "源.xls").rename(tmp_path / "旧表.xlsx")
    out = check(path, 0, mentions="旧版 .xls")
    assert "已加密" not in out and "数据 2 行" in out


# 14.11 Bounds on what a file claims about merged ranges

def test_a_merged_range_claiming_billions_of_cells_costs_what_its_used_part_costs(tmp_path: Path) -> None:
    out = check(write_sheet(tmp_path / "合并.xlsx", sheet_xml(merges=["A2:ZZZZZZ3"])), 0)
    assert "数据 2 行" in out


def test_155k_merged_ranges_are_read_in_bounded_time(tmp_path: Path) -> None:
    rows = [["姓名", "房号", "体温"]] + [[f"居民{i}", f"{i}", "36.5"] for i in range(2, 40002)]
    merges = [f"A{i}:B{i}" for i in range(2, 40002)] + [f"C{i}:C{i + 1}" for i in range(2, 40002, 2)]
    merges += [f"D{i}:E{i}" for i in range(2, 135002)]
    run = run_gridtool("check", write_sheet(tmp_path / "合并很多.xlsx", sheet_xml(rows_xml(rows), merges=merges)))
    assert_handled(run, codes=(0,), mentions="数据 40000 行")
    assert run.seconds < 30
