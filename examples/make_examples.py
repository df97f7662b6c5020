"""Make realistic sample exports: a Tencent-Docs-style daily check-in workbook (title row above the
header, one sheet per day), a resident roster (with an exemptions sheet and a worker assignment
sheet) and a collection-form submission log (GB18030 CSV).

    python examples/make_examples.py            # rewrites the files beside this script

The same functions make the test inputs and the benchmark workbooks (10k to 1M rows). A fixed seed
makes every file the same on every machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from volunteer_examples import write_volunteer_examples

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰志强红梅海燕凤英德明淑珍文博子涵浩然欣怡"
WORKERS = ["王芳", "李强", "陈静", "刘洋", "赵敏"]
FIRST_DAY = dt.date(2026, 11, 17)
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@dataclass
class Resident:
    name: str
    building: int
    unit: int
    room: str
    phone: str
    worker: str
    status: str = "在住"
    age: int = 40
    alone: bool = False
    chronic: str = ""

    @property
    def address(self) -> str:
        return f"{self.building}栋{self.unit}单元{self.room}室"


def make_residents(count: int, seed: int = 7, workers: list[str] | None = None,
                   buildings: int | None = None) -> list[Resident]:
    """`count` residents in buildings of 2 units x 6 floors x 2 rooms, about 2.5 per household."""
    rng = random.Random(seed)
    workers = workers or WORKERS
    households = max(1, round(count / 2.5))
    buildings = buildings or max(1, -(-households // 24))
    per_building = -(-households // buildings)
    residents: list[Resident] = []
    seen: set[tuple[str, str]] = set()
    for household in range(households):
        building = household // per_building + 1
        slot = household % per_building
        unit = slot // 12 % 2 + 1 + 2 * (slot // 24)
        floor, door = slot % 12 // 2 + 1, slot % 2 + 1
        room = f"{floor}0{door}"
        size = 1 if rng.random() < 0.15 else rng.choice([2, 2, 3, 3, 4])
        for _ in range(size):
            if len(residents) >= count:
                return residents
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
            key = (name, f"{building}-{unit}-{room}")
            if key in seen:
                continue
            seen.add(key)
            age = rng.choice([8, 15, 28, 35, 42, 55, 63, 71, 78, 84])
            residents.append(Resident(
                name=name, building=building, unit=unit, room=room,
                phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                worker=workers[(building - 1) % len(workers)], age=age,
                alone=size == 1 and age >= 65, chronic=rng.choice(["", "", "", "高血压", "糖尿病"]),
            ))
    return residents


@dataclass
class Report:
    checked: bool
    time: dt.datetime | None = None
    temperature: float | None = None
    symptoms: str = "无"


def make_reports(residents: list[Resident], days: int, seed: int = 11) -> list[list[Report]]:
    """What each resident reported each day: most check in, a few forget, some run a fever."""
    rng = random.Random(seed)
    reports = []
    for day in range(days):
        date = FIRST_DAY + dt.timedelta(days=day)
        today = []
        for index in range(len(residents)):
            habitual = index % 23 == 5  # a resident who stopped reporting some days ago
            if (habitual and day >= days - 3) or rng.random() < 0.04:
                today.append(Report(False))
                continue
            moment = dt.datetime.combine(date, dt.time(7, 0)) + dt.timedelta(minutes=rng.randrange(240))
            temperature = round(rng.gauss(36.5, 0.25), 1)
            symptoms = "无"
            if index % 37 == 3 and day == days - 1:
                temperature = rng.choice([37.4, 37.8, 38.6])
            if index % 41 == 9 and day == days - 1:
                symptoms = rng.choice(["咳嗽", "有", "咽痛、乏力"])
            today.append(Report(True, moment, temperature, symptoms))
        reports.append(today)
    return reports


def temperature_cell(value: float, rng: random.Random) -> object:
    style = rng.random()
    if style < 0.55:
        return value
    if style < 0.7:
        return f"{value}℃"
    if style < 0.8:
        return f"{value} ℃"
    if style < 0.9:
        return f"{value}度"
    return str(value).translate(FULLWIDTH)


def write_checkin_workbook(path: Path, residents: list[Resident], reports: list[list[Report]],
                           community: str = "幸福里社区", seed: int = 3, shared_strings: bool | None = None) -> None:
    """One sheet per day named like `11月21日`: a merged title row, a note, then the table. Large books are
    written row by row with inline strings unless `shared_strings` asks for the shared-string table that Excel
    and WPS write (XlsxWriter then holds the whole book in memory)."""
    rng = random.Random(seed)
    inline = len(residents) > 5000 if shared_strings is None else not shared_strings
    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline, "strings_to_numbers": False})
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    time_format = book.add_format({"num_format": "hh:mm"})
    stamp_format = book.add_format({"num_format": "yyyy/m/d h:mm"})
    headers = ["序号", "居民姓名", "楼栋", "单元", "房号", "联系电话", "今日体温(℃)", "是否有症状", "打卡时间",
               "网格员"]
    for day, today in enumerate(reports):
        date = FIRST_DAY + dt.timedelta(days=day)
        sheet = book.add_worksheet(f"{date.month}月{date.day}日")
        heading = f"{community}居民每日健康打卡（{date.month}月{date.day}日）"
        sheet.merge_range(0, 0, 0, len(headers) - 1, heading, title)
        sheet.write_string(1, 0, "请每天10:00前完成打卡，体温≥37.3℃请立即联系网格员")
        sheet.write_row(3, 0, headers, bold)
        row = 4
        for index, (resident, report) in enumerate(zip(residents, today, strict=True)):
            building = f"{resident.building}栋" if index % 3 else resident.building
            phone: object = int(resident.phone) if index % 2 else resident.phone
            sheet.write_number(row, 0, index + 1)
            sheet.write_string(row, 1, resident.name)
            sheet.write(row, 2, building)
            sheet.write(row, 3, f"{resident.unit}单元" if index % 4 == 0 else resident.unit)
            sheet.write_string(row, 4, resident.room)
            sheet.write(row, 5, phone)
            _write_report(sheet, row, report, rng, time_format, stamp_format)
            sheet.write_string(row, 9, resident.worker)
            row += 1
        sheet.write_string(row + 1, 0, "注：表中“未打卡”由系统自动标注，如有疑问请联系社区。")
    book.close()


def _write_report(sheet: object, row: int, report: Report, rng: random.Random,
                  time_format: object, stamp_format: object) -> None:
    write = sheet.write  # type: ignore[attr-defined]
    if not report.checked:
        marker = rng.choice(["未打卡", "未打卡", "", "—", "未填报"])
        write(row, 8, marker)
        if rng.random() < 0.3:  # a stale temperature copied from yesterday
            write(row, 6, 36.6)
        return
    assert report.time is not None and report.temperature is not None
    write(row, 6, temperature_cell(report.temperature, rng))
    write(row, 7, report.symptoms)
    style = rng.random()
    if style < 0.4:
        sheet.write_datetime(row, 8, report.time.time(), time_format)  # type: ignore[attr-defined]
    elif style < 0.7:
        write(row, 8, report.time.strftime("%H:%M"))
    else:
        sheet.write_datetime(row, 8, report.time, stamp_format)  # type: ignore[attr-defined]


def write_roster(path: Path, residents: list[Resident], reports: list[list[Report]] | None = None) -> None:
    """The community's resident roster, an exemptions sheet and a worker assignment sheet."""
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "border": 1})
    title = book.add_format({"bold": True, "font_size": 14})
    sheet = book.add_worksheet("居民名册")
    sheet.write_string(0, 0, "幸福里社区居民花名册（2026年11月更新）", title)
    sheet.write_row(2, 0, ["序号", "姓名", "住址", "联系电话", "网格员", "居住状态", "年龄", "独居", "慢性病"], bold)
    for index, resident in enumerate(residents):
        address = resident.address if index % 2 else f"{resident.building}-{resident.unit}-{resident.room}"
        status = "外出" if index % 53 == 17 else ("住院" if index % 71 == 30 else "在住")
        sheet.write_row(3 + index, 0, [index + 1, resident.name, address, resident.phone, resident.worker,
                                       status, resident.age, "是" if resident.alone else "否", resident.chronic])
    exempt = book.add_worksheet("免打卡登记")
    exempt.write_row(0, 0, ["姓名", "住址", "原因", "开始日期", "结束日期"], bold)
    for line, index in enumerate(range(12, len(residents), 97)):
        resident = residents[index]
        exempt.write_row(1 + line, 0, [resident.name, resident.address, "集中隔离",
                                       "11月15日", "2026-11-28"])
    assign = book.add_worksheet("网格分工")
    assign.write_row(0, 0, ["楼栋", "网格员", "楼栋长", "电话"], bold)
    leaders = ["赵建国", "钱秀英", "孙志强", "周桂兰", "吴德明"]
    first_worker = {r.building: r.worker for r in reversed(residents)}  # one pass, not one per building
    for building, worker in sorted(first_worker.items()):
        assign.write_row(building, 0, [f"{building}号楼", worker, leaders[(building - 1) % len(leaders)],
                                       f"1390000{building:04d}"])
    book.close()


# day (0-2 from 11月19日), time, what the resident typed, status, handler, hours to close, category staff typed
REQUEST_LOG = [
    (0, "07:42", "家里没菜了，能不能帮忙买点青菜和鸡蛋", "已办结", "王芳", 5, ""),
    (0, "07:55", "高血压药还剩两天，硝苯地平缓释片，麻烦帮忙配一下", "已办结", "李强", 9, ""),
    (0, "08:03", "孩子发烧38度5，想去医院看看，怎么出去？", "已办结", "陈静", 2, ""),
    (0, "08:20", "老人行动不便，想做核酸能不能上门", "已办结", "刘洋", 6, ""),
    (0, "08:31", "我爸是透析病人，每周一三五要去医院，需要车和出行证明", "已办结", "赵敏", 3, ""),
    (0, "08:47", "米快吃完了，家里两个老人", "已办结", "王芳", 26, ""),
    (0, "09:05", "快递在小区门口放了三天了，能不能帮忙拿一下", "已办结", "志愿者张伟", 7, ""),
    (0, "09:12", "请问什么时候可以解封？", "已办结", "李强", 1, ""),
    (0, "09:30", "一个人在家隔离，天天睡不着，心里很慌", "已办结", "陈静", 4, ""),
    (0, "09:41", "宝宝奶粉只够明天了，急！！", "已办结", "刘洋", 3, ""),
    (0, "10:02", "胰岛素快用完了，诺和灵30R", "已办结", "赵敏", 5, ""),
    (0, "10:15", "老婆怀孕36周，待产包准备好了，万一要生怎么出去", "已办结", "王芳", 2, ""),
    (0, "10:33", "电费没了家里停电，帮忙交一下电费", "已办结", "志愿者李娜", 12, ""),
    (0, "11:08", "需要买点卫生巾和卫生纸", "已办结", "志愿者张伟", 20, ""),
    (0, "11:26", "健康码变黄了怎么回事，没出过门", "已办结", "李强", 2, ""),
    (0, "13:14", "抗原自测两道杠，怎么办", "已办结", "陈静", 1, ""),
    (0, "14:02", "家里猫粮没了，能帮忙带点吗", "已办结", "志愿者李娜", 30, ""),
    (0, "14:40", "冰箱空了，想团购点肉和蔬菜", "已办结", "刘洋", 22, ""),
    (0, "15:18", "母亲化疗时间到了，需要去肿瘤医院", "已办结", "赵敏", 3, ""),
    (0, "16:25", "想问问楼下垃圾什么时候有人收", "已办结", "王芳", 8, "咨询"),
    (0, "19:50", "楼上漏水，家里天花板一直滴水", "处理中", "李强", None, ""),
    (1, "07:36", "降压药吃完了，已经断药一天了", "已办结", "陈静", 3, ""),
    (1, "07:58", "家里没有米了，也没有油", "已办结", "志愿者张伟", 11, ""),
    (1, "08:12", "老伴胸口闷，喘不上气，78岁了", "已办结", "刘洋", 1, ""),
    (1, "08:29", "不需要买菜了，邻居已经帮忙带了", "已取消", "", None, ""),
    (1, "08:44", "发烧已退，想问问还要不要再做核酸", "已办结", "赵敏", 6, ""),
    (1, "09:03", "上门核酸漏了我们家，今天还没做", "已办结", "王芳", 4, ""),
    (1, "09:20", "医院开好的药能不能帮忙去取一下", "处理中", "李强", None, ""),
    (1, "09:37", "孩子天天哭闹，我情绪快崩溃了", "已办结", "陈静", 5, ""),
    (1, "09:55", "菜包什么时候发？", "已办结", "刘洋", 2, ""),
    (1, "10:10", "想买点面条和挂面，家里只剩一包了", "待办理", "", None, ""),
    (1, "10:26", "在外地回不去，家里的狗没人喂", "待办理", "", None, ""),
    (1, "10:48", "家里水管爆了，到处是水", "已办结", "赵敏", 5, ""),
    (1, "11:15", "门禁卡坏了，出不去也进不来", "待办理", "", None, ""),
    (1, "11:40", "家里网断了，孩子要上网课", "待办理", "", None, ""),
    (1, "13:05", "需要买点蔬菜水果，老人牙不好要软一点的", "处理中", "志愿者张伟", None, ""),
    (1, "13:32", "速效救心丸没了，老人有冠心病", "已办结", "王芳", 4, ""),
    (1, "14:08", "快递到驿站了，麻烦志愿者帮忙取一下", "待办理", "", None, ""),
    (1, "14:50", "请问小区里能不能下楼走走", "已办结", "李强", 3, ""),
    (1, "15:27", "糖尿病的药只剩三天了，二甲双胍", "待办理", "", None, ""),
    (1, "16:03", "想订桶装水，家里没水喝了", "待办理", "", None, ""),
    (1, "17:45", "晚上一直失眠，很焦虑，想找人聊聊", "处理中", "陈静", None, ""),
    (1, "20:12", "燃气费欠费了，做不了饭", "待办理", "", None, ""),
    (2, "07:20", "还是没人送菜，昨天就登记了，家里真的没吃的了", "待办理", "", None, ""),
    (2, "07:33", "老人心脏不舒服，要不要叫120", "处理中", "刘洋", None, ""),
    (2, "07:51", "婴儿纸尿裤没了，宝宝5个月", "待办理", "", None, ""),
    (2, "08:06", "想咨询一下核酸结果怎么查", "已办结", "赵敏", 1, ""),
    (2, "08:22", "我妈80岁一个人住，降压药快没了", "待办理", "", None, ""),
    (2, "08:40", "家里鸡蛋和牛奶都吃完了", "待办理", "", None, ""),
    (2, "08:58", "孕妇，要去医院产检，怎么出小区", "待办理", "", None, ""),
    (2, "09:14", "帮忙买点大米和食用油，钱微信转给你们", "待办理", "", None, ""),
    (2, "09:31", "两个快递在丰巢柜里，取件码发给你们", "待办理", "", None, ""),
    (2, "09:47", "孩子高烧39度，一直退不下来", "处理中", "陈静", None, ""),
    (2, "10:05", "抗原试剂能不能再发两盒", "待办理", "", None, ""),
    (2, "10:22", "家里老人需要买点止咳药和退烧药", "待办理", "", None, ""),
    (2, "10:39", "能不能代缴一下手机话费", "待办理", "", None, ""),
    (2, "10:55", "什么时候能恢复正常上班？", "待办理", "", None, ""),
    (2, "11:12", "青菜土豆都没了，想要点蔬菜", "待办理", "", None, ""),
    (2, "11:30", "胰岛素只剩一支了，急", "待办理", "", None, ""),
    (2, "11:46", "压力大，隔离太久了想不开", "处理中", "陈静", None, ""),
    (2, "12:03", "方便面吃完了，能买点吃的吗", "待办理", "", None, ""),
    (2, "12:20", "想买点酱油醋和盐", "待办理", "", None, "生活物资"),
    (2, "12:41", "垃圾放门口两天没人收了", "待办理", "", None, ""),
    (2, "13:00", "家里马桶堵了", "待办理", "", None, ""),
    (2, "13:18", "老人腿摔伤了，走不了路，需要去医院", "待办理", "", None, ""),
    (2, "13:36", "帮忙买些尿不湿，成人用的", "待办理", "", None, ""),
    (2, "13:52", "宠物狗粮没了，能帮带一袋吗", "待办理", "", None, ""),
    (2, "14:10", "想要一些消毒液和口罩", "待办理", "", None, "生活物资"),
]


def write_requests(path: Path, residents: list[Resident]) -> None:
    """A request log as a community service desk keeps it over three days: what residents typed, the category
    staff sometimes filled in, how far each request got, who handled it and when it was done."""
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "border": 1})
    sheet = book.add_worksheet("居民诉求")
    sheet.write_string(0, 0, "幸福里社区居民诉求登记表（11月19日-21日）")
    sheet.write_row(1, 0, ["登记时间", "姓名", "住址", "联系电话", "诉求内容", "类别", "办理状态", "处理人", "完成时间"], bold)
    for line, (day, clock, need, status, handler, hours, category) in enumerate(REQUEST_LOG):
        resident = residents[(3 + line * 19) % len(residents)]
        logged = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=2 + day), dt.time.fromisoformat(clock))
        done = (logged + dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M") if hours is not None else ""
        address = resident.address if line % 3 else f"{resident.building}-{resident.unit}-{resident.room}"
        sheet.write_row(2 + line, 0, [logged.strftime("%Y-%m-%d %H:%M"), resident.name, address, resident.phone,
                                      need, category, status, handler, done])
    book.close()


def write_route(path: Path) -> None:
    """The walking route through the buildings, for `gridtool requests`' delivery rounds."""
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "border": 1})
    route = book.add_worksheet("配送路线")
    route.write_row(0, 0, ["顺序", "楼栋"], bold)
    for row, building in enumerate(["2栋", "1栋"], 1):
        route.write_row(row, 0, [row, building])
    book.close()


def write_submission_log(path: Path, residents: list[Resident], reports: list[list[Report]],
                         encoding: str = "gb18030") -> None:
    """A collection-form export: one row per submission, written as residents type (typos included)."""
    rng = random.Random(5)
    typo_at = {i for i, r in enumerate(residents) if _homophone(r.name) != r.name}
    typo_at = set(sorted(typo_at)[:2])
    rows = []
    for today in reports:
        for index, (resident, report) in enumerate(zip(residents, today, strict=True)):
            if not report.checked or report.time is None:
                continue
            name, address = resident.name, f"{resident.building}-{resident.unit}-{resident.room}"
            if index % 29 == 4:
                address = resident.address.replace("栋", "号楼").replace("室", "")
            if index in typo_at:
                name = _homophone(name)  # 张伟 typed as 张维
            rows.append([report.time.strftime("%Y/%m/%d %H:%M:%S"), name, address, resident.phone,
                         temperature_cell(report.temperature or 36.5, rng), report.symptoms])
            if rng.random() < 0.02:  # resubmitted the same day
                later = report.time + dt.timedelta(minutes=5)
                rows.append([later.strftime("%Y/%m/%d %H:%M:%S"), *rows[-1][1:]])
    rows.append([rows[-1][0], "周新来", "9-1-101", "13700000000", "36.4", "无"])  # not on the roster
    rows.sort(key=lambda r: r[0])
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "提交答卷时间", "填报人姓名", "住址(楼栋-单元-房号)", "手机号码", "体温",
                         "有无以下症状"])
        for number, row in enumerate(rows, 1):
            writer.writerow([number, *row])


HOMOPHONES = str.maketrans("伟芳静丽敏明华军洋勇杰涛平刚红", "维方晶莉民铭花君阳永洁滔萍钢宏")


def _homophone(name: str) -> str:
    """The same name with its last character swapped for one that sounds alike (伟 -> 维)."""
    return name[:-1] + name[-1].translate(HOMOPHONES)


# item, spec, unit, stock, threshold, lead time, pack, daily use per building (1栋, 2栋)
STOCK = [("医用口罩", "一次性", "个", 300, 500, 3, 50, (80, 20)),   # below threshold; 2栋 gets too little
         ("N95口罩", "", "个", 0, 100, 5, 20, (6, 4)),             # out of stock
         ("消毒液", "84", "瓶", 40, 20, 5, 12, (5, 5)),             # running low: 4 days left, 5 to arrive
         ("体温计", "电子", "支", 30, 10, 7, None, (1, 0)),          # ok
         ("抗原试剂", "", "盒", 200, 50, 3, 20, (0, 0))]             # ok, no use recorded


def write_stock(folder: Path, residents: list[Resident]) -> None:
    """An inventory sheet, households per building, and a week's movement log, as a community office keeps them."""
    book = xlsxwriter.Workbook(str(folder / "物资库存.xlsx"))
    bold = book.add_format({"bold": True, "border": 1})
    sheet = book.add_worksheet("库存")
    sheet.write_string(0, 0, "幸福里社区防疫物资库存（11月21日盘点）")
    sheet.write_row(2, 0, ["物资名称", "规格", "单位", "当前库存", "预警值", "到货天数", "每箱数量"], bold)
    for row, (item, spec, unit, stock, threshold, lead, pack, _) in enumerate(STOCK, 3):
        sheet.write_row(row, 0, [item, spec, unit, stock, threshold, lead])
        if pack:
            sheet.write_number(row, 6, pack)
    sheet = book.add_worksheet("楼栋户数")
    sheet.write_row(0, 0, ["楼栋", "户数"], bold)
    households: dict[str, set[tuple[int, str]]] = {}
    for resident in residents:
        households.setdefault(f"{resident.building}栋", set()).add((resident.unit, resident.room))
    for row, (building, rooms) in enumerate(sorted(households.items()), 1):
        sheet.write_row(row, 0, [building, len(rooms)])
    book.close()
    book = xlsxwriter.Workbook(str(folder / "出入库记录.xlsx"))
    bold = book.add_format({"bold": True, "border": 1})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("出入库")
    sheet.write_row(0, 0, ["日期", "物资名称", "类型", "数量", "领用楼栋", "经办人"], bold)
    row = 1
    sheet.write_datetime(row, 0, dt.datetime(2026, 11, 14), dates)
    sheet.write_row(row, 1, ["医用口罩", "入库", 1000, "", "王芳"])
    row += 1
    for day in range(15, 22):
        for item, *_, uses in STOCK:
            for building, used in enumerate(uses, 1):
                if used:
                    sheet.write_datetime(row, 0, dt.datetime(2026, 11, day), dates)
                    sheet.write_row(row, 1, [item, "出库", used, f"{building}栋", WORKERS[building - 1]])
                    row += 1
    book.close()


def write_layout(path: Path) -> None:
    """Where the buildings stand on the estate map, for the dashboard's heat map (楼栋, 行, 列)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("楼栋布局")
    sheet.write_row(0, 0, ["楼栋", "行", "列"], book.add_format({"bold": True, "border": 1}))
    sheet.write_row(1, 0, ["1栋", 1, 1])
    sheet.write_row(2, 0, ["2栋", 1, 3])  # the path between them is the estate's main road
    book.close()


def main(folder: Path) -> None:
    residents = make_residents(120)
    reports = make_reports(residents, days=5)
    write_checkin_workbook(folder / "打卡记录.xlsx", residents, reports)
    write_roster(folder / "居民名册.xlsx", residents)
    write_submission_log(folder / "打卡提交记录.csv", residents, reports)
    write_requests(folder / "居民诉求.xlsx", residents)
    write_route(folder / "配送路线.xlsx")
    write_stock(folder, residents)
    write_layout(folder / "楼栋布局.xlsx")
    write_volunteer_examples(folder)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
