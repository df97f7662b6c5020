"""The printable notices: one PDF with every page in print order, and an HTML preview of the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gridtool.output.messages import render_html, write_text
from gridtool.output.pdf import compile_pages, find_font, pages_per_notice, write_bytes
from gridtool.output.xlsx import OutputNames


@dataclass
class NoticePage:
    address: str
    title: str
    body: list[str]
    facts: list[tuple[str, str]]
    signature: str
    pages: int = 1
    extra: dict[str, str] = field(default_factory=dict)


def write_notice_files(out_dir: Path, stem: str, document: str, footer: str, pages: list[NoticePage],
                       font_file: str | None, inputs: list[Path]) -> tuple[Path, Path, int]:
    """(pdf, html, total pages); each page's `pages` says how many sheets it took."""
    font = find_font(font_file)
    data = {"document": document, "footer": footer,
            "notices": [{"title": p.title, "body": p.body, "facts": [list(f) for f in p.facts],
                         "signature": p.signature} for p in pages]}
    pdf, starts, total = compile_pages("notice_page.typ", data, font)
    for page, count in zip(pages, pages_per_notice(starts, total), strict=True):
        page.pages = count
    names = OutputNames(out_dir, inputs)
    pdf_path = write_bytes(names.path(stem, suffix=".pdf"), pdf)
    html = render_html("notice_preview.html.j2", document=document, notices=pages)
    html_path = write_text(names.path(stem, suffix=".html"), html)
    return pdf_path, html_path, total
