"""Sample volunteer sheets: a service log (with a title row), a self-report form export, a redemption log
and a volunteer roster, as a community's volunteer coordinator keeps them.

Most rows are ordinary shifts drawn with a fixed seed; the rows listed in PROBLEM_ROWS are written on
purpose so that every ledger check of `gridtool volunteers` has something to find.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import xlsxwriter

# name, phone, group, building, family allowed to draw on the volunteer's time-bank hours
ROSTER = [("张伟", "13800001001", "跑腿组", "1栋", "李秀英"), ("李娜", "13800001002", "跑腿组", "2栋", ""),
          ("王磊", "13800001003", "技术帮扶组", "1栋", ""), ("陈静怡", "13800001004", "宣传组", "3栋", "陈建国"),
          ("赵子涵", "13800001005", "值守组", "2栋", ""), ("孙浩然", "13800001006", "跑腿组", "3栋", ""),
          ("周欣怡", "13800001007", "技术帮扶组", "2栋", ""), ("吴建国", "13800001008", "值守组", "1栋", "")]
# the runners' delivery buildings and hours, read by `gridtool requests` to hand out delivery rounds
DELIVERY = {"张伟": ("1栋", "全天"), "李娜": ("2栋", "上午"), "孙浩然": ("1栋、2栋", "下午")}
SERVICES = {"跑腿": "跑腿组", "送菜": "跑腿组", "技术帮扶": "技术帮扶组", "宣传": "宣传组", "值守": "值守组"}
CLIENTS = ["刘桂英", "杨德明", "黄淑珍", "何玉兰", "高文博", "林秀兰"]
FIRST = dt.date(2026, 11, 16)  # a Monday; the log runs to Sunday 11-22
HEADER = ["日期", "志愿者", "服务类型", "开始时间", "结束时间", "时长(小时)", "服务对象", "楼栋", "审核人", "是否紧急"]

# The rows that exercise each check, appended after the ordinary shifts.
PROBLEM_ROWS = [
    ["2026-11-18", "王磊", "技术帮扶", "09:00", "11:00", "", "刘桂英", "1栋", "王芳", ""],    # overlaps the next row
    ["2026-11-18", "王磊", "技术帮扶", "10:00", "12:00", "", "杨德明", "1栋", "王芳", ""],
    ["2026-11-19", "李娜", "送菜", "", "", "-2", "黄淑珍", "2栋", "李强", ""],                 # negative duration
    ["2026-11-19", "赵子涵", "值守", "", "", "30", "", "2栋", "李强", ""],                     # over 24 hours
    ["2026-11-20", "孙浩然", "值守", "18:00", "08:00", "", "", "3栋", "陈静", ""],             # end before start
    ["2026-11-20", "吴建国", "值守", "22:00", "02:00", "4", "", "1栋", "陈静", ""],            # past midnight: fine
    ["2026-11-21", "张维", "跑腿", "09:00", "10:30", "", "何玉兰", "1栋", "王芳", ""],          # 张伟 misspelt
    ["2026-11-21", "钱多多", "宣传", "14:00", "16:00", "", "", "3栋", "陈静", ""],             # nobody like it
    ["2026-11-21", "李娜", "送菜", "08:00", "09:00", "", "林秀兰", "2栋", "李强", "紧急"],      # urgent, weekend
    ["2026-11-17", "周欣怡", "技术帮扶", "08:00", "17:00", "", "", "2栋", "李强", ""],          # 9 h: over the cap
]


def ordinary_shifts(seed: int = 23) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for offset in range(7):
        day = FIRST + dt.timedelta(days=offset)
        for name, _phone, group, building, _family in ROSTER:
            if rng.random() < 0.45:
                continue
            service = rng.choice([s for s, g in SERVICES.items() if g == group])
            start = rng.choice([8, 9, 13, 14, 15])
            length = rng.choice([1, 1.5, 2, 3])
            end = dt.time(int(start + length), int(length % 1 * 60))
            client = rng.choice(CLIENTS) if group in ("跑腿组", "技术帮扶组") else ""
            rows.append([day.isoformat(), name, service, f"{start:02d}:00", f"{end:%H:%M}", "", client, building,
                         "王芳", ""])
    return rows


def write_service_log(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "border": 1})
    sheet = book.add_worksheet("服务记录")
    sheet.write_string(0, 0, "幸福里社区志愿服务登记表（11月16日—11月22日）")
    sheet.write_row(1, 0, HEADER, bold)
    rows = ordinary_shifts()
    rows.insert(5, list(rows[3]))  # the same shift typed twice
    for index, row in enumerate(rows + PROBLEM_ROWS, 2):
        sheet.write_row(index, 0, row)
    sheet.write_string(len(rows) + len(PROBLEM_ROWS) + 3, 0, "注：时长与起止时间都填时，以起止时间核对时长。")
    book.close()


def write_self_reports(path: Path) -> None:
    """A 问卷星-style export of shifts volunteers reported themselves (GB18030, numbered questions)."""
    rows = [["2026/11/20 21:05:11", "陈静怡", "2026-11-20", "宣传", "１.５", "3栋"],
            ["2026/11/21 18:40:02", "孙浩然", "2026-11-21", "跑腿", "2小时", "3栋"],
            ["2026/11/22 12:13:45", "赵子涵", "2026-11-22", "值守", "90分钟", "2栋"],
            ["2026/11/22 20:02:09", "吴建国", "2026-11-22", "值守", "三小时", "1栋"]]  # unreadable duration
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "提交答卷时间", "1、您的姓名", "2、服务日期", "3、服务类型", "4、服务时长（小时）",
                         "5、服务楼栋"])
        for number, row in enumerate(rows, 1):
            writer.writerow([number, *row])


def write_redemptions(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "border": 1})
    sheet = book.add_worksheet("兑换记录")
    sheet.write_row(0, 0, ["日期", "志愿者", "兑换人", "兑换内容", "积分", "小时", "经办人"], bold)
    rows = [["2026-11-20", "张伟", "张伟", "大米 5 斤", 50, "", "王芳"],
            ["2026-11-21", "张伟", "李秀英", "陪同就医", "", 2, "王芳"],        # registered family: allowed
            ["2026-11-21", "王磊", "王小明", "上门助浴", "", 1, "李强"],         # not registered family
            ["2026-11-22", "李娜", "李娜", "食用油一桶", 5000, "", "李强"],      # more than her balance
            ["2026-11-22", "陈静仪", "陈静仪", "洗衣液", 20, "", "陈静"]]        # 陈静怡 misspelt
    for index, row in enumerate(rows, 1):
        sheet.write_row(index, 0, row)
    book.close()


def write_volunteer_roster(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "border": 1})
    sheet = book.add_worksheet("志愿者名册")
    sheet.write_row(0, 0, ["姓名", "电话", "组别", "所在楼栋", "家属", "负责楼栋", "可服务时段"], bold)
    for index, row in enumerate(ROSTER, 1):
        sheet.write_row(index, 0, [*row, *DELIVERY.get(row[0], ("", ""))])
    book.close()


def write_volunteer_examples(folder: Path) -> None:
    write_service_log(folder / "志愿服务记录.xlsx")
    write_self_reports(folder / "志愿者自助填报.csv")
    write_redemptions(folder / "积分兑换记录.xlsx")
    write_volunteer_roster(folder / "志愿者名册.xlsx")
