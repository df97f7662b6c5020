"""Hostile notice templates and bodies: refused with the template line, within a time and memory budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports import write_xlsx
from hostile.conftest import assert_handled, run_gridtool
from test_notices import CONFIG, ROSTER

HEAD = '{#- gridtool\ndescription = "测试"\n-#}\n'


def _notices(tmp_path: Path, *extra: str | Path):
    config = tmp_path / "gridtool.toml"
    config.write_text(CONFIG, encoding="utf-8")
    roster = write_xlsx(tmp_path / "名册.xlsx", {"名册": ROSTER})
    return run_gridtool("notices", "--roster", roster, "--config", config, "--out", tmp_path / "out", "--per", "楼栋",
                        *extra)


def _template(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "我的模板.j2"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, message", [
    ("{{ ''.__class__ }}", "模板 我的模板.j2 第4行：不允许访问 __class__。"),
    ("正文\n{{ 社区.__class__.__mro__ }}", "模板 我的模板.j2 第5行：不允许访问 __mro__。"),
    ("{{ cycler.__init__.__globals__ }}", "模板 我的模板.j2 第4行：不允许访问 __globals__。"),
    ("{{ 社区['__class__'] }}", "模板 我的模板.j2 第4行：不允许访问 __class__。"),
    ('\n{% include "/etc/passwd" %}', "模板 我的模板.j2 第5行：不允许引用其他文件（include、extends、import）。"),
    ('{% extends "通知.j2" %}', "模板 我的模板.j2 第4行：不允许引用其他文件（include、extends、import）。"),
    ('{% import "x.j2" as x %}', "模板 我的模板.j2 第4行：不允许引用其他文件（include、extends、import）。"),
    ('\n\n{{ "x" * 2000000000 }}', "模板 我的模板 第6行：生成的文字超过 200000 字。"),
    ('{{ ("x" * 100000) + ("y" * 100001) }}', "模板 我的模板 第4行：生成的文字超过 200000 字。"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "模板 我的模板 第4行：循环超过 1000000 次。"),
    ("{{ 10 ** 100000000 }}", "模板 我的模板 第4行：乘方太大。"),
    ('\n{{ "x"|center(2000000000) }}', "模板 我的模板 第5行：数字超过 200000。"),
    ("{{ 1 / 0 }}", "模板 我的模板 第4行：无法计算这一行的表达式。"),
])
def test_hostile_templates_are_refused_naming_the_line(tmp_path: Path, body: str, message: str) -> None:
    run = _notices(tmp_path, "--template", _template(tmp_path, body))
    assert_handled(run, codes=(2,))
    assert run.stderr.splitlines()[0] == f"错误：{message}"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("body", [
    '{% set s = "x" * 100000 %}{% for a in s %}{% for b in s %}.{% endfor %}{% endfor %}',  # ten billion turns
    '{{ "x".center(2000000000) }}',                                                         # a 2-GB string
    '{{ "{:>2000000000}".format(1) }}',
])
def test_runaway_templates_stop_within_the_budget(tmp_path: Path, body: str) -> None:
    run = _notices(tmp_path, "--template", _template(tmp_path, body))
    assert_handled(run, codes=(2,))
    assert run.seconds < 30, run.seconds  # the harness holds memory under 2 GB
    first = run.stderr.splitlines()[0]
    assert first.startswith("错误：模板 我的模板") and ("秒" in first or "内存" in first or "太大" in first), first


def test_a_broken_toml_header_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "坏说明.j2"
    path.write_text('{#- gridtool\ndescription = "测试"\nfields = [不对\n-#}\n正文', encoding="utf-8")
    run = _notices(tmp_path, "--template", path)
    assert_handled(run, codes=(2,))
    assert run.stderr.splitlines()[0] == "错误：模板 坏说明.j2 第3行（开头的 gridtool 说明）格式有误：「fields = [不对」。"


def test_a_huge_body_file_is_refused_before_reading(tmp_path: Path) -> None:
    body = tmp_path / "正文.txt"
    body.write_text("停水通知。" * 700_000, encoding="utf-8")  # 3.5 million characters, about 10 MB
    run = _notices(tmp_path, "通知", "--set", "标题=停水", "--set", "时间=明天", "--set", "地点=全小区",
                   "--body-file", body)
    assert_handled(run, codes=(2,))
    assert run.stderr.splitlines()[0] == "错误：正文文件 正文.txt 太大（10253 KB）：一份通知的正文最多约 64 KB。"


def test_a_long_body_is_refused_with_its_length(tmp_path: Path) -> None:
    body = tmp_path / "正文.txt"
    body.write_text("请大家注意。" * 2000, encoding="utf-8")  # 12 000 characters, 36 KB
    run = _notices(tmp_path, "通知", "--set", "标题=停水", "--set", "时间=明天", "--set", "地点=全小区",
                   "--body-file", body)
    assert_handled(run, codes=(2,))
    assert run.stderr.splitlines()[0].startswith("错误：通知「停水」太长：")
    assert "一份通知最多 6000 字" in run.stderr


@pytest.mark.parametrize("body, reason", [
    ("{% if 社区 %}没有结束", "模板在中途结束：有 {% … %} 没有写对应的结束标记（{% endif %}）"),
    ("\n{{ 社区 }", "括号或 {{ }}、{% %} 没有成对"),
    ("{% 通知 %}", "有不认识的 {% … %} 标记"),
    ("{{ 社区 时间 }}", "{{ }} 或 {% %} 里的写法不对"),
    ("{{ $ }}", "有不能用在 {{ }} 或 {% %} 里的字符"),
])
def test_a_template_syntax_error_is_explained_in_chinese(tmp_path: Path, body: str, reason: str) -> None:
    run = _notices(tmp_path, "--template", _template(tmp_path, body))
    assert_handled(run, codes=(2,))
    line = 5 if body.startswith("\n") else 4
    assert run.stderr.splitlines()[0] == f"错误：模板 我的模板.j2 第 {line} 行有语法错误：{reason}。"


def test_many_notices_render_in_two_children_in_order_and_within_the_budget(monkeypatch) -> None:
    """Above SPLIT_NOTICES the pages render in two sandboxed children side by side: the notices come back in
    page order, a failure in either half is the same message, and the time budget holds for both."""
    from gridtool.errors import GridtoolError
    from gridtool.output import notice_templates
    from gridtool.output.notice_templates import parse_template, render_notices

    monkeypatch.setattr(notice_templates, "SPLIT_NOTICES", 3)
    template = parse_template("t", "{% block title %}通知{% endblock %}{% block body %}{{ 称呼 }}：\n请打卡。{% endblock %}", "t")
    values = [{"称呼": f"{n}栋"} for n in range(7)]
    assert [n.body for n in render_notices(template, values)] == [[f"{n}栋：", "请打卡。"] for n in range(7)]
    failing = parse_template("t", "{% block body %}{{ 称呼 }}{{ 1 // (称呼 != '6栋') }}{% endblock %}", "t")
    with pytest.raises(GridtoolError) as caught:  # the last page, in the second child
        render_notices(failing, values)
    assert caught.value.message.startswith("模板 t 第") and caught.value.message.endswith("无法计算这一行的表达式。")
    runaway = parse_template("t", '{{ "x".center(2000000000) }}', "t")
    with pytest.raises(GridtoolError) as caught:
        render_notices(runaway, values)
    assert caught.value.message.startswith("模板 t ") and ("秒" in caught.value.message or "内存" in caught.value.message
                                                         or "太大" in caught.value.message)


def test_children_started_ahead_render_the_same_within_the_budget(monkeypatch) -> None:
    """The sandboxed children started while the roster is read (`renderers`) give the same notices in page
    order, the same message for a failing page, stop a runaway template within the budget, and a child given no
    work ends with the block."""
    from gridtool.errors import GridtoolError
    from gridtool.output import notice_templates
    from gridtool.output.notice_templates import parse_template, render_notices, renderers

    monkeypatch.setattr(notice_templates, "SPLIT_NOTICES", 3)
    template = parse_template("t", "{% block title %}通知{% endblock %}{% block body %}{{ 称呼 }}：\n请打卡。{% endblock %}", "t")
    values = [{"称呼": f"{n}栋"} for n in range(7)]
    with renderers(True) as ready:
        assert len(ready) == 2 and all(sandbox.process.is_alive() for sandbox in ready)
        assert [n.body for n in render_notices(template, values, ready)] == [[f"{n}栋：", "请打卡。"] for n in range(7)]
    assert not any(sandbox.process.is_alive() for sandbox in ready)
    failing = parse_template("t", "{% block body %}{{ 称呼 }}{{ 1 // (称呼 != '6栋') }}{% endblock %}", "t")
    with renderers(True) as ready, pytest.raises(GridtoolError) as caught:
        render_notices(failing, values, ready)
    assert caught.value.message.startswith("模板 t 第") and caught.value.message.endswith("无法计算这一行的表达式。")
    runaway = parse_template("t", '{{ "x".center(2000000000) }}', "t")
    with renderers(True) as ready, pytest.raises(GridtoolError) as caught:
        render_notices(runaway, values, ready)
    assert caught.value.message.startswith("模板 t ") and ("秒" in caught.value.message or "内存" in caught.value.message
                                                         or "太大" in caught.value.message)
    with renderers(True) as ready:  # a few notices: one child renders them, the other is given nothing
        assert [n.body for n in render_notices(template, values[:2], ready)] == [["0栋：", "请打卡。"], ["1栋：", "请打卡。"]]
        idle = ready[1].process
        assert idle.is_alive()
    assert not idle.is_alive()
    with renderers(False) as ready:
        assert ready == []
