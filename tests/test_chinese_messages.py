"""Messages that once carried English or Python words (issue 12 "Chinese throughout"): a library exception
name, an operating system's error text, `None` where a number belongs."""

from __future__ import annotations

import errno
import json
import struct
import zipfile
from pathlib import Path

import openpyxl

from gridtool.cli import app
from gridtool.errors import os_error
from test_cli_language import english_words

PART = "xl/workbook.xml"


def _with_unknown_compression(path: Path) -> Path:
    """An xlsx whose workbook part claims a compression method no reader knows (99: AES, say)."""
    book = openpyxl.Workbook()
    book.active.append(["姓名", "房号", "体温"])
    book.save(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(PART)
    struct.pack_into("<H", data, info.header_offset + 8, 99)  # the local header's method
    central = data.index(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(PART)] != PART.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<H", data, central + 10, 99)  # and the central directory's
    path.write_bytes(bytes(data))
    return path


def test_an_unknown_compression_method_is_named_without_the_exception(runner, tmp_path: Path) -> None:
    book = _with_unknown_compression(tmp_path / "打卡.xlsx")
    result = runner.invoke(app, ["check", str(book)])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == "错误：打卡.xlsx：无法读取：内部部件使用了不支持的压缩方式或加密方式。"
    assert english_words(result.stderr) == []


def test_an_unusual_operating_system_error_is_said_in_chinese() -> None:
    error = os_error(OSError(errno.ENODEV, "No such device", "/mnt/u盘/out"), "输出文件夹 /mnt/u盘/out")
    assert error is not None
    assert error.message == f"输出文件夹 /mnt/u盘/out 读写时出错（系统错误码 {errno.ENODEV}）。"


def test_check_on_gridtool_output_says_what_it_is_not_none(runner, example_dir: Path, tmp_path: Path) -> None:
    tasks = runner.invoke(app, ["tasks", str(example_dir / "打卡记录.xlsx"), "--roster", str(example_dir / "居民名册.xlsx"),
                                "--out", str(tmp_path / "out")])
    assert tasks.exit_code == 0, tasks.output
    log = tmp_path / "out" / "跟进记录.xlsx"
    assert f"发出的事项已登记到 {log}：收回楼栋任务单时用同一份跟进记录" in " ".join(tasks.stdout.split())
    result = runner.invoke(app, ["check", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "None" not in result.stdout
    assert "楼栋任务_1栋_2026-11-21.xlsx「_gridtool」：gridtool 生成的表格，这一页不当作输入读取" in result.stdout
    assert "跟进记录.xlsx「跟进记录」：跟进记录，表头在第 1 行" in result.stdout
    again = runner.invoke(app, ["tasks", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path / "out"), "--json"])
    assert json.loads(again.stdout)["log"] == str(log)
