"""Canonical fields and the column names staff use for them (Chinese and English).

One table, extendable from gridtool.toml's [columns] section. `match_columns` maps a header row to
fields; `require` explains, in Chinese, what was found when a needed field is absent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from gridtool.errors import GridtoolError

SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "居民姓名", "住户姓名", "人员姓名", "名字", "填报人", "填报人姓名", "打卡人",
             "打卡人姓名", "户主姓名", "name", "resident", "residentname", "fullname"),
    "building": ("楼栋", "楼号", "栋", "楼栋号", "幢", "楼", "栋号", "building", "bldg"),
    "unit": ("单元", "单元号", "unit"),
    "room": ("房号", "房间号", "门牌号", "室", "房间", "户号", "room", "roomno"),
    "address": ("住址", "地址", "家庭住址", "现住址", "居住地址", "详细地址", "楼栋房号", "楼栋单元房号",
                "门牌", "住所", "address", "addr"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "联系方式", "电话号码", "phone", "mobile",
              "tel", "telephone"),
    "temperature": ("体温", "今日体温", "当日体温", "测量体温", "体温℃", "体温°c", "上午体温", "早上体温", "早晨体温",
                    "晨检体温", "第一次体温", "体温1", "体温早", "体温上午", "体温第一次", "体温晨检", "体温早上", "temperature", "temp"),
    # home-quarantine monitoring asks twice (or three times) a day; the highest reading counts
    "temperature_2": ("下午体温", "晚上体温", "傍晚体温", "午检体温", "晚检体温", "第二次体温", "体温2", "体温晚",
                      "体温下午", "体温第二次", "体温晚上", "体温午检"),
    "temperature_3": ("第三次体温", "体温3", "中午体温", "体温中午", "体温第三次", "体温中", "体温晚检"),
    "fever_answer": ("是否发热", "是否发烧", "有无发热", "有无发烧", "是否有发热症状",
                     "是否有发烧症状", "今日是否发热", "本人是否发热"),
    "temperature_ok": ("体温是否正常", "今日体温是否正常", "体温正常与否", "体温是否异常"),
    "health_code": ("健康码", "健康码颜色", "健康码状态", "健康码情况", "本人健康码", "苏康码", "粤康码", "随申码",
                    "健康宝状态", "一码通", "一码通颜色", "health_code"),
    "symptoms": ("症状", "是否有症状", "有无症状", "有无异常症状", "身体状况", "健康状况", "不适症状",
                 "是否有发热咳嗽等症状", "是否出现不适", "今日是否出现不适", "symptoms", "symptom"),
    "checked_at": ("打卡时间", "填报时间", "提交时间", "上报时间", "提交答卷时间", "填写时间", "结束答题时间", "时间",
                   "checkedat", "checkintime", "time", "submitted", "timestamp"),
    "date": ("日期", "打卡日期", "填报日期", "上报日期", "date"),
    "checked": ("是否打卡", "是否已打卡", "打卡状态", "打卡情况", "今日打卡", "今日是否打卡", "是否填报", "填报状态",
                "checkedin"),
    "worker": ("网格员", "负责人", "负责网格员", "所属网格员", "网格负责人", "责任网格员", "worker",
               "gridworker"),
    "status": ("状态", "居住状态", "人员状态", "在住状态", "在家状态", "status"),
    "reason": ("原因", "事由", "豁免原因", "免打卡原因", "外出原因", "reason"),
    "start": ("开始日期", "起始日期", "开始时间", "起始时间", "起", "start", "from"),
    "end": ("结束日期", "截止日期", "结束时间", "截止时间", "止", "end", "until", "to"),
    "note": ("备注", "说明", "note", "notes", "remark"),
    "leader": ("楼栋长", "单元长", "楼长", "楼道长", "楼栋负责人", "leader"),
    "age": ("年龄", "周岁", "age"),
    "birth": ("出生日期", "出生年月", "生日", "birthdate", "birthday"),
    "id_number": ("身份证号", "身份证号码", "身份证", "证件号码", "证件号", "idnumber"),
    "alone": ("独居", "是否独居", "独居老人", "居住情况", "alone"),
    "chronic": ("慢性病", "基础病", "是否有慢性病", "慢病", "基础疾病", "chronic"),
    "request": ("诉求", "需求", "需求内容", "诉求内容", "求助内容", "求助事项", "反映问题", "request"),
}

# Columns a form platform adds around the real questions (问卷星, 腾讯收集表/腾讯问卷, 金数据, 问卷网, WPS 表单):
# recognised, shown by `gridtool check` for what they are, and never read as a resident's answers. 提交者（自动）
# is the WeChat nickname of whoever pressed submit, often a relative: it is not the resident's name.
PLATFORM_COLUMNS = {
    "序号": "序号（编号，不读作居民信息）", "答卷编号": "答卷编号（平台）", "答卷序号": "答卷序号（平台）",
    "所用时间": "答题用时（平台）", "答题时长": "答题用时（平台）", "填写时长": "答题用时（平台）",
    "开始答题时间": "开始答题时间（平台）", "来源": "来源渠道（平台）", "来源渠道": "来源渠道（平台）",
    "来源详情": "来源详情（平台）", "来自ip": "IP（平台）", "ip": "IP（平台）", "ip地址": "IP（平台）",
    "ip属地": "IP属地（平台）", "地理位置": "地理位置（平台）", "填写地区": "地理位置（平台）",
    "提交者": "提交者（平台：微信昵称，不是居民姓名）", "提交人": "提交人（平台账号，不是居民姓名）",
    "修改人": "修改人（平台账号，不是居民姓名）",
    "微信昵称": "微信昵称（平台，不是居民姓名）", "昵称": "昵称（平台，不是居民姓名）",
    "修改时间": "修改时间（平台）", "更新时间": "修改时间（平台）", "填写设备": "填写设备（平台）",
    "操作系统": "操作系统（平台）", "浏览器": "浏览器（平台）", "总分": "总分（平台）",
}

FIELD_LABELS = {
    "name": "姓名", "building": "楼栋", "unit": "单元", "room": "房号", "address": "住址",
    "phone": "电话", "temperature": "体温", "symptoms": "症状", "checked_at": "打卡时间",
    "date": "日期", "worker": "网格员", "status": "状态", "reason": "原因", "start": "开始日期",
    "end": "结束日期", "note": "备注", "checked": "是否打卡", "leader": "楼栋长", "age": "年龄", "birth": "出生日期",
    "id_number": "身份证号", "alone": "独居", "chronic": "慢性病", "request": "诉求",
    "temperature_2": "体温（第二次）", "temperature_3": "体温（第三次）", "fever_answer": "是否发热",
    "health_code": "健康码", "temperature_ok": "体温是否正常",
}


_UNIT_NOTE = re.compile(r"\((?:°c|度|摄氏度)\)")
_READING_NOTE = re.compile(r"[(（\[【](早|晚|上午|下午|中午|第[一二三]次|[123])[)）\]】]$")


@lru_cache(maxsize=65536)
def header_key(text: str) -> str:
    """A header cell reduced for comparison: NFKC, lower case, no spaces, no `*` or trailing notes."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"^(?:q|第)?\d{1,2}[.、:：)）题\s]+", "", text.strip())  # question numbers of form exports
    text = re.sub(r"[\s*:：?？]", "", text)
    text = re.sub(r"^(?:您的|你的|请填写|请输入)", "", text)
    text = _UNIT_NOTE.sub("", text)  # `体温(℃) 上午`, a two-row header's parent with its unit
    text = _READING_NOTE.sub(r"\1", text)  # `体温（早）` is the morning reading, not a note
    text = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]$", "", text) or text
    return text.replace("°c", "℃")


def merge_synonyms(extra: Mapping[str, Iterable[str]],
                   base: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, ...]]:
    """A built-in table (residents' by default) plus the names a community added in gridtool.toml."""
    merged = dict(SYNONYMS if base is None else base)
    for field, names in extra.items():
        merged[field] = tuple(names) + merged.get(field, ())
    return merged


@dataclass(frozen=True)
class ColumnMatch:
    """A column that names a field; `members` and `options` for one question asked as a column per option."""

    field: str
    index: int
    header: str
    exact: bool
    members: tuple[int, ...] = ()
    options: tuple[str, ...] = ()


class _Scorer:
    """The synonyms of one vocabulary laid out for scoring many header cells: exact names in a dict, and one
    pattern that tells at C speed whether a cell contains any name at all (most cells scanned for a header
    are names, dates and numbers of the rows below it)."""

    def __init__(self, synonyms: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self.exact: dict[str, tuple[int, int, str]] = {}
        contained: list[tuple[int, int, str, str]] = []
        for field, names in synonyms:
            for rank, name in enumerate(names):
                name_key = header_key(name)
                if name_key not in self.exact or (2, -rank) > self.exact[name_key][:2]:
                    self.exact[name_key] = (2, -rank, field)
                if len(name_key) >= 2:
                    contained.append((-len(name_key), len(contained), name_key, field))
        self.contained = [(name_key, field) for _, _, name_key, field in sorted(contained)]  # longest first
        longest = sorted({name_key for name_key, _ in self.contained}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, longest))) if longest else None

    @lru_cache(maxsize=65536)  # noqa: B019 - scorers live as long as their vocabulary; few of them
    def score(self, key: str) -> tuple[int, int, str] | None:
        """(2, -rank) for an exact synonym (earlier in the list wins), (1, length) for a contained one."""
        if len(key) > 40 or key in PLATFORM_COLUMNS:  # a title or a note, or a platform's own column
            return None
        if key in self.exact:
            return self.exact[key]
        if len(key) > 24 or self.pattern is None or self.pattern.search(key) is None:
            return None
        return next((1, len(name_key), field) for name_key, field in self.contained if name_key in key)


@lru_cache(maxsize=64)
def _scorer(synonyms: tuple[tuple[str, tuple[str, ...]], ...]) -> _Scorer:
    return _Scorer(synonyms)


def match_columns(headers: list[str], synonyms: Mapping[str, tuple[str, ...]]) -> list[ColumnMatch]:
    """Map header cells to fields: exact synonyms first, then the longest synonym a header contains.

    Each field is taken by one column at most; the other columns stay unmapped.
    """
    scorer = _scorer(tuple((field, tuple(names)) for field, names in synonyms.items()))
    candidates = []
    for index, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        scored = scorer.score(key)
        if scored:
            candidates.append((scored[0], scored[1], -index, scored[2], header))
    candidates.sort(reverse=True)
    taken: dict[str, ColumnMatch] = {}
    used: set[int] = set()
    for exact, _length, neg_index, field, header in candidates:
        if field in taken or -neg_index in used:
            continue
        taken[field] = ColumnMatch(field, -neg_index, header, exact == 2)
        used.add(-neg_index)
    return sorted(taken.values(), key=lambda m: m.index)


def require(
    found: Iterable[str], needed: Iterable[str], where: str, headers: list[str],
    synonyms: Mapping[str, tuple[str, ...]],
) -> None:
    """Raise a GridtoolError naming the missing fields, the columns present and the names accepted."""
    have = set(found)
    missing = [f for f in needed if f not in have]
    if not missing:
        return
    accepted = "；".join(
        f"{FIELD_LABELS.get(f, f)}：{'、'.join(n for n in synonyms.get(f, ())[:8])}" for f in missing
    )
    present = "、".join(h for h in headers if h) or "（无）"
    raise GridtoolError(
        f"{where}：缺少必需的列「{'、'.join(FIELD_LABELS.get(f, f) for f in missing)}」。"
        f"\n表中的列：{present}",
        f"可用的列名：{accepted}。列名不同时，可在 gridtool.toml 的 [columns] 中添加同义词。",
    )


def platform_column(header: str) -> str | None:
    """What a form platform's own column is (`提交者（自动）` -> a nickname, not a name), or None."""
    return PLATFORM_COLUMNS.get(header_key(header))
