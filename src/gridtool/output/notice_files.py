"""The printable notices: one PDF with every page in print order (or volumes of it), and an HTML preview."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gridtool.errors import GridtoolError
from gridtool.output import notice_volumes
from gridtool.output.files import write_text
from gridtool.output.messages import render_html
from gridtool.output.notice_shared import share_pages
from gridtool.output.notice_templates import NoticeTemplate, RenderedNotice
from gridtool.output.notice_volumes import LAYOUT, compile_volumes, cut_volumes
from gridtool.output.pdf import find_font
from gridtool.output.staging import OutputRun
from gridtool.table.address import format_address

if TYPE_CHECKING:
    from gridtool.domain.notices.pages import Recipient
    from gridtool.output.second_process import Standby


@dataclass
class NoticePage:
    address: str
    title: str
    body: list[str]
    facts: list[tuple[str, str]]
    signature: str
    pages: int = 1
    extra: dict[str, str] = field(default_factory=dict)
    group: str = ""  # the building as printed (1栋): many notices are cut into PDFs at its changes


@dataclass
class NoticesWritten:
    """What `gridtool notices` wrote: its files (the PDFs, then the HTML preview), each PDF's page count, every
    recipient with its notice, and the residents left out and why."""

    files: list[Path]
    pdf_pages: list[int]
    recipients: list[Recipient]
    pages: list[NoticePage]
    skipped: list[dict[str, str]]


def write_notice_files(run: OutputRun, name: tuple[str, ...], document: str, footer: str, pages: list[NoticePage],
                       font_file: str | None, standby: Standby | None = None) -> tuple[list[Path], Path, list[int]]:
    """(the PDFs, the HTML preview, each PDF's page count); each page's `pages` says how many sheets it took.
    One PDF, or volumes by building when there are many notices (notice_volumes.py), shared out with `standby`."""
    font = find_font(font_file)
    volumes = cut_volumes([p.group for p in pages])
    with tempfile.TemporaryDirectory(prefix="gridtool-") as folder:  # the groups' shared parts (notice_shared.py)
        shared = share_pages(pages, footer, LAYOUT, font, Path(folder))
        notices = shared.pop("notices")
        jobs = [(_pdf_path(run, name, v.label),
                 {"document": document, "footer": footer, **shared, "notices": notices[v.start:v.stop]})
                for v in volumes]
        counts = compile_volumes(jobs, font, folder, standby)
    for page, count in zip(pages, [c for volume in counts for c in volume], strict=True):
        page.pages = count
    shown = pages[volumes[0].start:volumes[0].stop]
    note = "" if len(volumes) == 1 else (
        f"共 {len(pages)} 份通知，按楼栋分成 {len(volumes)} 个 PDF（每个最多 {notice_volumes.VOLUME_NOTICES} 份）。"
        f"这里只预览第一个（{volumes[0].label}）的 {len(shown)} 份，其余的版式相同，只是住址和网格员不同。")
    html = render_html("notice_preview.html.j2", document=document, notices=shown, note=note)
    html_path = write_text(run.path(*name, suffix=".html"), html)
    return [path for path, _ in jobs], html_path, [sum(volume) for volume in counts]


@contextmanager
def typst_warming(font_file: str | None, start: bool = True) -> Iterator[None]:
    """Typst made ready (`notice_volumes.warm_up`) in a thread while this process waits inside the block, for the
    rendered texts: typst lets go of the GIL."""
    thread = threading.Thread(target=notice_volumes.warm_up, args=(font_file,), name="gridtool-typst", daemon=True)
    if start:
        thread.start()
    try:
        yield
    finally:
        if start:
            thread.join()


def _pdf_path(run: OutputRun, name: tuple[str, ...], label: str) -> Path:
    """`通知_打卡提醒_2026-11-21.pdf` for the one PDF; a volume `打卡提醒_1栋至41栋_2026-11-21.pdf`. The volumes of a
    template and day are one set: a rerun moves the earlier ones it did not write again into 已作废/."""
    if len(name) != 3:
        return run.path(*name, *([label] if label else []), suffix=".pdf")
    kind, template, day = name
    run.families.add((template, day, ".pdf"))
    return run.list_path(template, label, day, suffix=".pdf") if label else run.path(kind, template, day, suffix=".pdf")


def notice_pages(rendered: list[RenderedNotice], recipients: list[Recipient], community: str,
                 day: dt.date) -> list[NoticePage]:
    """Each recipient's page: the rendered template, plus the household's own grid worker when the facts lack one.
    A street's households share a few facts blocks and buildings: each is worked out once, not once a page."""
    signature = f"{community or '社区居委会'}　{day.year}年{day.month}月{day.day}日"
    facts_with: dict[tuple[object, ...], list[tuple[str, str]]] = {}
    groups: dict[str, str] = {}
    pages = []
    for notice, recipient in zip(rendered, recipients, strict=True):
        worker = recipient.worker if recipient.kind == "household" else ""
        key: tuple[object, ...] = (*notice.facts, worker, recipient.worker_phone if worker else "")
        facts = facts_with.get(key)
        if facts is None:
            facts = facts_with[key] = list(notice.facts)
            if worker and not any(v == worker for _, v in facts):
                facts.append(("您的网格员", f"{worker} {recipient.worker_phone}".strip()))
        group = groups.get(recipient.building)
        if group is None:
            group = groups[recipient.building] = format_address(recipient.building, "", "")
        pages.append(NoticePage(recipient.address, notice.title, notice.body, list(facts), signature, group=group))
    return pages


def require_fields(template: NoticeTemplate, values: dict[str, str]) -> None:
    """Stop, naming every missing field, before anything is written."""
    missing = template.missing(values)
    if missing:
        hints = "；".join(f"{name}：{template.fields.get(name, '')}" for name in missing)
        raise GridtoolError(f"模板「{template.name}」还缺少字段：{'、'.join(missing)}（{hints}）。",
                            f"请用 --set 补上，例如 --set {missing[0]}=…；以上检查在生成任何文件之前进行。")
