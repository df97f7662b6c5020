"""#17: a 配送单 a volunteer took out, ticked and handed back is service time, credited once.

The loop as staff run it: `gridtool requests` writes one 配送单 per volunteer, the volunteer ticks the stops
delivered, `gridtool collect` enters them in the follow-up log, and `gridtool volunteers` given the log
credits the round; collecting the sheet again, or a copy with more ticks, never counts it twice.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from exports import write_xlsx
from gridtool.cli import app
from gridtool.config import Settings
from gridtool.domain.volunteers.report import volunteer_report

VOLUNTEER_FILES = ("志愿服务记录.xlsx", "志愿者名册.xlsx", "积分兑换记录.xlsx")


def _deliver(runner, example_dir: Path, tmp_path: Path, ticked: int, name: str) -> Path:
    """张伟's 配送单 with the first `ticked` stops ticked, as handed back (a copy named `name`). The sheet is
    issued once, into the follow-up log `collect` is then given; every copy handed back is of that sheet."""
    issued = tmp_path / "requests" / "配送单_张伟_2026-11-21.xlsx"
    if not issued.exists():
        done = runner.invoke(app, ["requests", str(example_dir / "居民诉求.xlsx"), "--volunteers",
                                   str(example_dir / "志愿者名册.xlsx"), "--out", str(issued.parent), "--now",
                                   "2026-11-21 15:00", "--log", str(tmp_path / "跟进记录.xlsx")])
        assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(issued)
    sheet = book["配送单"]
    tick = [c.value for c in sheet[3]].index("完成(打√)") + 1
    for row in range(4, 4 + ticked):
        sheet.cell(row, tick).value = "√"
    book.save(tmp_path / name)
    return tmp_path / name


def _collect(runner, path: Path, log: Path) -> None:
    done = runner.invoke(app, ["collect", str(path), "--log", str(log)])
    assert done.exit_code == 0, done.output


def _zhang(paths: list[Path], **rules: object) -> tuple[dict, list]:
    result = volunteer_report(paths, Settings(volunteers=rules))
    return next(b.to_dict() for b in result.volunteers if b.name == "张伟"), result.problems


@pytest.fixture
def sheets(example_dir: Path) -> list[Path]:
    return [example_dir / name for name in VOLUNTEER_FILES]


def test_a_collected_round_is_credited_once_however_often_it_is_collected(runner, example_dir: Path, tmp_path: Path,
                                                                          sheets: list[Path]) -> None:
    before, _ = _zhang(sheets)
    assert (before["hours"], before["points"], before["shifts"]) == (7.0, 70.0, 4)
    log = tmp_path / "跟进记录.xlsx"
    _collect(runner, _deliver(runner, example_dir, tmp_path, 3, "张伟交回.xlsx"), log)
    after, problems = _zhang([*sheets, log])
    # 3 stops delivered × 10 minutes = 0.5 h, 送菜 at 10 points an hour
    assert (after["hours"], after["points"], after["balance_points"], after["shifts"]) == (7.5, 75.0, 25.0, 5)
    assert not [p for p in problems if p.file == log.name]
    _collect(runner, tmp_path / "张伟交回.xlsx", log)  # handed back twice
    _collect(runner, _deliver(runner, example_dir, tmp_path, 6, "张伟补交.xlsx"), log)  # a later copy, more ticks
    again, _ = _zhang([*sheets, log])
    assert (again["hours"], again["points"], again["shifts"]) == (8.0, 80.0, 5)
    longer, _ = _zhang([*sheets, log], minutes_per_stop=20, round_service="跑腿")
    assert (longer["hours"], longer["shifts"]) == (9.0, 5)


def test_a_shift_logged_by_hand_for_the_round_is_reported_not_counted(runner, example_dir: Path, tmp_path: Path,
                                                                     sheets: list[Path]) -> None:
    log = tmp_path / "跟进记录.xlsx"
    _collect(runner, _deliver(runner, example_dir, tmp_path, 3, "张伟交回.xlsx"), log)
    by_hand = write_xlsx(tmp_path / "自己填的.xlsx", {"服务记录": [
        ["日期", "志愿者", "服务类型", "时长(小时)", "服务对象"],
        ["2026-11-21", "张伟", "送菜", 2, ""],          # the round again, typed in by the volunteer
        ["2026-11-21", "张伟", "技术帮扶", 1, "赵桂兰"],  # other service that day: counts
    ]})
    zhang, problems = _zhang([*sheets, log, by_hand])
    assert (zhang["hours"], zhang["shifts"]) == (8.5, 6)
    assert [(p.file, p.row, p.type) for p in problems if p.file == by_hand.name] == [
        ("自己填的.xlsx", 2, "volunteer_credited_from_round")]
    assert "已按配送轮次「2026-11-21 张伟 配送单」计入" in next(p.message for p in problems if p.file == by_hand.name)


def test_the_command_takes_the_log_with_the_volunteer_sheets(runner, example_dir: Path, tmp_path: Path,
                                                            sheets: list[Path]) -> None:
    log = tmp_path / "跟进记录.xlsx"
    _collect(runner, _deliver(runner, example_dir, tmp_path, 3, "张伟交回.xlsx"), log)
    done = runner.invoke(app, ["volunteers", *map(str, sheets), str(log), "--out", str(tmp_path / "out"), "--json"])
    assert done.exit_code == 0, done.output
    zhang = next(v for v in json.loads(done.stdout)["volunteers"] if v["name"] == "张伟")
    assert (zhang["hours"], zhang["points"]) == (7.5, 75.0)
    book = openpyxl.load_workbook(tmp_path / "out" / "志愿服务积分.xlsx")
    statement = next(ws for ws in book if ws.title.startswith("张伟"))
    notes = [str(c) for row in statement.iter_rows(values_only=True) for c in row if c]
    assert any("配送轮次 2026-11-21 张伟 配送单" in n for n in notes)


def test_a_log_alone_credits_its_rounds_and_a_bad_rule_is_named(runner, example_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "跟进记录.xlsx"
    _collect(runner, _deliver(runner, example_dir, tmp_path, 2, "张伟交回.xlsx"), log)
    alone, _ = _zhang([log])
    assert (alone["hours"], alone["points"]) == (0.33, 3.33)
    config = tmp_path / "gridtool.toml"
    config.write_text("[volunteers]\nminutes_per_stop = 0\n", encoding="utf-8")
    bad = runner.invoke(app, ["volunteers", str(log), "--config", str(config), "--out", str(tmp_path / "o")])
    assert bad.exit_code == 2
    assert "minutes_per_stop「0」不是有效的值：应为 1 到 240 分钟之间的数字" in bad.stderr
