"""Ready-to-paste texts, rendered from the templates shipped in the package."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from gridtool.output.files import write_text

if TYPE_CHECKING:
    import datetime as dt

    from gridtool.config import Settings
    from gridtool.domain.checkins.messages import GroupReminder
    from gridtool.output.staging import OutputRun


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Templates from gridtool/templates. Plain text is not HTML-escaped: values are printed, never run."""
    return jinja2.Environment(loader=jinja2.PackageLoader("gridtool", "templates"), autoescape=False,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def render(template: str, **values: Any) -> str:
    return environment().get_template(template).render(**values)


@lru_cache(maxsize=1)
def html_environment() -> jinja2.Environment:
    """For HTML: every value escaped, so `<script>` in a name is shown, not run."""
    return jinja2.Environment(loader=jinja2.PackageLoader("gridtool", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def render_html(template: str, **values: Any) -> str:
    return html_environment().get_template(template).render(**values)


def group_messages(reminders: Iterable[GroupReminder], day: str, settings: Settings) -> list[str]:
    return [render("wechat_group.txt.j2", community=settings.community, building=r.building, day=day,
                   entries=r.entries, deadline=settings.deadline, hotline=settings.hotline, worker=r.worker)
            for r in reminders]


def write_group_messages(run: OutputRun, groups: dict[str, list[GroupReminder]], day: dt.date,
                         settings: Settings) -> list[Path]:
    """One text file per building group (named by the run's allocator, which knows every input);
    the message is preceded by the group it is for."""
    written = []
    label = f"{day.month}月{day.day}日"
    for owner, found in groups.items():
        texts = group_messages(found, label, settings)
        body = "\n".join(f"———— 发到 {r.building}栋 楼栋群 ————\n{text}" for r, text in zip(found, texts, strict=True))
        path = run.list_path("群消息", owner, day.isoformat(), suffix=".txt")
        written.append(write_text(path, body))
    return written
