from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exports import write_xlsx
from gridtool.cli import app
from gridtool.domain.checkins.messages import mask_name

ROWS = [["姓名", "楼栋", "单元", "房号", "体温", "是否有症状", "打卡时间", "电话", "网格员"],
        ["张小丽", "1", "1", "101", None, None, "未打卡", "13800000001", "王芳"],
        ["李伟", "1", "2", "302", None, None, "未打卡", "13800000002", "王芳"],
        ["王强", "1", "1", "102", 38.6, "咽痛", "8:00", "13800000003", "王芳"],
        ["{{ 7*7 }}", "2", "1", "101", None, None, "未打卡", "13800000004", "李强"],
        ["{% raw %}x", "2", "1", "102", None, None, "未打卡", "13800000005", "李强"]]


@pytest.mark.parametrize("name, masked", [("张伟", "张*"), ("张小丽", "张*丽"), ("欧阳娜娜", "欧**娜"),
                                          ("Li Lei", "L***"), ("", "")])
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_followups_wechat_one_text_per_building_group_without_private_details(runner, tmp_path: Path) -> None:
    checkins = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": ROWS})
    config = tmp_path / "gridtool.toml"
    config.write_text('community = "东园社区"\nhotline = "0571-87654321"\ndeadline = "今天12点前"\n',
                      encoding="utf-8")
    result = runner.invoke(app, ["followups", str(checkins), "--out", str(tmp_path / "out"), "--wechat",
                                 "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    texts = sorted(f for f in json.loads(result.stdout)["files"] if f.endswith(".txt"))
    assert [Path(f).name for f in texts] == ["群消息_1栋_2026-11-21.txt", "群消息_2栋_2026-11-21.txt"]
    wang = Path(texts[0]).read_bytes()
    assert wang.startswith(b"\xef\xbb\xbf")  # a BOM so that Notepad shows Chinese
    text = wang.decode("utf-8-sig")
    assert "【东园社区1栋 健康打卡提醒】" in text and "还有 2 位住户" in text
    assert "1-101 张*丽" in text and "2-302 李*" in text and "今天12点前" in text and "0571-87654321" in text
    assert "王*" not in text  # a fever is not a missing check-in, and never told to the group
    assert not re.search(r"1[3-9]\d{9}|38\.6|咽痛|张小丽|李伟", text)
    li = Path(texts[1]).read_text(encoding="utf-8-sig")
    assert "1-101 {***" in li and "1-102 {***" in li and "49" not in li  # template syntax is data, never run


def test_tasks_wechat_one_text_per_building(runner, tmp_path: Path) -> None:
    checkins = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": ROWS})
    result = runner.invoke(app, ["tasks", str(checkins), "--out", str(tmp_path / "out"), "--wechat", "--json"])
    assert result.exit_code == 0, result.output
    texts = sorted(Path(f).name for f in json.loads(result.stdout)["files"] if f.endswith(".txt"))
    assert texts == ["群消息_1栋_2026-11-21.txt", "群消息_2栋_2026-11-21.txt"]
    followups = runner.invoke(app, ["followups", str(checkins), "--out", str(tmp_path / "out"), "--wechat", "--json"])
    again = sorted(Path(f).name for f in json.loads(followups.stdout)["files"] if f.endswith(".txt"))
    assert again == texts  # the same group gets the same one text from either command
    assert sorted(p.name for p in (tmp_path / "out").glob("群消息_*")) == texts
