"""Everything the terminal shows: summaries as rich tables, progress while reading, JSON output."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.table import Table

from gridtool.table.invisible import shown

if TYPE_CHECKING:
    import pandas as pd

    from gridtool.domain.checkins.followups import FollowupResult
    from gridtool.domain.findings import Finding
    from gridtool.domain.inspect import CheckReport
    from gridtool.domain.loop.collect import CollectResult
    from gridtool.domain.loop.tasks import TaskResult
    from gridtool.output.records import Record

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def escape(text: str) -> str:
    """Text from a file or a setting as the terminal shows it: never markup, a hidden character (U+202E …)
    as its marker `〔U+202E〕` (gridtool.table.invisible), so nothing reorders or hides what staff read."""
    return escape_markup(shown(text))


def report_error(message: str, hint: str = "") -> None:
    """An input mistake on stderr: what is wrong, then how to fix it."""
    err_console.print(f"[bold red]错误：[/]{escape(message)}", highlight=False)
    if hint.strip():
        err_console.print(f"[yellow]提示：[/]{escape(hint.strip())}", highlight=False)


def show_retired(retired: list[Path], stale: list[Path]) -> None:
    """On stderr, so --json output stays one object: earlier lists of the same day this run replaced."""
    if retired:
        folder = retired[0].parent
        err_console.print(f"[yellow]注意：[/]上次为同一天写的 {len(retired)} 个文件这次没有重写（对应的人或楼栋今天没有"
                          f"这类待办），已移到 {escape(str(folder))}，请勿再转发：")
        for path in retired:
            err_console.print(f"  {escape(path.name)}")
    if stale:
        err_console.print("[yellow]注意：[/]下列文件是上次为同一天写的、这次没有重写，但无法移走（可能正在被打开），"
                          "请关闭后手动删除，勿再转发：")
        for path in stale:
            err_console.print(f"  {escape(str(path))}")


@contextmanager
def progress(enabled: bool = True) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr naming the current step; the domain calls the function it is given."""
    if not enabled or not err_console.is_terminal:
        yield lambda message: None
        return
    with err_console.status("准备中…", spinner="dots") as status:
        yield lambda message: status.update(f"{message}…")


def print_json(record: Record) -> None:
    print(json_text(record))


def json_text(record: Record) -> str:
    # no indent: the C encoder is ten times faster on a district's 20k flagged residents
    return json.dumps(record, ensure_ascii=False, default=str)


_NO_FILES = ', "files": []}'


def with_files(text: str, files: Sequence[Path]) -> str:
    """The JSON text of a record whose last field, "files", was made empty (the text was made while the
    files were still being written), with the files put in."""
    if not text.endswith(_NO_FILES):
        raise ValueError("the record's last field is not an empty files list")
    return f'{text[:-len(_NO_FILES)]}, "files": {json.dumps([str(f) for f in files], ensure_ascii=False)}}}'


def rate_text(value: float) -> str:
    return f"{value * 100:.1f}%"


TABLE_ROWS = 30


def count_table(title: str, table: pd.DataFrame, key: str, label: str) -> Table:
    """Counts per worker or building; a district's long list shows the lowest check-in rates first."""
    if len(table) > TABLE_ROWS:
        title = f"{title}（打卡率最低的 {TABLE_ROWS} 个，共 {len(table)} 个，完整数字见汇总表）"
        table = table.sort_values(["rate", key]).head(TABLE_ROWS)
    view = Table(title=title, title_justify="left")
    for header in (label, "居民", "免打卡", "已打卡", "未打卡", "发热", "症状", "打卡率"):
        view.add_column(header, justify="left" if header == label else "right")
    for item in table.to_dict("records"):
        rate = rate_text(item["rate"])
        style = "red" if item["rate"] < 0.9 else ""
        view.add_row(escape(str(item[key]) or "（未填）"), *(str(item[c]) for c in
                     ("residents", "exempt", "checked_in", "missing", "fever", "symptoms")),
                     f"[{style}]{rate}[/]" if style else rate)
    return view


def show_followups(result: FollowupResult, files: list[Path], out_dir: Path) -> None:
    counts = result.counts
    active = counts["residents"] - counts["exempt"]
    rate = counts["checked_in"] / active if active else 0.0
    console.print(f"[bold]{result.date:%Y年%m月%d日} 健康打卡[/]（数据含 {len(result.days)} 天）")
    console.print(
        f"居民 {counts['residents']} 人，免打卡 {counts['exempt']}，已打卡 {counts['checked_in']}（{rate_text(rate)}），"
        f"[yellow]未打卡 {counts['missing']}[/]，[red]发热 {counts['fever']}[/]（高热 {counts['urgent']}），"
        f"有症状 {counts['symptoms']}，体温填写有误 {counts['bad_temperature']}。"
    )
    console.print(f"需要跟进：[bold]{counts['flagged']}[/] 人" +
                  (f"，其中今天已办结 {counts['resolved']} 人（不再发出）" if counts.get("resolved") else ""))
    if result.previous:
        from gridtool.domain.checkins.daystatus import CHANGE_LABELS

        parts = [f"{CHANGE_LABELS[code]} {len(table)}" for code, table in result.changes_by_kind().items()]
        console.print(f"较{result.previous:%m月%d日}：" + "，".join(parts) + "。")
    show_carried(result)
    console.print(count_table("按网格员", result.by_worker, "worker", "网格员"))
    console.print(count_table("按楼栋", result.by_building, "building", "楼栋"))
    doubtful = [n for n in result.notes if n.kind in ("doubtful", "not_on_roster")]
    matched = [n for n in result.notes if n.kind == "matched"]
    if matched or doubtful:
        console.print(f"名册核对：自动匹配 {len(matched)} 条（已注明原因），"
                      f"[yellow]需人工核对或不在名册 {len(doubtful)} 条[/]，见汇总表的“核对”页。")
    hidden = [n for n in result.notes if n.kind == "superseded"]
    if hidden:
        console.print(f"[yellow]注意：{len(hidden)} 人当天较早的提交报告了发热或症状，最后一次提交没有；"
                      "已按最后一次计，请在汇总表的“核对”页核实。[/]")
    unassigned = result.by_worker[result.by_worker["worker"] == "未分配"]
    if len(unassigned):
        console.print(f"[yellow]注意：{int(unassigned['residents'].iloc[0])} 位居民没有对应的网格员，"
                      "已放入“未分配”文件；可在名册或 gridtool.toml 的 " + escape("[[assignments]]") + " 中指定。[/]")
    show_problems(result.problems)
    console.print(f"已写入 {len(files)} 个文件到 {escape(str(out_dir))}：")
    for path in files:
        console.print(f"  {escape(path.name)}")


def show_carried(result: FollowupResult) -> None:
    """What the log added to today's lists: leftovers, the overdue, the unassigned, or that all is done."""
    if result.log is not None and result.handout.empty:
        console.print("[green]今天的事项已全部办结，没有需要发出的待跟进。[/]")
    if not len(result.carried):
        return
    overdue = int(result.carried["overdue"].sum())
    console.print(f"[yellow]之前未办结 {len(result.carried)} 项，已带到今天的待跟进表上"
                  + (f"，其中 [red]超时 {overdue} 项[/]，已排在表的最前面" if overdue else "") + "。[/]")
    unassigned = int((result.carried["worker"].isin(("", "未分配"))).sum())
    if unassigned:
        console.print(f"[yellow]其中 {unassigned} 项没有对应的网格员，已放入“未分配”文件。[/]")


# where the full list is for a command that reads the check-ins but writes no problem sheet of its own
ELSEWHERE = "gridtool followups 对同一份打卡表写出的汇总表“数据问题”页，或 --json 输出"


def show_problems(problems: Sequence[Finding], limit: int = 10, where: str = "汇总表“数据问题”页") -> None:
    if not problems:
        return
    shown = min(limit, len(problems))
    console.print(f"[yellow]数据问题 {len(problems)} 处[/]（前 {shown} 处如下，全部见{escape(where)}）：")
    for item in problems[:limit]:
        console.print(f"  {escape(item.place)}：{escape(item.message)}")


def show_check(report: CheckReport) -> None:
    for source in report.sources:
        where = escape(source.where)
        if source.kind == "skipped":
            console.print(f"[yellow]{where}：没有找到表头，已跳过[/]")
            continue
        rows = f"{source.header_first}-{source.header_row}" if source.header_first else source.header_row
        shape = f"表头在第 {rows} 行，数据 {source.rows} 行" if source.header_row is not None \
            else "这一页不当作输入读取"
        console.print(f"[bold]{where}[/]：{report.kind_labels[source.kind]}，{shape}")
        view = Table(show_header=True)
        view.add_column("识别为")
        view.add_column("列")
        for field, column in source.columns.items():
            view.add_row(escape(field), escape(column))
        console.print(view)
        unmapped = report.unmapped.get((source.file, source.sheet), [])
        if unmapped:
            console.print(f"  未使用的列：{escape('、'.join(unmapped))}")
    show_problems(report.problems, limit=30)
    if not report.problems:
        console.print("[green]所有值都能识别。[/]")


def show_collect(result: CollectResult, log_path: Path) -> None:
    batch = result.batch
    done = int(batch["closed"].astype(bool).sum())
    console.print(f"[bold]收回 {len(result.files)} 个文件[/]（{'、'.join(result.dates)}）：新增 {result.added} 项，"
                  f"更新 {result.updated} 项。")
    rate = done / len(batch) if len(batch) else 0.0
    overdue = int(result.open_items["overdue"].sum())
    console.print(f"共 {len(batch)} 项，已办结 {done}（{rate_text(rate)}），未办结 {len(batch) - done}，"
                  f"[red]超时 {overdue}[/]。")
    for title, table, key, label in (("按网格员", result.by_worker, "worker", "网格员"),
                                     ("按楼栋", result.by_building, "building", "楼栋")):
        view = Table(title=title, title_justify="left")
        for header in (label, "总数", "已办结", "未办结", "超时", "完成率"):
            view.add_column(header, justify="left" if header == label else "right")
        for item in table.to_dict("records"):
            view.add_row(escape(str(item[key])), *(str(item[c]) for c in ("total", "done", "open", "overdue")),
                         rate_text(item["rate"]))
        console.print(view)
    if len(result.open_items):
        console.print("未办结（前 10 项）：")
        for item in result.open_items.head(10).to_dict("records"):
            late = "[red]超时[/] " if item["overdue"] else ""
            console.print(f"  {late}" + escape(f"{item['worker']} {item['name']} {item['building']}栋{item['room']} "
                                                  f"{item['reason']} {item['answer'] or '（未填）'}"))
    if result.conflicts:
        console.print(f"[yellow]同一事项收到不同结果 {len(result.conflicts)} 处[/]（以跟进时间较晚的为准，"
                      f"没有时间时以较新的文件为准；全部见{escape(log_path.name)}“冲突”页）：")
        for item in result.conflicts[:10]:
            console.print("  " + escape(f"{item['name']} {item['room']}：采用「{item['kept']}」（{item['kept_from']}），"
                                        f"未采用「{item['other']}」（{item['other_from']}）"))
    show_problems(result.problems, limit=20, where=f"{log_path.name}“本次问题”页")
    console.print(f"已更新跟进记录：{escape(str(log_path))}")


def show_tasks(result: TaskResult, files: list[Path], out_dir: Path, log: Path) -> None:
    console.print(f"[bold]{result.date:%Y年%m月%d日} 楼栋任务单[/]：{len(result.buildings)} 份")
    view = Table(show_header=True)
    for header in ("楼栋", "楼栋长", "网格员", "跟进", "诉求", "通知", "合计"):
        view.add_column(header, justify="left" if header in ("楼栋", "楼栋长", "网格员") else "right")
    for task in result.buildings:
        view.add_row(escape(task.label), escape(task.leader) if task.leader else "[yellow]（未指定）[/]", escape(task.worker),
                     *(str(task.count(k)) for k in ("followup", "request", "notice")), str(len(task.items)))
    console.print(view)
    if any(not task.leader for task in result.buildings):
        console.print("[yellow]有楼栋没有指定楼栋长：可在名册加“楼栋长”列，"
                      "或用 --assignments 分工表（楼栋、楼栋长、电话）。[/]")
    show_problems(result.problems, where=ELSEWHERE)
    console.print(f"已写入 {len(files)} 个文件到 {escape(str(out_dir))}：")
    for path in files:
        console.print(f"  {escape(path.name)}")
    console.print(f"发出的事项已登记到 {escape(str(log))}：收回楼栋任务单时用同一份跟进记录"
                  f"（gridtool collect --log {escape(str(log))}）；旁边的 {escape(log.name)}.key 不要删除、不要外发。")
