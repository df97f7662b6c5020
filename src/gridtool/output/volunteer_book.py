"""志愿服务积分.xlsx: balances, leaderboard, group and building totals, problems, the rules in effect, and
a statement sheet per volunteer listing every entry that makes the balance.

Every figure on the balances, leaderboard and totals sheets is a live formula over the statement rows
(with its value cached for viewers that do not recalculate), so a corrected statement row updates them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from gridtool.domain.volunteers.ledger import SERVICE, Entry
from gridtool.domain.volunteers.report import UNREGISTERED, Balance, VolunteerResult
from gridtool.output.sheet_names import quoted, unique_sheet_names
from gridtool.output.xlsx import Column, Styles, atomic_workbook, print_setup, write_table, write_value
from gridtool.table.values import name_key

FIXED_SHEETS = ("余额", "排行榜", "分组汇总", "问题", "规则")
BALANCE_HEADERS = ["姓名", "组别", "所在楼栋", "服务次数", "服务小时", "获得积分", "已兑换积分", "已兑换小时",
                   "积分余额", "小时余额", "明细页"]
STATEMENT_HEADERS = ["日期", "事项", "内容", "服务小时", "获得积分", "兑换积分", "兑换小时", "说明", "来源"]
TOP = 3  # header row (0-based) of the balances and statement sheets; data from Excel row TOP + 2
NUMBER_HEADERS = {"服务小时", "获得积分", "兑换积分", "兑换小时"}
KIND_WORDS = {SERVICE: "服务", "redemption": "兑换"}


class Book:
    """The workbook's formats and the statement sheet of each volunteer."""

    def __init__(self, book: Workbook, result: VolunteerResult) -> None:
        self.book, self.result = book, result
        self.styles = Styles(book, font_size=12)
        self.date = book.add_format({"font_name": "宋体", "font_size": 12, "border": 1, "num_format": "yyyy-mm-dd"})
        self.link = book.add_format({"font_name": "宋体", "font_size": 12, "border": 1, "font_color": "blue",
                                     "underline": 1})
        names = [b.name for b in result.volunteers if statement_of(result, b)]
        self.sheets = dict(zip(names, unique_sheet_names(names, FIXED_SHEETS), strict=True))

    def formula(self, sheet: Worksheet, row: int, col: int, formula: str, value: float, whole: bool = False) -> None:
        sheet.write_formula(row, col, formula, self.styles.integer if whole else self.styles.number, round(value, 2))


def statement_of(result: VolunteerResult, balance: Balance) -> list[Entry]:
    return result.statements.get(name_key(balance.name), [])


def write_volunteer_book(path: Path, title: str, result: VolunteerResult) -> None:
    with atomic_workbook(path) as workbook:
        book = Book(workbook, result)
        ranges = {}
        balances = workbook.add_worksheet("余额")
        for sheet in ("排行榜", "分组汇总", "问题", "规则"):
            workbook.add_worksheet(sheet)
        for item in result.volunteers:
            if item.name in book.sheets:
                ranges[item.name] = _statement(book, book.sheets[item.name], item, statement_of(result, item))
        rows = _balances(book, balances, title, ranges)
        _leaderboard(book, workbook.get_worksheet_by_name("排行榜"), rows)
        _totals(book, workbook.get_worksheet_by_name("分组汇总"), rows)
        _problems(book, workbook.get_worksheet_by_name("问题"))
        _rules(book, workbook.get_worksheet_by_name("规则"))


def _statement(book: Book, name: str, balance: Balance, entries: list[Entry]) -> tuple[int, int]:
    """The volunteer's entries, a totals row and the two balances; returns the entry rows (Excel numbers)."""
    styles = book.styles
    sheet = book.book.add_worksheet(name)
    write_value(sheet, 0, 0, f"{balance.name} 志愿服务明细", styles.title)
    sheet.write_string(1, 0, "积分余额 = 获得积分合计 − 兑换积分合计；小时余额 = 服务小时合计 − 兑换小时合计。",
                       styles.note)
    columns = [Column(h, number_format="0.0" if h in NUMBER_HEADERS else None) for h in STATEMENT_HEADERS]
    write_table(sheet, styles, TOP, columns, [
        ["", KIND_WORDS[e.kind], e.what, e.hours or None, e.points or None, e.redeemed_points or None,
         e.redeemed_hours or None, e.note, e.origin.place] for e in entries])
    for offset, entry in enumerate(entries, 1):
        sheet.write_datetime(TOP + offset, 0, dt.datetime.combine(entry.date, dt.time()), book.date)
    first, last = TOP + 2, TOP + 1 + len(entries)
    total = TOP + 1 + len(entries)
    sheet.write_string(total, 0, "合计", styles.total)
    sums = {c: sum(getattr(e, f) for e in entries) for c, f in
            zip("DEFG", ("hours", "points", "redeemed_points", "redeemed_hours"), strict=True)}
    for col, letter in enumerate("DEFG", 3):
        book.formula(sheet, total, col, f"=SUM({letter}{first}:{letter}{last})", sums[letter])
    sheet.write_string(total + 1, 0, "积分余额", styles.total)
    book.formula(sheet, total + 1, 4, f"=E{total + 1}-F{total + 1}", sums["E"] - sums["F"])
    sheet.write_string(total + 2, 0, "小时余额", styles.total)
    book.formula(sheet, total + 2, 3, f"=D{total + 1}-G{total + 1}", sums["D"] - sums["G"])
    sheet.set_column(0, 0, 12)
    print_setup(sheet, TOP, landscape=True, header=f"{balance.name} 志愿服务明细")
    return first, last


def _balances(book: Book, sheet: Worksheet, title: str, ranges: dict[str, tuple[int, int]]) -> list[int]:
    """One row per volunteer; returns each volunteer's Excel row, in the order of `result.volunteers`."""
    styles, result = book.styles, book.result
    write_value(sheet, 0, 0, title, styles.title)
    sheet.write_string(1, 0, f"统计期：{result.period.label()}。服务和兑换按统计期计，余额按统计期末计；"
                             "点“明细页”看每一笔。", styles.note)
    figures = [[b.shifts, b.hours, b.points, b.redeemed_points, b.redeemed_hours, b.balance_points, b.balance_hours]
               for b in result.volunteers]
    rows = [[b.name, b.group or UNREGISTERED, b.building or UNREGISTERED, *numbers, ""]
            for b, numbers in zip(result.volunteers, figures, strict=True)]
    write_table(sheet, styles, TOP, [Column(h) for h in BALANCE_HEADERS], rows)
    excel_rows = []
    for index, item in enumerate(result.volunteers):
        row = TOP + 1 + index
        excel_rows.append(row + 1)
        if item.name in ranges:
            _balance_formulas(book, sheet, row, item, book.sheets[item.name], ranges[item.name])
    total = TOP + 1 + len(result.volunteers)
    sheet.write_string(total, 0, "合计", styles.total)
    for col in range(3, 10):
        letter = "DEFGHIJ"[col - 3]
        value = sum(numbers[col - 3] for numbers in figures)
        book.formula(sheet, total, col, f"=SUM({letter}{TOP + 2}:{letter}{total})", value, whole=col == 3)
    print_setup(sheet, TOP, landscape=True, header=title)
    return excel_rows


def _balance_formulas(book: Book, sheet: Worksheet, row: int, item: Balance, name: str,
                      span: tuple[int, int]) -> None:
    ref = quoted(name)

    def column(letter: str) -> str:
        return f"{ref}!${letter}${span[0]}:${letter}${span[1]}"

    start = book.result.period.start
    since = f',{column("A")},">="&DATE({start.year},{start.month},{start.day})' if start else ""

    def period(letter: str) -> str:
        return f"SUMIFS({column(letter)}{since})" if start else f"SUM({column(letter)})"

    book.formula(sheet, row, 3, f'=COUNTIFS({column("B")},"服务"{since})', item.shifts, whole=True)
    for col, letter, value in ((4, "D", item.hours), (5, "E", item.points), (6, "F", item.redeemed_points),
                               (7, "G", item.redeemed_hours)):
        book.formula(sheet, row, col, f"={period(letter)}", value)
    book.formula(sheet, row, 8, f'=SUM({column("E")})-SUM({column("F")})', item.balance_points)
    book.formula(sheet, row, 9, f'=SUM({column("D")})-SUM({column("G")})', item.balance_hours)
    sheet.write_url(row, 10, f"internal:{ref}!A1", book.link, name)


def _leaderboard(book: Book, sheet: Worksheet, rows: list[int]) -> None:
    styles, result = book.styles, book.result
    sheet.write_string(0, 0, f"志愿服务排行榜（{result.period.label()}）", styles.title)
    sheet.write_string(1, 0, "按统计期内获得的积分排名，积分相同时按服务小时；积分和小时都相同的并列。", styles.note)
    where = {b.name: r for b, r in zip(result.volunteers, rows, strict=True)}
    places = result.leaderboard
    write_table(sheet, styles, TOP, [Column(h) for h in ("名次", "姓名", "组别", "所在楼栋", "服务小时", "获得积分")],
                [[rank, b.name, b.group, b.building, b.hours, b.points] for rank, b in places])
    for offset, (_, item) in enumerate(places, 1):
        book.formula(sheet, TOP + offset, 4, f"='余额'!E{where[item.name]}", item.hours)
        book.formula(sheet, TOP + offset, 5, f"='余额'!F{where[item.name]}", item.points)
    print_setup(sheet, TOP)


def _totals(book: Book, sheet: Worksheet, rows: list[int]) -> None:
    """Volunteers, hours and points per group, then per building, summed from the balances sheet."""
    styles, result = book.styles, book.result
    sheet.write_string(0, 0, f"按组别、按楼栋汇总（{result.period.label()}）", styles.title)
    first, last = (rows[0], rows[-1]) if rows else (TOP + 2, TOP + 2)
    top = 2
    for by, key_col, label in (("group", "B", "组别"), ("building", "C", "所在楼栋")):
        groups = result.totals(by)
        write_table(sheet, styles, top, [Column(h) for h in (label, "人数", "服务小时", "获得积分")],
                    [[g[by], g["volunteers"], g["hours"], g["points"]] for g in groups])
        for offset, group in enumerate(groups, 1):
            match = f"('余额'!${key_col}${first}:${key_col}${last}=$A${top + offset + 1})"
            sheet.write_formula(top + offset, 1, f"=SUMPRODUCT(--{match})", styles.cell, group["volunteers"])
            for col, letter, field in ((2, "E", "hours"), (3, "F", "points")):
                book.formula(sheet, top + offset, col, f"=SUMPRODUCT({match}*('余额'!${letter}${first}:${letter}${last}))",
                             group[field])
        top += len(groups) + 3
    print_setup(sheet, 2)


def _problems(book: Book, sheet: Worksheet) -> None:
    problems = book.result.problems
    sheet.write_string(0, 0, f"需要核对的记录 {len(problems)} 条：以下各行未计入任何合计，改正原表后重新运行即可计入。",
                       book.styles.note)
    write_table(sheet, book.styles, 2, [Column(h) for h in ("文件", "工作表", "行", "志愿者", "问题")],
                [[p.file, p.sheet, p.row, p.item, p.message] for p in problems])
    print_setup(sheet, 2, landscape=True)


def _rules(book: Book, sheet: Worksheet) -> None:
    rules = book.result.rules
    rows: list[list[object]] = [["每小时积分（未单独设置的服务类型）", rules.points_per_hour]]
    rows += [[f"每小时积分：{service}", rate] for service, rate in rules.service_points.items()]
    rows += [[f"夜间（{rules.night_start:%H:%M}–{rules.night_end:%H:%M}）倍数", rules.night],
             ["周末倍数", rules.weekend], ["紧急配送倍数", rules.urgent],
             ["每人每天最多计入小时（0 为不限）", rules.daily_cap_hours],
             ["时间银行小时可由登记的家属使用", "是" if rules.transfer_to_family else "否"]]
    write_table(sheet, book.styles, 0, [Column("规则"), Column("值")], rows)
