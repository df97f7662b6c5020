"""The `requests-100k` workload: a community's request log over ten days, 100,000 requests of which
20,000 are still open and need a visit (groceries, medicine, parcels), with a volunteer roster of 50
runners, each delivering to four of the 200 buildings.

The texts are the examples' three days of requests (examples/make_examples.py REQUEST_LOG), so the
categoriser meets the same words, negations and urgent phrases it meets in the examples.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from make_examples import REQUEST_LOG, make_residents  # noqa: E402

FIRST = dt.datetime(2026, 11, 12, 7, 0)
DAYS = 10
DELIVERABLE = ["家里没菜了，能不能帮忙买点青菜和鸡蛋", "降压药吃完了，已经断药一天了", "快递到驿站了，麻烦志愿者帮忙取一下",
               "帮忙买点大米和食用油，钱微信转给你们", "胰岛素只剩一支了，急", "婴儿纸尿裤没了，宝宝5个月",
               "两个快递在丰巢柜里，取件码发给你们", "我妈80岁一个人住，降压药快没了"]


def write_request_workload(path: Path, rows: int, open_deliverable: int, seed: int = 3) -> Path:
    rng = random.Random(seed)
    residents = make_residents(rows // 5, seed=1, buildings=200)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("居民诉求")
    sheet.write_row(0, 0, ["登记时间", "姓名", "住址", "联系电话", "诉求内容", "类别", "办理状态", "处理人", "完成时间"])
    step = DAYS * 24 * 60 / rows
    for line in range(rows):
        resident = residents[rng.randrange(len(residents))]
        logged = FIRST + dt.timedelta(minutes=line * step)
        if line % (rows // open_deliverable) == 0:
            text, status, handler, done = rng.choice(DELIVERABLE), "待办理", "", ""
        else:
            text = rng.choice(REQUEST_LOG)[2]
            status, handler = "已办结", f"网格员{line % 50:02d}"
            done = (logged + dt.timedelta(hours=rng.randint(1, 30))).strftime("%Y-%m-%d %H:%M")
        sheet.write_row(line + 1, 0, [logged.strftime("%Y-%m-%d %H:%M"), resident.name, resident.address,
                                      resident.phone, text, "", status, handler, done])
    roster = book.add_worksheet("志愿者名册")
    roster.write_row(0, 0, ["姓名", "电话", "组别", "负责楼栋"])
    for number in range(50):
        served = "、".join(f"{b}栋" for b in range(1 + number * 4, 5 + number * 4))
        roster.write_row(number + 1, 0, [f"志愿者{number:02d}", f"137{number:08d}", "跑腿组", served])
    book.close()
    return path
