"""Printable thank-you letters (感谢信) for volunteers: the notices' template engine and large-print PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gridtool.domain.volunteers.report import Balance
from gridtool.output.notice_files import NoticePage, write_notice_files
from gridtool.output.notice_templates import package_text, parse_template, render_notice

if TYPE_CHECKING:
    from gridtool.output.staging import OutputRun

TEMPLATE = "certificates/感谢信.j2"


def certificate_page(rank: int | None, volunteer: Balance, period: str, community: str, day: dt.date) -> NoticePage:
    """One letter: the volunteer's name, what they did in the period, and their place when ranked."""
    template = parse_template("感谢信", package_text(TEMPLATE), "感谢信")
    values = {"姓名": volunteer.name, "统计期": period, "社区": community or "社区",
              "服务次数": f"{volunteer.shifts} 次", "服务时长": f"{volunteer.hours:g} 小时",
              "获得积分": f"{volunteer.points:g} 分", "名次": f"第 {rank} 名" if rank else ""}
    rendered = render_notice(template, values)
    signature = f"{community or '社区居委会'}　{day.year}年{day.month}月{day.day}日"
    return NoticePage(volunteer.name, rendered.title, rendered.body, rendered.facts, signature)


def write_certificates(run: OutputRun, pages: Sequence[NoticePage],
                       font_file: str | None) -> tuple[list[Path], Path, list[int]]:
    """One PDF (and its HTML preview) with a letter per volunteer, in leaderboard order (volumes beyond
    a thousand letters)."""
    return write_notice_files(run, ("志愿者感谢信",), "志愿者感谢信", "志愿者感谢信", list(pages), font_file)
