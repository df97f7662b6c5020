"""The 配送单: one printable book per volunteer, a page per round, read back by `gridtool collect` through the
same hidden manifest as the to-do sheets. Written by XlsxWriter, which breaks the pages between rounds and
prints the signature line in every page's footer (诉求汇总 is output/request_summary.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from gridtool.manifest import DELIVERY
from gridtool.output.todo_sheets import Heading, manifest_items, meta
from gridtool.output.xlsx import (
    Column,
    PageFit,
    Styles,
    atomic_workbook,
    print_setup,
    write_manifest,
    write_table_layout,
)
from gridtool.table.invisible import shown

if TYPE_CHECKING:
    from gridtool.domain.requests.delivery import DeliveryBook

STOP_COLUMNS = [
    Column("轮次", center=True), Column("序号", center=True), Column("住址"), Column("姓名"), Column("电话"),
    Column("要带的东西", 12), Column("完成(打√)", 3, input=True), Column("备注", 6, input=True),
    Column("编号", hidden=True),
]
ROW_HEIGHT = 36  # points: room to tick and write by hand
DELIVERY_FIT = PageFit(landscape=True, min_scale=0.85, min_row_height=ROW_HEIGHT)
BIG_PRINT = 14


def stop_rows(stops: pd.DataFrame) -> list[list[Any]]:
    """轮次 … 备注, 编号 for each stop, as the domain says the sheet prints it (`shown_name`, `shown_action`,
    `sheet_key`: gridtool.domain.requests.delivery)."""
    address = stops["building"] + "栋" + stops["unit"].where(stops["unit"] == "", stops["unit"] + "单元") + stops["room"]
    columns = [("第" + stops["round"].astype(str) + "轮").tolist(), stops["stop"].tolist(), address.tolist(),
               stops["shown_name"].tolist(), stops["phone"].tolist(), stops["shown_action"].tolist(),
               stops["sheet_key"].tolist()]
    return [[*values[:6], "", "", values[6]] for values in zip(*columns, strict=True)]


def write_stop_sheet(sheet: Worksheet, styles: Styles, stops: pd.DataFrame, title: str, top: int = 2) -> int:
    """The stops, a printed page per round (urgent in red), with the title and a signature line on every page."""
    formats = [styles.urgent if u else styles.cell for u in stops["urgent"].tolist()]
    sheet.merge_range(0, 0, 0, len(STOP_COLUMNS) - 2, shown(title), styles.title)
    end = write_table_layout(sheet, styles, top, STOP_COLUMNS, stop_rows(stops), formats, DELIVERY_FIT).end
    sheet.set_h_pagebreaks(round_breaks(stops, top))
    print_setup(sheet, top, landscape=True, header=title, font_size=styles.font_size)
    sheet.repeat_rows(0, top)  # every round's page starts with the title
    for row, height in ((0, 28), (1, 22)):
        sheet.set_row(row, height)
    sheet.set_footer(signature_footer(styles.font_size))
    return end


def round_breaks(stops: pd.DataFrame, top: int) -> list[int]:
    """The sheet rows (from 0) where a round after the first starts, under a header at row `top`: a printed
    page per round."""
    rounds = stops["round"].to_numpy()
    return [top + 2 + int(i) for i in (rounds[1:] != rounds[:-1]).nonzero()[0]]


def signature_footer(font_size: int) -> str:
    """Every page's footer (Excel codes): the deliverer's signature and the date to fill in, the page number."""
    size = f"&{font_size} "
    return f"&L{size}配送人签字：____________&C{size}日期：__________&R{size}第 &P 页，共 &N 页"


def write_delivery_book(path: Path, book_: DeliveryBook, heading: Heading) -> None:
    """One volunteer's 配送单: every round of theirs, a page each, collectable with `gridtool collect`; its
    hidden manifest holds only what the sheet prints."""
    stops = book_.stops
    with atomic_workbook(path) as book:
        styles = Styles(book, font_size=BIG_PRINT)
        sheet = book.add_worksheet("配送单")
        who = f"{book_.volunteer} {book_.phone}".strip() or "（请填写配送人）"
        title = f"{heading.community}配送单 · {who} · {heading.day}".lstrip(" ·")
        end = write_stop_sheet(sheet, styles, stops, title)
        sheet.merge_range(1, 0, 1, len(STOP_COLUMNS) - 2,
                          f"共 {stops['round'].nunique()} 轮、{len(stops)} 户，每轮一页。红色标【急】的先送。", styles.note)
        sheet.merge_range(end + 1, 0, end + 1, len(STOP_COLUMNS) - 2,
                          "送到后在“完成”栏打√；没送到的在“备注”写明原因（家中无人、已自行解决等）。交回后用 gridtool collect 收回。",
                          styles.note)
        write_manifest(book, meta(DELIVERY, heading, book_.owner), manifest_items(stops, heading.date, DELIVERY))


def write_delivery_books(jobs: list[tuple[Path, DeliveryBook]], heading: Heading) -> None:
    for path, book in jobs:
        write_delivery_book(path, book, heading)
