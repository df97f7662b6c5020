"""The printable notices: one PDF with every page in print order, and an HTML preview of the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gridtool.errors import GridtoolError
from gridtool.output.files import write_bytes, write_text
from gridtool.output.messages import render_html
from gridtool.output.notice_templates import NoticeTemplate, RenderedNotice
from gridtool.output.pdf import compile_notices, find_font
from gridtool.output.staging import OutputRun

if TYPE_CHECKING:
    from gridtool.domain.notices.pages import Recipient


@dataclass
class NoticePage:
    address: str
    title: str
    body: list[str]
    facts: list[tuple[str, str]]
    signature: str
    pages: int = 1
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class NoticesWritten:
    """What `gridtool notices` wrote: its files, their page count, every recipient with its notice, and the
    residents left out and why."""

    files: list[Path]
    total: int
    recipients: list[Recipient]
    pages: list[NoticePage]
    skipped: list[dict[str, str]]


def write_notice_files(run: OutputRun, name: tuple[str, ...], document: str, footer: str, pages: list[NoticePage],
                       font_file: str | None) -> tuple[Path, Path, int]:
    """(pdf, html, total pages); each page's `pages` says how many sheets it took."""
    font = find_font(font_file)
    data = {"document": document, "footer": footer,
            "notices": [{"title": p.title, "body": p.body, "facts": [list(f) for f in p.facts],
                         "signature": p.signature} for p in pages]}
    pdf, counts = compile_notices("notice_page.typ", data, font)
    for page, count in zip(pages, counts, strict=True):
        page.pages = count
    total = sum(counts)
    pdf_path = write_bytes(run.path(*name, suffix=".pdf"), pdf)
    html = render_html("notice_preview.html.j2", document=document, notices=pages)
    html_path = write_text(run.path(*name, suffix=".html"), html)
    return pdf_path, html_path, total


def notice_page(rendered: RenderedNotice, recipient: Recipient, community: str, day: dt.date) -> NoticePage:
    """One page: the rendered template, plus the household's own grid worker when the facts lack one."""
    facts = list(rendered.facts)
    if recipient.kind == "household" and recipient.worker and not any(v == recipient.worker for _, v in facts):
        facts.append(("您的网格员", f"{recipient.worker} {recipient.worker_phone}".strip()))
    signature = f"{community or '社区居委会'}　{day.year}年{day.month}月{day.day}日"
    return NoticePage(recipient.address, rendered.title, rendered.body, facts, signature)


def require_fields(template: NoticeTemplate, values: dict[str, str]) -> None:
    """Stop, naming every missing field, before anything is written."""
    missing = template.missing(values)
    if missing:
        hints = "；".join(f"{name}：{template.fields.get(name, '')}" for name in missing)
        raise GridtoolError(f"模板「{template.name}」还缺少字段：{'、'.join(missing)}（{hints}）。",
                            f"请用 --set 补上，例如 --set {missing[0]}=…；以上检查在生成任何文件之前进行。")
