"""Findings are data: a stable code, a severity, the place (file, sheet, row, column), the value and a message.

Every kind of finding is declared once in `CATALOGUE` with its Chinese message template; call sites
pass the code and the values (`finding("bad_phone", file, sheet, row, column, value=phone)`), never a
sentence. A code missing from the catalogue is a bug the first run finds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from gridtool.table.notes import ReadNote
from gridtool.table.read import sheet_place

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class FindingKind:
    """error: the row or file was left out; warning: read, but a person should look; info: for the record."""

    code: str
    severity: Severity
    template: str


_KINDS = (
    # Reading tables
    FindingKind("skipped_row", "info", "按说明、合计或重复的表头处理，未计入"),
    FindingKind("no_name", "error", "这一行没有姓名，已跳过"),
    FindingKind("unreadable_time", "warning", "打卡时间「{value}」不是时间，按“已打卡”处理"),
    FindingKind("bad_phone", "warning", "电话「{value}」不像电话号码"),
    FindingKind("bad_temperature", "warning", "体温无法识别：「{value}」（应为数字如 36.5，或选项如 37.3℃及以上）"),
    FindingKind("bad_health_code", "warning", "健康码无法识别：「{value}」（应为绿码、黄码、红码或灰码）"),
    FindingKind("bad_date", "warning", "日期无法识别：「{value}」"),
    FindingKind("date_mismatch", "info", "表名或文件名中的日期是 {named}，但表中各行的日期是 {days}；"
                                         "已按每行自己的日期计算（没有日期的行才按表名或文件名的日期）。"),
    FindingKind("duplicate_resident", "warning", "名册中重复登记：{value} {address}，只保留第一条"),
    # What the reader read past in a damaged or unusual file (table/read.py writes the detail)
    *(FindingKind(code, "warning", "{detail}") for code in (
        "stray_quote", "undecodable_line", "mixed_encoding", "nul_bytes", "far_cells", "too_many_merges",
        "hidden_characters")),
    *(FindingKind(code, "info", "{detail}") for code in (
        "html_as_xls", "text_as_xls", "xls_misnamed", "xlsx_misnamed", "gbk_part_names")),
    # The closed loop: returned sheets
    FindingKind("unreadable", "error", "{detail}"),
    FindingKind("foreign_file", "error", "不是 gridtool 生成的待跟进表（没有隐藏的 _gridtool 页），未收录。"
                                         "请确认是否发错文件；如是手工表格，请把结果抄回原待跟进表。"),
    FindingKind("no_table", "error", "找不到待跟进表的表头（编号、跟进结果），未收录。"),
    FindingKind("wrong_file", "error", "这是汇总表，不是交回的待跟进表，未收录。请只放网格员、楼栋长交回的待跟进表或楼栋任务单。"),
    FindingKind("manifest_broken", "error", "{detail}，已被改动，无法收回；表中填写的结果列在下面，请核对后抄回原表。"),
    FindingKind("answer_not_collected", "error", "{who}：{value}（未收录）"),
    FindingKind("not_as_issued", "error", "{name}（编号 {value}）{why}，未收录；请核对是否发错表或被改动。"),
    FindingKind("key_column_removed", "warning", "编号列已被删除，已按姓名和房号对应到原表的行；请以后保留编号列。"),
    FindingKind("unmatched_row", "error", "{why}（{value}），未计入；请把结果填在原有的行里。"),
    FindingKind("answer_outside_list", "warning", "跟进结果「{value}」不在下拉列表中，已原样保留，按未办结计。"),
    FindingKind("row_removed", "warning", "{value}（{reason}）这一行在表中找不到（被删除？），仍按未办结计。"),
    FindingKind("no_building", "warning", "{value}：{action}（没有楼栋，未列入楼栋任务单）"),
    # Resident requests
    FindingKind("empty_request", "error", "{value}：诉求内容为空，未计入"),
    FindingKind("no_logged_time", "warning", "{count} 条诉求的登记时间读不出（第一条：{value}），无法计算等待时间和是否超时"),
    FindingKind("request_no_building", "warning", "{value}：{text}（没有楼栋，未排入配送轮次）"),
    # Stock
    FindingKind("stock_no_item", "error", "这一行没有物资名称，未计入"),
    FindingKind("stock_not_a_number", "error", "{item}：库存「{value}」不是数字，未计入"),
    FindingKind("stock_negative", "warning", "{item}：库存为负数（{value}），请核对"),
    FindingKind("stock_optional_not_a_number", "warning", "{item}：「{value}」不是数字，按未填处理"),
    FindingKind("stock_bad_date", "error", "{item}：日期「{value}」无法识别，未计入"),
    FindingKind("stock_bad_direction", "error", "{item}：出入库类型「{direction}」无法识别（应为入库或出库），未计入"),
    FindingKind("stock_quantity_not_a_number", "error", "{item}：数量不是数字，未计入"),
    FindingKind("stock_negative_quantity", "error", "{item}：数量为负数，未计入"),
    # Volunteers: every one of these leaves the entry out of the totals until its row is fixed
    FindingKind("volunteer_no_name", "error", "没有志愿者姓名，未计入"),
    FindingKind("volunteer_bad_date", "error", "{item}：日期「{value}」无法识别，未计入"),
    FindingKind("volunteer_no_date", "error", "{item}：没有日期，未计入"),
    FindingKind("volunteer_bad_duration", "error", "{item}：时长「{value}」{why}，未计入"),
    FindingKind("volunteer_no_duration", "error", "{item}：没有时长，也没有完整的开始和结束时间，未计入"),
    FindingKind("volunteer_end_before_start", "error",
                "{item}：结束时间早于开始时间（{value}），未计入；如果跨过午夜，请在“时长”列写明小时数"),
    FindingKind("volunteer_same_start_end", "error", "{item}：开始和结束时间相同（{value}），未计入"),
    FindingKind("volunteer_duration_mismatch", "error", "{item}：时长 {value} 小时与起止时间 {span}（{hours} 小时）不符，未计入"),
    FindingKind("volunteer_bad_amount", "error", "{item}：{what}「{value}」{why}，未计入"),
    FindingKind("volunteer_no_amount", "error", "{item}：没有写兑换多少积分或小时，未计入"),
    FindingKind("volunteer_not_on_roster", "error", "{item} 不在志愿者名册中，未计入；{suggestion}"),
    FindingKind("volunteer_duplicate", "error", "{item}：与{other}完全相同（重复录入），未计入"),
    FindingKind("volunteer_overlap", "error", "{item}：{value}与{others}时间重叠，均未计入；请核对后改正"),
    FindingKind("volunteer_credited_from_round", "error",
                "{item}：这次服务已按配送轮次「{value}」计入（{other}），这一行未重复计入"),
    FindingKind("volunteer_round_unassigned", "warning",
                "{value} 的配送单没有分给志愿者（未分配），送达的 {count} 户无法计入任何人的服务时长"),
    FindingKind("volunteer_below_zero", "error", "{item}：{day}兑换“{value}”将使余额变为负数（{short}），未计入"),
    FindingKind("volunteer_transfer_closed", "error",
                "{item}：时间银行小时不能转给他人使用（gridtool.toml 未开启 transfer_to_family），未计入"),
    FindingKind("volunteer_not_family", "error", "{item}：{value} 不是名册中登记的家属，不能使用 {item} 的时间银行小时，"
                                                 "未计入；请在志愿者名册的“家属”列登记"),
)
CATALOGUE: dict[str, FindingKind] = {kind.code: kind for kind in _KINDS}



@dataclass(frozen=True)
class Finding:
    type: str
    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    message: str
    item: str = ""

    def __post_init__(self) -> None:
        if self.type not in CATALOGUE:
            raise KeyError(f"finding code {self.type!r} is not declared in gridtool.domain.findings.CATALOGUE")

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.type].severity

    @property
    def place(self) -> str:
        where = sheet_place(self.file, self.sheet)
        if self.row is not None:
            return f"{where} {self.column}{self.row}" if self.column else f"{where} 第{self.row}行"
        return where

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "severity": self.severity}


def finding(code: str, file: str, sheet: str = "", row: int | None = None, column: str = "", *,
            value: object = "", item: str = "", **details: object) -> Finding:
    """The finding `code` at this place, its message made from the catalogue's template and these values."""
    text = "" if value is None else str(value)
    message = CATALOGUE[code].template.format(value=text, item=item or "（无物资名）", **details)
    return Finding(code, file, sheet, row, column, text, message, item)


def reading_findings(notes: Iterable[tuple[str, str, ReadNote]]) -> list[Finding]:
    """What the reader noticed but read past (a stray quote, a far cell, an undecodable line), as findings."""
    return [finding(note.kind, file, sheet, note.row, note.column, value=note.value, detail=note.message)
            for file, sheet, note in notes]


@dataclass(frozen=True)
class MatchNote:
    """A submission that did not match a roster entry exactly, and what was made of it.

    kind: `matched` (confident, counted as a check-in), `doubtful` (a person must decide) or
    `not_on_roster` (no candidate at all).
    """

    kind: str
    file: str
    sheet: str
    row: int
    name: str
    address: str
    phone: str
    message: str
    candidates: tuple[str, ...] = field(default_factory=tuple)
    score: float | None = None

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["candidates"] = list(self.candidates)
        return data
