"""Notice templates: jinja2 files with a TOML header naming their fields and the facts for the boxed block.

Templates run in jinja2's sandbox and every value reaches them as data: a resident's name or a body
file holding `{{ ... }}`, `{% ... %}` or `<script>` is printed as the same text, never evaluated.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

from gridtool.errors import GridtoolError

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


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=False)


def parse_template(name: str, source: str, origin: str) -> NoticeTemplate:
    header = HEADER.match(source)
    try:
        spec = tomllib.loads(header.group(1)) if header else {}
    except tomllib.TOMLDecodeError as exc:
        raise GridtoolError(f"模板 {origin} 开头的 gridtool 说明格式有误：{exc}") from exc
    try:
        _environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise GridtoolError(f"模板 {origin} 第 {exc.lineno} 行有语法错误：{exc.message}",
                            "变量写成 {{ 字段名 }}；标题和正文分别放在 {% block title %} 和 {% block body %} 中。") from exc
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


def render_notice(template: NoticeTemplate, values: dict[str, str]) -> RenderedNotice:
    """Title, body paragraphs and the facts for the boxed block; facts without a value are left out."""
    context = {**template.defaults, **values}
    compiled = _environment().from_string(template.source)
    scope = compiled.new_context(context)
    try:
        title = "".join(compiled.blocks["title"](scope)).strip() if "title" in compiled.blocks else template.name
        text = "".join(compiled.blocks["body"](scope)) if "body" in compiled.blocks else compiled.render(context)
    except jinja2.UndefinedError as exc:
        raise GridtoolError(f"模板 {template.name} 缺少字段：{exc.message}", "请用 --set 字段=值 提供。") from exc
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    facts = [(label, str(context.get(key, ""))) for label, key in template.facts]
    return RenderedNotice(title, paragraphs, [(k, v) for k, v in facts if v.strip()])


def render_blocks(source: str, values: dict[str, Any], blocks: tuple[str, ...]) -> dict[str, str]:
    """Each named block of a template rendered on its own, in the sandbox."""
    compiled = _environment().from_string(source)
    scope = compiled.new_context(values)
    return {name: "".join(compiled.blocks[name](scope)).strip() for name in blocks}


def package_text(name: str) -> str:
    return files("gridtool").joinpath(f"templates/{name}").read_text(encoding="utf-8")
