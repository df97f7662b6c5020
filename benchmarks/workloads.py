"""Inputs for the commands other than `followups`: a resident roster for `notices`, a movement log for `stock`,
and the returned worker books for `collect`.

    python benchmarks/generate.py roster-200k movements-1m returned-100k
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
from pathlib import Path

import xlsxwriter
from make_examples import STOCK, make_residents, write_roster

DATA = Path(__file__).resolve().parent / "data"
WORKERS = [f"网格员{i:02d}" for i in range(1, 51)]
MOVEMENT_DAYS = 60
MOVEMENT_BUILDINGS = 200
ITEMS = [name for name, *_ in STOCK] + [f"{kind}{n}" for kind in ("防护服", "面屏", "手套", "酒精棉片") for n in "ABCDE"]


def config_file() -> Path:
    """A gridtool.toml that a community has edited: its name, hotline and every worker's phone."""
    path = DATA / "gridtool.toml"
    phones = "\n".join(f'"{w}" = "1380000{i:04d}"' for i, w in enumerate(WORKERS, 1))
    path.write_text(f'community = "和平里社区"\nhotline = "0571-87654321"\noffice = "幸福路 1 号"\n\n[workers]\n{phones}\n',
                    encoding="utf-8")
    return path


def roster(count: int) -> Path:
    """`count` residents in about count / 2.5 households, 50 grid workers, with the roster's other sheets."""
    residents = make_residents(count, seed=1, workers=WORKERS)
    path = DATA / f"roster-{count // 1000}k.xlsx"
    write_roster(path, residents)
    config_file()
    return path


def movements(rows: int) -> Path:
    """A movement log of `rows` rows over 60 days: 24 items, 200 receiving buildings, a delivery now and then
    (入库), the rest handed out (出库); dates and quantities written as offices write them."""
    rng = random.Random(4)
    first = dt.date(2026, 9, 25)
    path = DATA / f"movements-{rows // 1_000_000 or rows // 1000}{'m' if rows >= 1_000_000 else 'k'}.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "border": 1})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("出入库")
    sheet.write_string(0, 0, "幸福里社区防疫物资出入库登记")
    sheet.write_row(1, 0, ["日期", "物资名称", "类型", "数量", "领用楼栋", "经办人"], bold)
    for row in range(2, rows + 2):
        day = first + dt.timedelta(days=(row - 2) * MOVEMENT_DAYS // rows)
        item = ITEMS[rng.randrange(len(ITEMS))]
        if rng.random() < 0.02:
            sheet.write_row(row, 1, [item, "入库", rng.choice([500, 1000, 2000]), "", "王芳"])
        else:
            building = rng.randrange(1, MOVEMENT_BUILDINGS + 1)
            sheet.write_row(row, 1, [item, rng.choice(["出库", "出库", "领用"]), rng.randrange(1, 30),
                                     f"{building}栋" if row % 3 else f"{building}号楼", WORKERS[building % 50]])
        if row % 4:
            sheet.write_datetime(row, 0, dt.datetime.combine(day, dt.time()), dates)
        else:
            sheet.write_string(row, 0, f"{day.month}月{day.day}日")
    book.close()
    return path


def returned_books(label: str) -> Path:
    """The worker books `followups` wrote for checkins-{label}.xlsx, filled in the way workers fill them."""
    from generate import checkins_path, generate

    checkins = checkins_path(label)
    if not checkins.exists():
        generate(label)
    folder = DATA / f"returned-{label}"
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "gridtool", "followups", str(checkins), "--out", str(folder), "--json"],
                   check=True, stdout=subprocess.DEVNULL)
    for overview in folder.glob("汇总_*"):
        overview.unlink()
    for book in sorted(folder.glob("*.xlsx")):
        fill_in(book)
    return folder


def fill_in(path: Path) -> None:
    """Rows answered from the drop-down with a time and a note, some typed as 已处理 (outside the list), some
    left open or blank: as a worker returns the book, saved by a spreadsheet program (openpyxl, a test
    dependency, stands in for Excel/WPS)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header_row, columns = _header(sheet)
    rng = random.Random(path.name)
    closing = ["已补打卡", "已联系-情况正常", "已就医/已转诊", "外出-已登记"]
    for row in range(header_row + 1, sheet.max_row + 1):
        if not sheet.cell(row, columns["姓名"]).value:
            continue
        roll = rng.random()
        if roll < 0.55:
            answer = rng.choice(closing)
        elif roll < 0.65:
            answer = "已处理"
        elif roll < 0.8:
            answer = rng.choice(["未联系上", "需上门"])
        else:
            continue
        sheet.cell(row, columns["跟进结果"], answer)
        sheet.cell(row, columns["跟进时间"], f"11月{rng.randrange(20, 24)}日 {rng.randrange(8, 18)}:{rng.randrange(60):02d}")
        if rng.random() < 0.6:
            sheet.cell(row, columns["备注"], rng.choice(["已电话联系，体温正常", "已上门，补打卡", "家属说明，人在外地"]))
    book.save(path)


def _header(sheet: object) -> tuple[int, dict[str, int]]:
    """The header row (the one naming 姓名) and the columns the worker fills in."""
    for row in sheet.iter_rows(min_row=1, max_row=10):  # type: ignore[attr-defined]
        names = {str(c.value).strip(): c.column for c in row if c.value}
        if "姓名" in names:
            return row[0].row, {n: names[n] for n in ("姓名", "跟进结果", "跟进时间", "备注")}
    raise ValueError(f"no header in {sheet}")
