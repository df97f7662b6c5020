"""`gridtool volunteers` from the command line: the JSON contract, the files written, thank-you letters, errors."""

from __future__ import annotations

import json
from pathlib import Path

from gridtool.cli import app
from gridtool.config import Settings
from gridtool.domain.volunteers.report import volunteer_report


def test_json_is_the_domain_result(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["volunteers", str(example_dir), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    expected = volunteer_report([example_dir], Settings())
    assert record["volunteers"] == [b.to_dict() for b in expected.volunteers]
    assert record["volunteers"][0] == {"name": "张伟", "hours": 7.0, "points": 70.0, "redeemed_points": 50.0,
                                       "redeemed_hours": 2.0, "balance_points": 20.0, "balance_hours": 5.0,
                                       "group": "跑腿组", "building": "1栋", "shifts": 4}
    assert [(p["file"], p["row"]) for p in record["problems"]][:3] == [
        ("志愿服务记录.xlsx", 8), ("志愿服务记录.xlsx", 30), ("志愿服务记录.xlsx", 31)]
    assert record["files"] == [str(tmp_path / "志愿服务积分.xlsx")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["志愿服务积分.xlsx"]


def test_summary_and_thank_you_letters_for_the_top_volunteers(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["volunteers", str(example_dir), "--out", str(tmp_path), "--top", "2",
                                 "--from", "2026-11-16", "--to", "11月22日"])
    assert result.exit_code == 0, result.output
    assert "志愿服务积分（2026-11-16 至 2026-11-22）：志愿者 8 人" in result.stdout
    assert "数据问题 12 处" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["志愿服务积分.xlsx", "志愿者感谢信.html", "志愿者感谢信.pdf"]
    from pypdf import PdfReader

    pages = PdfReader(tmp_path / "志愿者感谢信.pdf").pages
    assert len(pages) == 2
    text = pages[0].extract_text()
    assert "周欣怡" in text and "2026年11月16日至11月22日" in text and "第 1 名" in text


def test_letters_for_everyone_over_a_threshold(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["volunteers", str(example_dir), "--out", str(tmp_path), "--min-hours", "9", "--json"])
    from pypdf import PdfReader

    assert result.exit_code == 0, result.output
    pages = PdfReader(tmp_path / "志愿者感谢信.pdf").pages
    assert [next(n for n in ("周欣怡", "吴建国", "王磊") if n in p.extract_text()) for p in pages] == \
        ["周欣怡", "吴建国", "王磊"]  # 16 h (9 h on one day capped to 8), 14.5 h, 9.5 h


def test_no_volunteer_sheet_names_what_was_found(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["volunteers", str(example_dir / "志愿者名册.xlsx"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert ("志愿者名册.xlsx：没有找到志愿服务记录、积分兑换记录或收回了配送单的跟进记录。"
            "读到的是：志愿者名册.xlsx「志愿者名册」是志愿者名册。") in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_period_ending_before_it_starts(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["volunteers", str(example_dir), "--from", "2026-11-20", "--to", "2026-11-01"])
    assert result.exit_code == 2
    assert "--from 2026-11-20 晚于 --to 2026-11-01" in result.stderr


def test_a_mistake_in_the_rules_stops_with_the_key(example_dir: Path, tmp_path: Path, runner) -> None:
    config = tmp_path / "gridtool.toml"
    config.write_text("[volunteers.multipliers]\nnight = 0\n", encoding="utf-8")
    result = runner.invoke(app, ["volunteers", str(example_dir), "--config", str(config), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (f"错误：配置文件 {config} 的 [volunteers].multipliers 的 night（夜间倍数）"
                                             "「0」不是有效的值：应为 0.1 到 10 倍之间的数字。")


def test_letter_options_out_of_range(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["volunteers", str(example_dir), "--top", "0", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "错误：--top「0」不是有效的值：应为 1 到 10000 名之间的整数。"
    result = runner.invoke(app, ["volunteers", str(example_dir), "--min-hours", "nan", "--out", str(tmp_path)])
    assert result.stderr.splitlines()[0] == "错误：--min-hours「nan」不是有效的值：应为 0 到 10000 小时之间的数字。"
    assert not list(tmp_path.iterdir())
