"""库存预警.xlsx: one row per item whose status, days left and reorder are live formulas (with cached
values), coloured by conditional formatting, so a stock figure typed in Excel or WPS recolours the row."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from gridtool.domain.stock.levels import STATUS_LABELS
from gridtool.domain.stock.report import StockReport
from gridtool.output.xlsx import Column, Styles, atomic_workbook, print_setup, write_table, write_value

HEADERS = ["物资名称", "规格", "单位", "当前库存", "预警值", "日均消耗", "可用天数", "到货天数", "每箱数量", "状态",
           "建议采购"]
TOP = 3  # header row (0-based); items start on Excel row TOP + 2
COLOURS = {"red": ("#FFC7CE", "#9C0006"), "orange": ("#FFE0B2", "#8A4B00"), "green": ("#C6EFCE", "#006100")}


def status_formula(row: int) -> str:
    d, e, g, h = (f"{c}{row}" for c in "DEGH")
    return (f'=IF({d}<=0,"缺货",IF(AND(ISNUMBER({e}),{d}<{e}),"低于预警",'
            f'IF(AND(ISNUMBER({g}),{g}<{h}),"即将不足","正常")))')


def reorder_formula(row: int, cover_days: float) -> str:
    d, e, f, h, i = (f"{c}{row}" for c in "DEFHI")
    pack = f"IF(AND(ISNUMBER({i}),{i}>0),{i},1)"
    by_use = f"ROUNDUP(ROUND(MAX(0,{f}*({h}+{cover_days:g})-{d}),6)/{pack},0)*{pack}"
    by_threshold = f"ROUNDUP(MAX(0,{e}-{d})/{pack},0)*{pack}"
    return f'=IF(ISNUMBER({f}),{by_use},IF(ISNUMBER({e}),{by_threshold},""))'


def _number(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def write_stock_book(path: Path, title: str, report: StockReport, cover_days: float) -> None:
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=12)
        _levels_sheet(book, styles, title, report.levels.items, cover_days)
        if report.allocation is not None:  # only when households were given (--roster)
            _table_sheet(book, styles, "分配", ["物资", "楼栋", "户数", "领取数量", "每户", "占平均", "偏少"],
                         report.allocation,
                         ["item", "building", "households", "quantity", "per_household", "share", "below"])
        if report.plan is not None:
            _table_sheet(book, styles, "分配方案", ["楼栋", "户数", "已领取", "本次分配", "分配后每户"], report.plan,
                         ["building", "households", "received", "planned", "per_household_after"])
        _table_sheet(book, styles, "可能重复", ["物资名称", "另一写法"],
                     pd.DataFrame(report.levels.duplicates, columns=["a", "b"]), ["a", "b"])
        problems = pd.DataFrame([p.to_dict() for p in report.levels.problems],
                                columns=["file", "sheet", "row", "column", "item", "message"])
        _table_sheet(book, styles, "问题", ["文件", "工作表", "单元格", "物资", "说明"],
                     problems.assign(cell=problems["column"].astype(str) + problems["row"].astype(str)),
                     ["file", "sheet", "cell", "item", "message"])


def _levels_sheet(book: Workbook, styles: Styles, title: str, items: pd.DataFrame, cover_days: float) -> None:
    """One row per item: the figures as numbers, days left, status and reorder as formulas with cached values."""
    sheet = book.add_worksheet("库存预警")
    write_value(sheet, 0, 0, title, styles.title)
    sheet.write_string(1, 0, "红色：缺货或低于预警值；橙色：可用天数少于到货天数；绿色：正常。"
                             "修改“当前库存”等数字后，状态、颜色和建议采购会自动更新。", styles.note)
    write_table(sheet, styles, TOP, [Column(h) for h in HEADERS], [])
    for index, item in enumerate(items.to_dict("records")):
        row, excel = TOP + 1 + index, TOP + 2 + index
        for col, field in enumerate(("item", "spec", "unit_of")):
            write_value(sheet, row, col, item[field] or "", styles.cell)
        for col, field in ((3, "stock"), (4, "threshold"), (5, "daily_use"), (7, "lead_time"), (8, "pack")):
            write_value(sheet, row, col, _number(item[field]), styles.input if col == 3 else styles.cell)
        days = _number(item["days_left"])
        sheet.write_formula(row, 6, f'=IF(AND(ISNUMBER(F{excel}),F{excel}>0),ROUND(D{excel}/F{excel},1),"")',
                            styles.cell, days if days is not None else "")
        sheet.write_formula(row, 9, status_formula(excel), styles.cell, STATUS_LABELS[item["status"]])
        amount = _number(item["reorder"])
        sheet.write_formula(row, 10, reorder_formula(excel, cover_days), styles.cell,
                            amount if amount is not None else "")
    _colour_rules(book, sheet, TOP + 1, TOP + max(len(items), 1))
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 10, 10)
    print_setup(sheet, TOP, landscape=True, header=title)


def _colour_rules(book: Workbook, sheet: Worksheet, first: int, last: int) -> None:
    """Red, orange, green on the stock, threshold and status cells, judged from the row's own numbers."""
    formats = {name: book.add_format({"bg_color": bg, "font_color": fg}) for name, (bg, fg) in COLOURS.items()}
    row = first + 1
    rules = [("red", f"=OR($D{row}<=0,AND(ISNUMBER($E{row}),$D{row}<$E{row}))"),
             ("orange", f"=AND(ISNUMBER($F{row}),$F{row}>0,$D{row}/$F{row}<$H{row})"),
             ("green", f"=ISNUMBER($D{row})")]
    for cells in (f"D{first + 1}:E{last + 1}", f"J{first + 1}:J{last + 1}"):
        for colour, formula in rules:
            sheet.conditional_format(cells, {"type": "formula", "criteria": formula, "format": formats[colour],
                                             "stop_if_true": True})


def _table_sheet(book: Workbook, styles: Styles, name: str, headers: list[str], table: pd.DataFrame,
                 fields: list[str]) -> None:
    sheet = book.add_worksheet(name)
    rows = [[("是" if v is True else "" if v is False else v) for v in values]
            for values in zip(*(table[f].tolist() for f in fields), strict=True)] if len(table) else []
    write_table(sheet, styles, 0, [Column(h) for h in headers], rows)
    print_setup(sheet, 0, landscape=True)
