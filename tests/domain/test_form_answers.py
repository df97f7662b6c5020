"""Answers as form platforms write them: temperature options, yes/no fever, several readings, 健康码."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from exports import write_xlsx
from gridtool.config import Settings
from gridtool.domain.followups import followups

TODAY = dt.date(2022, 11, 21)


def _run(tmp_path: Path, header: list[str], rows: list[list[object]], settings: Settings | None = None):
    path = write_xlsx(tmp_path / "健康打卡.xlsx", {"Sheet1": [header, *rows]})
    return followups([path], settings or Settings(), date=TODAY, today=TODAY)


def _reasons(result) -> dict[str, str]:
    return dict(zip(result.flagged["name"], result.flagged["reason_text"], strict=True))


def test_temperature_options_give_fever_high_fever_and_bands_to_check(tmp_path: Path) -> None:
    header = ["序号", "提交答卷时间", "1、您的姓名 ", "2、房号", "3、今日体温"]
    options = {"甲一": "37.2℃及以下", "乙二": "37.3℃-38.4℃（请及时就医并在3天内进行3次核酸检测）",
               "丙三": "38.5℃及以上（请及时就医并在3天内进行3次核酸检测）", "丁四": "36.5℃以上",
               "戊五": "36.5-37.2℃", "己六": "37.3℃以下", "庚七": "３８℃及以上"}
    rows = [[n, f"2022/11/21 8:0{n}:00", name, f"1-10{n}", option]
            for n, (name, option) in enumerate(options.items(), 1)]
    result = _run(tmp_path, header, rows)
    assert _reasons(result) == {
        "丙三": "体温38.5℃及以上（请及时就医并在3天内进行3次核酸检测）（高热）",
        "庚七": "体温３８℃及以上（高热）",
        "乙二": "体温37.3℃-38.4℃（请及时就医并在3天内进行3次核酸检测）",
        "丁四": "体温「36.5℃以上」跨过发热线，请核实",
    }
    assert result.flagged["reasons"].tolist() == [["fever"], ["fever"], ["fever"], ["temp_check"]]
    assert (result.counts["fever"], result.counts["urgent"], result.counts["temp_check"]) == (3, 2, 1)
    assert result.counts["bad_temperature"] == 0 and result.problems == []
