"""Notice templates: jinja2 files with a TOML header naming their fields and the facts for the boxed block.

Templates run in jinja2's sandbox and every value reaches them as data: a resident's name or a body
file holding `{{ ... }}`, `{% ... %}` or `<script>` is printed as the same text, never evaluated.
What a template may do and the budget it renders in are in template_limits.py.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.exceptions import SecurityError

from gridtool.config import toml_error_line
from gridtool.errors import GridtoolError
from gridtool.output.template_limits import (
    Sandbox,
    check_source,
    environment,
    sandboxes,
    template_line,
    within_budget_each,
)

MAX_NOTICE_CHARS = 6_000  # one notice's title and body: about a dozen pages at 22 pt
MAX_BODY_BYTES = 64 * 1024  # a --body-file larger than this cannot fit in one notice

HEADER = re.compile(r"\A\s*\{#-?\s*gridtool\s*\n(.*?)-?#\}", re.S)


@dataclass
class NoticeTemplate:
    name: str
    source: str
    description: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    facts: list[tuple[str, str]] = field(default_factory=list)

    def variables(self) -> set[str]:
        """Every name the template's text uses."""
        return set(meta.find_undeclared_variables(_environment().parse(self.source)))

    def asks_to_call(self) -> bool:
        """Whether the notice asks residents to phone (then every page needs a number)."""
        return "电话" in self.source or "网格员电话" in self.variables() | {key for _, key in self.facts}

    def missing(self, values: dict[str, str]) -> list[str]:
        """Declared fields and names the text uses that have no value (a fact without one is left out)."""
        needed = set(self.fields) | self.variables()
        known = {k for k, v in values.items() if v != ""} | set(self.defaults)
        return sorted(needed - known)


def _environment() -> jinja2.Environment:
    return environment()


def parse_template(name: str, source: str, origin: str) -> NoticeTemplate:
    header = HEADER.match(source)
    try:
        spec = tomllib.loads(header.group(1)) if header else {}
    except tomllib.TOMLDecodeError as exc:
        assert header is not None
        number, line = toml_error_line(exc, header.group(1))
        number += source[:header.start(1)].count("\n")
        raise GridtoolError(f"模板 {origin} 第{number}行（开头的 gridtool 说明）格式有误：「{line}」。",
                            "说明部分每行写成 名称 = 值，文字两边加英文双引号。") from exc
    try:
        tree = _environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise GridtoolError(f"模板 {origin} 第 {exc.lineno} 行有语法错误：{syntax_reason(exc.message or '')}。",
                            "变量写成 {{ 字段名 }}；标题和正文分别放在 {% block title %} 和 {% block body %} 中。") from exc
    check_source(tree, origin)
    return NoticeTemplate(name, source, str(spec.get("description", "")),
                          {str(k): str(v) for k, v in spec.get("fields", {}).items()},
                          {str(k): str(v) for k, v in spec.get("defaults", {}).items()},
                          [(str(label), str(key)) for label, key in spec.get("facts", [])])


def builtin_templates() -> dict[str, NoticeTemplate]:
    folder = files("gridtool").joinpath("templates/notices")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".j2"):
            name = entry.name[:-3]
            found[name] = parse_template(name, entry.read_text(encoding="utf-8"), name)
    return found


def load_template(name: str | None, path: Path | None) -> NoticeTemplate:
    """A shipped template by name, or a user's own file (--template)."""
    if path is not None:
        if not path.exists():
            raise GridtoolError(f"找不到模板文件：{path}")
        return parse_template(path.stem, path.read_text(encoding="utf-8-sig"), path.name)
    catalog = builtin_templates()
    if name not in catalog:
        raise GridtoolError(f"没有名为「{name}」的通知模板。", f"可用的模板：{'、'.join(catalog)}（gridtool notices --list 查看说明）。")
    return catalog[name]


@dataclass
class RenderedNotice:
    title: str
    body: list[str]
    facts: list[tuple[str, str]]


SPLIT_NOTICES = 10_000  # more notices than this render in two child processes side by side


@contextmanager
def renderers(started: bool) -> Iterator[list[Sandbox]]:
    """When `started` (a big roster, two cores), the two sandboxed children that will render the pages, started
    now: they import the renderer while the roster is read, and start on the pages as soon as they are given."""
    if not started:
        yield []
        return
    with sandboxes(2, (__name__,)) as ready:
        yield ready


def render_notices(template: NoticeTemplate, values: list[dict[str, str]],
                   ready: Sequence[Sandbox] = ()) -> list[RenderedNotice]:
    """Every page's notice, rendered in a child process within the time and memory budget (many notices: in
    two, each with half the pages, on both cores); in the children `ready` when there are (`renderers`)."""
    halves = 2 if len(values) > SPLIT_NOTICES and (os.cpu_count() or 1) > 1 else 1
    size = -(-len(values) // halves)
    parts = [(template, values[start:start + size]) for start in range(0, len(values), size)] or [(template, [])]
    rendered: list[list[Rendered]] = within_budget_each(_render_all, parts, template.name, ready)
    return [RenderedNotice(title, body, list(facts)) for part in rendered for title, body, facts in part]


Rendered = tuple[str, list[str], tuple[tuple[str, str], ...]]


def _render_all(template: NoticeTemplate, values: list[dict[str, str]]) -> list[Rendered]:
    """The notices as plain tuples, every text that repeats (a title, a paragraph, the facts) as one object: they
    go back to the parent pickled, and pickle writes an object it has seen as a reference (a street's 78,768
    household notices as dataclasses, each text its own copy: 29 MB and 1.4 s to send back and read)."""
    compiled = _environment().from_string(template.source)  # its code is named TEMPLATE_NAME: errors name a line
    seen: dict[Any, Any] = {}
    one = seen.setdefault
    rendered = []
    for page in values:
        notice = render_notice(template, page, compiled)
        facts = tuple((one(label, label), one(value, value)) for label, value in notice.facts)
        rendered.append((one(notice.title, notice.title), [one(p, p) for p in notice.body], one(facts, facts)))
    return rendered


def render_notice(template: NoticeTemplate, values: dict[str, str], compiled: Any = None) -> RenderedNotice:
    """Title, body paragraphs and the facts for the boxed block; facts without a value are left out."""
    context = {**template.defaults, **values}
    compiled = compiled or _environment().from_string(template.source)
    scope = compiled.new_context(context)
    try:
        title = "".join(compiled.blocks["title"](scope)).strip() if "title" in compiled.blocks else template.name
        text = "".join(compiled.blocks["body"](scope)) if "body" in compiled.blocks else compiled.render(context)
    except jinja2.UndefinedError as exc:
        missing = re.search(r"'([^']+)' is undefined", exc.message or "")
        raise GridtoolError(f"模板 {template.name} 缺少字段{f'：{missing.group(1)}' if missing else ''}。",
                            "请用 --set 字段=值 提供。") from exc
    except Exception as exc:  # a hostile or broken template: name its line, never crash
        raise GridtoolError(f"模板 {template.name} 第{template_line(exc) or '?'}行：{_reason(exc)}。") from None
    if len(title) + len(text) > MAX_NOTICE_CHARS:
        raise GridtoolError(f"通知「{title[:20]}」太长：{len(title) + len(text)} 字，一份通知最多 {MAX_NOTICE_CHARS} 字"
                            "（约十几页）。", "请缩短正文（--body-file），或分成几份通知。")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    facts = [(label, str(context.get(key, ""))) for label, key in template.facts]
    return RenderedNotice(title, paragraphs, [(k, v) for k, v in facts if v.strip()])


def render_blocks(source: str, values: dict[str, Any], blocks: tuple[str, ...]) -> dict[str, str]:
    """Each named block of a template rendered on its own, in the sandbox."""
    compiled = _environment().from_string(source)
    scope = compiled.new_context(values)
    return {name: "".join(compiled.blocks[name](scope)).strip() for name in blocks}


# jinja2's syntax messages (English) by what they begin with, in the words a template author knows
SYNTAX_REASONS = (
    ("unexpected end of template", "模板在中途结束：有 {% … %} 没有写对应的结束标记"),
    ("encountered unknown tag", "有不认识的 {% … %} 标记"),
    ("unexpected char", "有不能用在 {{ }} 或 {% %} 里的字符"),
    ("unexpected", "括号或 {{ }}、{% %} 没有成对"),
    ("expected token", "{{ }} 或 {% %} 里的写法不对"),
    ("block", "{% block %} 的写法不对（名字重复或没有名字）"),
)


def syntax_reason(message: str) -> str:
    """Why jinja2 could not read a template, in Chinese."""
    lowered = message.lower()
    reason = next((reason for start, reason in SYNTAX_REASONS if start in lowered), "写法不对")
    block = re.search(r"block that needs to be closed is '(\w+)'", message)
    return reason + (f"（{{% end{block.group(1)} %}}）" if block else "")


def _reason(error: Exception) -> str:
    """Why a template failed, in Chinese."""
    if isinstance(error, SecurityError):
        found = re.search(r"attribute '([^']+)'", str(error))
        return f"不允许访问 {found.group(1)}" if found else "不允许这样的操作"
    if isinstance(error, jinja2.TemplateError) and error.message and not error.message.isascii():
        return error.message
    if isinstance(error, MemoryError | OverflowError):
        return "生成的内容太大"
    return "无法计算这一行的表达式"


def package_text(name: str) -> str:
    return files("gridtool").joinpath(f"templates/{name}").read_text(encoding="utf-8")
