"""What the terminal shows for the community's services: stock, notices and calls, resident requests,
volunteers and the dashboard. The shared consoles, tables and problem lists live in cli/show.py."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.table import Table

from gridtool.cli.show import ELSEWHERE, TABLE_ROWS, console, escape, rate_text, show_problems

if TYPE_CHECKING:
    from gridtool.domain.dashboard.figures import DashboardResult
    from gridtool.domain.notices.calls import CallList
    from gridtool.domain.requests.report import RequestResult
    from gridtool.domain.stock.report import StockReport
    from gridtool.domain.volunteers.report import VolunteerResult
    from gridtool.output.notice_files import NoticesWritten
    from gridtool.output.notice_templates import NoticeTemplate


STATUS_STYLES = {"out_of_stock": "bold red", "below_threshold": "red", "running_low": "dark_orange", "ok": "green"}


def show_stock(report: StockReport, path: Path) -> None:
    from gridtool.domain.stock.levels import STATUS_LABELS

    result, allocation, plan = report.levels, report.allocation, report.plan

    def number(value: float | None) -> str:
        return "" if value is None or value != value else f"{value:g}"

    view = Table(title=f"物资库存 {result.date:%Y年%m月%d日}", title_justify="left", box=box.SIMPLE_HEAD,
                 collapse_padding=True, pad_edge=False)
    for header in ("物资", "库存", "预警值", "日均消耗", "可用天数", "到货天数", "状态", "建议采购"):
        # headers and figures are never cut ("日均消…"); a long item name wraps in its own column instead
        view.add_column(header, justify="left" if header in ("物资", "状态") else "right",
                        no_wrap=header != "物资", min_width=cell_len(header), overflow="fold")
    for item in result.items.to_dict("records"):
        style = STATUS_STYLES[item["status"]]
        view.add_row(escape(f"{item['item']}{item['spec'] and '（' + item['spec'] + '）'}"), number(item["stock"]),
                     number(item["threshold"]), number(item["daily_use"]), number(item["days_left"]),
                     number(item["lead_time"]), f"[{style}]{STATUS_LABELS[item['status']]}[/]", number(item["reorder"]))
    console.print(view)
    if allocation is not None and len(allocation):
        behind = allocation[allocation["below"]]
        for row in behind.to_dict("records"):
            console.print(f"[yellow]分配偏少：{escape(str(row['building']))}栋 {escape(str(row['item']))} 每户 {row['per_household']:g}，"
                          f"为全社区平均的 {row['share'] * 100:.0f}%[/]")
    if plan is not None:
        console.print("分配方案：" + escape("，".join(f"{r['building']}栋 {r['planned']}" for r in plan.to_dict("records"))))
    for first, second in result.duplicates:
        console.print(f"[yellow]可能是同一物资的不同写法：{escape(first)} / {escape(second)}（未合并，请统一名称）[/]")
    show_problems(result.problems, where=f"{path.name}“问题”页")
    console.print(f"已写入 {escape(str(path))}")


def show_calls(calls: CallList, files: list[Path]) -> None:
    console.print(f"[bold]电话沟通提纲[/]：{len(calls.calls)} 位居民，"
                  + escape("，".join(f"{w} {n} 位" for w, n in calls.by_worker().items())))
    show_problems(calls.problems, where=ELSEWHERE)
    for path in files:
        console.print(f"  {escape(str(path))}")


def show_templates(catalog: dict[str, NoticeTemplate]) -> None:
    for name, template in catalog.items():
        console.print(f"[bold]{escape(name)}[/]：{escape(template.description)}")
        for field, help_text in template.fields.items():
            default = template.defaults.get(field)
            console.print(escape(f"    {field}：{help_text}" + (f"（默认：{default}）" if default else "")))
    console.print("模板里还可以用：社区、热线、办公地址、称呼、住址、楼栋、单元、网格员、网格员电话、日期、截止时间、心理援助热线。")


def show_notices(written: NoticesWritten) -> None:
    console.print(f"[bold]生成通知 {len(written.pages)} 份[/]，共 {sum(written.pdf_pages)} 页。")
    for page in written.pages:
        if page.pages > 1:
            console.print(f"[yellow]{escape(page.address or page.title)} 的通知超过一页（{page.pages} 页），"
                          "未缩小字号，已续到下一页。[/]")
    for item in written.skipped[:20]:
        console.print(escape(f"  跳过 {item['name']} {item['address']}：{item['reason']}"))
    from gridtool.output.notice_volumes import VOLUME_NOTICES

    pdfs, rest = written.files[:len(written.pdf_pages)], written.files[len(written.pdf_pages):]
    if len(pdfs) > 3:  # volumes by building: the first and the last name stand for the rest
        console.print(f"已写入 {len(pdfs)} 个 PDF（按楼栋分册，每个最多 {VOLUME_NOTICES} 份）：{escape(str(pdfs[0]))} …… "
                      f"{escape(pdfs[-1].name)}；HTML 预览只含第一册。")
        pdfs = []
    for path in [*pdfs, *rest]:
        console.print(f"已写入 {escape(str(path))}")


DASHBOARD_FIGURES = {"residents": "居民", "rate": "打卡率", "missing": "未打卡", "fever": "发热", "urgent": "高热",
                     "below_threshold": "物资低于预警", "done_yesterday": "昨日办结"}


def show_dashboard(result: DashboardResult, files: list[Path], browser_missing: bool = False) -> None:
    figures = []
    for key, label in DASHBOARD_FIGURES.items():
        if key in result.headline:
            value = result.headline[key]
            figures.append(f"{label} {'—' if value is None else rate_text(value) if key == 'rate' else value}")
    console.print(f"[bold]{result.date:%Y年%m月%d日} 指挥看板[/]：" + escape("，".join(figures)))
    worst = result.buildings.sort_values("value", ascending=False).head(3)
    if len(worst) and worst["value"].iloc[0] > 0:
        console.print("需要关注的楼栋：" + escape("、".join(f"{b}栋" for b in worst["building"][worst["value"] > 0])))
    optional = (("stock", "物资"), ("followup", "跟进完成情况"), ("requests", "居民诉求"))
    left_out = [name for key, name in optional if key not in result.sections]
    if left_out:
        console.print(escape(f"没有找到{'、'.join(left_out)}的表格，看板上不显示这些部分。"))
    if browser_missing:
        console.print("[yellow]没有找到 Chrome、Edge 或 Chromium 浏览器，未生成图片；安装其中之一后再加 --png。[/]")
    show_problems(result.problems, where=ELSEWHERE)
    console.print(f"已写入 {len(files)} 个文件：")
    for path in files:
        console.print(f"  {escape(str(path))}")


def show_volunteers(result: VolunteerResult, files: list[Path]) -> None:
    """The leaderboard (first 30), totals per group, the problems, and the files written."""
    served = [b for b in result.volunteers if b.hours]
    console.print(f"[bold]志愿服务积分[/]（{escape(result.period.label())}）：志愿者 {len(result.volunteers)} 人，"
                  f"有服务记录 {len(served)} 人，服务 {sum(b.hours for b in served):g} 小时，"
                  f"获得积分 {sum(b.points for b in served):g}。")
    if not result.roster_given:
        console.print("[yellow]没有提供志愿者名册：不核对姓名，时间银行小时只能本人使用。[/]")
    view = Table(title="排行榜" + (f"（前 {TABLE_ROWS} 名）" if len(result.leaderboard) > TABLE_ROWS else ""),
                 title_justify="left")
    for header in ("名次", "姓名", "组别", "服务小时", "获得积分", "积分余额", "小时余额"):
        view.add_column(header, justify="left" if header in ("姓名", "组别") else "right")
    for rank, item in result.leaderboard[:TABLE_ROWS]:
        view.add_row(str(rank), escape(item.name), escape(item.group), f"{item.hours:g}", f"{item.points:g}",
                     f"{item.balance_points:g}", f"{item.balance_hours:g}")
    console.print(view)
    groups = "，".join(f"{escape(g['group'])} {g['hours']:g} 小时" for g in result.totals("group"))
    console.print(f"按组别：{groups}")
    show_problems(result.problems, where=f"{files[0].name}“问题”页")
    for path in files:
        console.print(f"已写入 {escape(str(path))}")


ATTENTION_ROWS = 20


def _hours(value: float | None) -> str:
    return "—" if value != value or value is None else f"{value:.1f}"


def show_requests(result: RequestResult, files: list[Path], out_dir: Path, log: Path) -> None:
    """Urgent and overdue requests first, then the hot topics, time to close, the rounds, the files and the
    follow-up log the 配送单 were entered in."""
    frame = result.requests
    still = frame[frame["status"] != "closed"]
    console.print(f"[bold]{result.now:%Y年%m月%d日 %H:%M} 居民诉求 {len(frame)} 条[/]：未办结 {len(still)}"
                  f"（[red]紧急 {int(still['urgent'].sum())}[/]，[yellow]超时 {int(still['overdue'].sum())}[/]），"
                  f"已办结 {len(frame) - len(still)}。")
    hot = result.attention
    if len(hot):
        table = Table(title=f"先处理：紧急和超时的诉求（{len(hot)} 条" + ("，前 20 条" if len(hot) > ATTENTION_ROWS else "")
                      + "）", title_justify="left")
        for header in ("", "已等(小时)", "姓名", "住址", "类别", "诉求"):
            table.add_column(header)
        for r in hot.head(ATTENTION_ROWS).itertuples():
            mark = "[red]急[/]" if r.urgent else ""
            mark += (" " if mark else "") + "[yellow]超时[/]" if r.overdue else ""
            table.add_row(mark, _hours(r.waited_hours), escape(r.name), escape(f"{r.building}-{r.unit}-{r.room}"),
                          escape(r.category), escape(r.text[:30]))
        console.print(table)
    _show_topics(result)
    if result.rounds:
        console.print(f"配送：{len(result.rounds)} 轮，共 {sum(r.size for r in result.rounds)} 户。")
        for r in result.rounds[:10]:
            who = r.volunteer.name if r.volunteer else "未分配"
            urgent = f"（[red]急 {r.urgent}[/]）" if r.urgent else ""
            console.print(f"  第{r.number}轮 {escape(who)}：{'、'.join(b + '栋' for b in r.buildings)} "
                          f"{r.size} 户{urgent}")
    other = result.other
    if len(other):
        sample = "；".join(other["text"].head(5).map(lambda t: t[:20]))
        console.print(f"未归类（其他）{len(other)} 条，如：{escape(sample)}。可在 gridtool.toml 的 "
                      + escape("[requests.categories]") + " 中补充关键词。")
    show_problems(result.problems, where="诉求汇总“数据问题”页")
    console.print(f"已写入 {len(files)} 个文件到 {escape(str(out_dir))}：")
    for path in files:
        console.print(f"  {escape(path.name)}")
    if result.rounds:
        console.print(f"配送单已登记到 {escape(str(log))}：收回配送单时用同一份跟进记录"
                      f"（gridtool collect --log {escape(str(log))}）；旁边的 {escape(log.name)}.key 不要删除、不要外发。")


def _show_topics(result: RequestResult) -> None:
    days = list(result.by_day.index)
    last = days[-1] if days else None
    table = Table(title="热点问题（按类别）", title_justify="left")
    headers = ["类别", "合计", "未办结", "紧急", "超时"] + ([f"{last[5:7]}月{last[8:]}日"] if last else [])
    headers += (["较前一天"] if len(days) >= 2 else []) + ["办结用时(小时)"]
    for header in headers:
        table.add_column(header, justify="left" if header == "类别" else "right")
    closing = result.close_by_category.set_index("category")
    for item in result.by_category.to_dict("records"):
        name = item["category"]
        today = [str(int(result.by_day.at[last, name]))] if last else []
        change = [f"{int(result.day_change.at[last, name]):+d}"] if len(days) >= 2 else []
        spent = f"中位{_hours(closing.at[name, 'median_hours'])} 最长{_hours(closing.at[name, 'worst_hours'])}" \
            if name in closing.index else "—"
        table.add_row(escape(name), *(str(item[k]) for k in ("total", "open", "urgent", "overdue")),
                      *today, *change, spent)
    console.print(table)
