from __future__ import annotations

from pathlib import Path

import pytest

from gridtool.config import Assignment, Settings, default_config_text, load_settings
from gridtool.domain.loop.answers import FOLLOWUP_ANSWERS
from gridtool.errors import GridtoolError


def test_defaults_without_a_file(tmp_path: Path) -> None:
    assert load_settings(env={}, cwd=tmp_path) == Settings()


def test_the_generated_file_loads_as_written(tmp_path: Path) -> None:
    (tmp_path / "gridtool.toml").write_text(default_config_text(), encoding="utf-8")
    settings = load_settings(env={}, cwd=tmp_path)
    assert settings.community == "幸福里社区" and settings.fever_threshold == 37.3 and settings.assignments == ()
    assert settings.answers == FOLLOWUP_ANSWERS and settings.elderly_age == 70 and settings.overdue_hours == 24
    assert settings.psych_hotline and settings.office and settings.workers == {}


def test_order_file_then_environment_then_flags(tmp_path: Path) -> None:
    (tmp_path / "gridtool.toml").write_text(
        'community = "东园社区"\n[checks]\nfever_threshold = 37.5\n[columns]\nname = ["住户"]\n'
        '[[assignments]]\nbuilding = "3"\nunit = "2"\nworker = "李强"\n', encoding="utf-8")
    settings = load_settings(env={"GRIDTOOL_FEVER_THRESHOLD": "37.2"}, cwd=tmp_path)
    assert settings.community == "东园社区" and settings.fever_threshold == 37.2
    assert settings.columns == {"name": ("住户",)}
    assert settings.assignments == (Assignment("3", "李强", "2"),)
    assert settings.with_flags(fever_threshold=37.0, out_dir=None).fever_threshold == 37.0


@pytest.mark.parametrize("text, words", [
    ("community = ", "格式有误"), ('[checks]\nfever_threshold = "高"', "不是有效的值"),
    ('[columns]\nname = "住户"', "列名列表"), ('[[assignments]]\nbuilding = "3"', "以及 worker 或 leader"),
    ('[answers]\n"已补打卡" = "好了"', "应为“办结”或“未办结”"),
])
def test_bad_config_is_explained(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "gridtool.toml").write_text(text, encoding="utf-8")
    with pytest.raises(GridtoolError, match=words):
        load_settings(env={}, cwd=tmp_path)


def test_unquoted_chinese_key_gets_a_precise_hint(tmp_path: Path) -> None:
    (tmp_path / "gridtool.toml").write_text('[workers]\n王芳 = "13800000001"\n', encoding="utf-8")
    with pytest.raises(GridtoolError) as caught:
        load_settings(env={}, cwd=tmp_path)
    assert "第 2 行" in caught.value.hint and '"王芳" = ' in caught.value.hint


def test_named_config_must_exist(tmp_path: Path) -> None:
    with pytest.raises(GridtoolError, match="找不到配置文件"):
        load_settings(tmp_path / "none.toml", env={})
