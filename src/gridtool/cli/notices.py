"""`gridtool notices`: large-print notices for entrances or households, and call scripts (`calls`)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gridtool.cli import show, show_services
from gridtool.cli.app import STATE, handle_errors, read_while_importing
from gridtool.cli.options import Common, FontOption, common_options, output_files
from gridtool.config import TEMPLATE_KEYS, Settings, require_edited
from gridtool.errors import GridtoolError

if TYPE_CHECKING:
    import datetime as dt

    from gridtool.domain.notices.pages import Recipient
    from gridtool.output.notice_files import NoticePage
    from gridtool.output.notice_templates import NoticeTemplate
    from gridtool.output.template_limits import Sandbox

EXAMPLE = """
示例：

  gridtool notices --list

  gridtool notices 打卡提醒 --roster 居民名册.xlsx --only 老人+独居

  gridtool notices 检测安排 --roster 居民名册.xlsx --per 楼栋 --set 时间="11月22日 8:00-11:00" --set 地点=南门广场

  gridtool notices 通知 --roster 居民名册.xlsx --set 标题=停水通知 --body-file 正文.txt --set 时间=明天 --set 地点=全小区

  gridtool calls 打卡记录.xlsx --roster 居民名册.xlsx
"""
# What this process imports while it reads the roster (`read_while_importing`): pandas and the writers.
NOTICE_MODULES = ("gridtool.domain.notices.pages", "gridtool.output.notice_files", "gridtool.output.records")


def parse_sets(items: list[str]) -> dict[str, str]:
    values = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise GridtoolError(f"--set「{item}」的写法不对。", "请写成 --set 字段=值，例如 --set 地点=南门广场。")
        values[key.strip()] = value.strip()
    return values


@handle_errors
@common_options(date=True)
def notices_command(
    template: Annotated[str | None, typer.Argument(metavar="模板名", help="通知模板名（--list 查看）。")] = None,
    listing: Annotated[bool, typer.Option("--list", help="列出自带的通知模板和它们的字段。")] = False,
    template_file: Annotated[Path | None, typer.Option("--template", help="使用自己的模板文件。", dir_okay=False)] = None,
    roster: Annotated[Path | None, typer.Option("--roster", "-r", help="居民名册。", dir_okay=False)] = None,
    checkins: Annotated[list[Path] | None, typer.Option("--checkins", help="打卡表（--only 未打卡 需要）。",
                                                        dir_okay=False)] = None,
    only: Annotated[str | None, typer.Option(
        "--only", metavar="人群", help="只发给：老人、独居、慢性病、未打卡；逗号=或，加号=并且，如 老人+独居。")] = None,
    per: Annotated[str | None, typer.Option(
        "--per", metavar="楼栋|单元|户", help="每栋一张、每单元一张（张贴用），或每户一张。")] = None,
    sets: Annotated[list[str] | None, typer.Option("--set", metavar="字段=值", help="填写模板字段：--set 字段=值（可多次）。")] = None,
    body_file: Annotated[Path | None, typer.Option("--body-file", help="从文本文件读入“正文”。", dir_okay=False)] = None,
    font: FontOption = None,
    *,
    common: Common,
) -> int:
    from gridtool.output.notice_templates import renderers
    from gridtool.output.notice_volumes import WARM
    from gridtool.output.second_process import standby_for

    if listing:
        return _list_templates(common.as_json)
    settings = common.settings()
    if template == "calls":
        from gridtool.cli.calls import run_calls

        return run_calls(settings, checkins or [], roster, font, common)
    chosen = _template(template, template_file, settings)
    extra = _template_values(sets or [], body_file)
    inputs = [path for path in (roster, *(checkins or [])) if path]
    # a big roster: a second process gets ready (imports) for the volumes, and two sandboxed children for the
    # texts, while this one reads
    with collector_paused():
        with show.progress() as step, standby_for(inputs, WARM) as standby, renderers(bool(standby)) as ready:
            read_while_importing(inputs, NOTICE_MODULES)
            from gridtool.domain.notices.pages import choose_recipients
            from gridtool.output.notice_files import NoticesWritten, typst_warming, write_notice_files
            from gridtool.output.records import notices_record

            recipients, skipped, day = choose_recipients(settings, roster, checkins or [], only, per, common.date, step)
            with typst_warming(str(font) if font else None, start=bool(ready)):  # while the texts render
                pages = _pages(chosen, recipients, settings, day, extra, step, ready)
            footer = f"{settings.community} {day.year}年{day.month}月{day.day}日".strip()
            with output_files(settings, checkins, roster, body_file, template_file, font, common.config) as run:
                _, _, pdf_pages = write_notice_files(run, ("通知", chosen.name, day.isoformat()),
                                                     f"{chosen.name} {footer}", footer, pages,
                                                     str(font) if font else None, standby)
        written = NoticesWritten(run.files, pdf_pages, recipients, pages, skipped)
        show.print_json(notices_record(written)) if common.as_json else show_services.show_notices(written)
    return 0


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while the pages are made and reported: a street's 78,768 households are
    millions of small objects that form no cycles, and every full collection walked all of them again (about
    0.8 of this process's CPU-s). What they leave in cycles goes with the process when the run ends. When the
    process ends with the command, they are frozen (left out of every later collection) before the collector runs
    again: its first collection walked them all once more, 0.11 s at the end of the run; a caller that goes on
    has them collected."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if STATE["ends_with_command"]:
                gc.freeze()
            gc.enable()


def _list_templates(as_json: bool) -> int:
    from gridtool.output.notice_templates import builtin_templates

    catalog = builtin_templates()
    show.print_json({n: {"description": t.description, "fields": t.fields, "defaults": t.defaults}
                     for n, t in catalog.items()}) if as_json else show_services.show_templates(catalog)
    return 0


def _template(name: str | None, path: Path | None, settings: Settings) -> NoticeTemplate:
    """The chosen template, once the settings it uses (community, hotline…) are no longer the examples."""
    from gridtool.output.notice_templates import load_template

    if name is None and path is None:
        raise GridtoolError("请给出通知模板名，例如 gridtool notices 打卡提醒。", "用 gridtool notices --list 查看全部模板。")
    chosen = load_template(name, path)
    used = chosen.variables() | {key for _, key in chosen.facts} | {"社区"}
    require_edited(settings, tuple(TEMPLATE_KEYS[k] for k in TEMPLATE_KEYS if k in used))
    return chosen


def _template_values(sets: list[str], body_file: Path | None) -> dict[str, str]:
    """The fields given with --set, and 正文 read from --body-file."""
    from gridtool.output.notice_templates import MAX_BODY_BYTES

    values = parse_sets(sets)
    if body_file:
        from gridtool.table.read import decode_text  # imports pandas: not before the roster is being read

        if body_file.exists() and body_file.stat().st_size > MAX_BODY_BYTES:
            raise GridtoolError(f"正文文件 {body_file.name} 太大（{body_file.stat().st_size // 1024} KB）：一份通知的正文最多约 "
                                f"{MAX_BODY_BYTES // 1024} KB。", "请缩短正文，或分成几份通知。")
        values["正文"] = decode_text(body_file)
    return values


def _pages(chosen: NoticeTemplate, recipients: list[Recipient], settings: Settings, day: dt.date,
           extra: dict[str, str], step: Callable[[str], None], ready: list[Sandbox]) -> list[NoticePage]:
    """Every recipient's notice, rendered (in the children `ready`, if any), once every field it needs is known
    (and a phone to call is there)."""
    from gridtool.domain.notices.pages import check_phones, page_values
    from gridtool.output.notice_files import notice_pages, require_fields
    from gridtool.output.notice_templates import render_notices

    values = page_values(recipients, settings, day, extra)
    require_fields(chosen, values[0])
    if chosen.asks_to_call():
        check_phones(values)
    step("排版通知")
    rendered = render_notices(chosen, values, ready)
    return notice_pages(rendered, recipients, settings.community, day)


def register(app: typer.Typer) -> None:
    app.command("notices", help="大字号通知：张贴到楼栋门口，或按户发给老人、独居、慢性病、未打卡的居民"
                "（电话沟通提纲见 gridtool calls）。超过 500 份时按楼栋分成几个 PDF，每个最多 500 份（一包纸），"
                "HTML 预览只含第一个。\n" + EXAMPLE)(notices_command)
