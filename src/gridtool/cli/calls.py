"""`gridtool notices calls`: call scripts per grid worker (共情倾听 → 清晰解释 → 提供方案)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.markup import escape

from gridtool.cli import show
from gridtool.config import Settings
from gridtool.domain.answers import answer_list
from gridtool.domain.calls import call_list
from gridtool.domain.followups import followups
from gridtool.errors import GridtoolError
from gridtool.output.call_files import write_call_files
from gridtool.output.todo_sheets import Heading


def run_calls(settings: Settings, checkins: list[Path], roster: Path | None, date: dt.date | None,
              font: Path | None, as_json: bool) -> int:
    if not checkins:
        raise GridtoolError("电话沟通提纲需要今天的打卡表：请用 --checkins 给出。")
    with show.progress() as step:
        result = followups(checkins, settings, date, roster, None, step)
        calls = call_list(result.handout, result.people, result.date, settings)
        step("生成电话沟通提纲")
        files = write_call_files(settings.out_dir, calls, Heading(settings.community, result.date), settings,
                                 answer_list(settings), str(font) if font else None,
                                 [*checkins, *(p for p in (roster,) if p)])
    record = {"date": result.date.isoformat(), "calls": int(len(calls)),
              "by_worker": {str(w): int(n) for w, n in calls.groupby("worker").size().items()},
              "files": [str(f) for f in files]}
    if as_json:
        show.print_json(record)
    else:
        show.console.print(f"[bold]电话沟通提纲[/]：{record['calls']} 位居民，"
                           + escape("，".join(f"{w} {n} 位" for w, n in record["by_worker"].items())))
        for path in files:
            show.console.print(f"  {escape(str(path))}")
    return 0
