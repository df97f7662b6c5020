"""Who gets a printed notice, and what each page says about them.

Two audiences: one page per building or unit for the entrance (addressed to everyone there, with no
resident's name or phone), or one page per household chosen by situation (elderly, living alone,
chronic illness, not checked in), addressed by address, with the household's own grid worker.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from gridtool.config import Settings, choose
from gridtool.domain.checkins.daystatus import UNASSIGNED
from gridtool.domain.checkins.followups import Extras, followups
from gridtool.domain.people.residents import (
    ages_on,
    assign_workers,
    assignments_from_table,
    build_roster,
    exempt_by_status,
)
from gridtool.domain.sources import PEOPLE_KINDS, Progress, kind_missing, load_sources
from gridtool.errors import GridtoolError
from gridtool.table.address import format_address, natural_key
from gridtool.table.values import memo

GROUP_LABELS = {"elderly": "老人", "alone": "独居", "chronic": "慢性病", "missing": "未打卡"}
GROUPS = tuple(GROUP_LABELS)
PER_LABELS = {"building": "楼栋", "unit": "单元", "household": "户"}
MOVED_OUT = ("搬离", "搬走", "迁出", "已搬", "去世", "死亡", "空置")


@dataclass
class Recipient:
    """One page: an entrance (building or unit) or a household."""

    kind: str
    building: str
    unit: str
    room: str
    worker: str = ""
    worker_phone: str = ""
    residents: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    @cached_property
    def address(self) -> str:  # asked for by every page's texts, the notice and the JSON record
        return format_address(self.building, self.unit, self.room)

    @property
    def salutation(self) -> str:
        if self.kind == "household":
            return f"尊敬的 {self.address} 住户"
        return f"{self.address}全体居民"

    def sort_key(self) -> tuple[tuple[int, str], tuple[int, str], int, tuple[int, str]]:
        """Print order: building, unit, floor, room."""
        return _natural_key(self.building), _natural_key(self.unit), _floor(self.room), _natural_key(self.room)


_natural_key = memo(natural_key)  # a few hundred distinct buildings, units and rooms among 80k households


@memo
def _floor(room: str) -> int:
    digits = re.sub(r"\D", "", room)
    return int(digits) // 100 if len(digits) >= 3 else 0



def parse_only(text: str | None) -> list[set[str]]:
    """`老人,独居` (or `elderly,alone`) = either; `老人+独居` = both. Unknown names are an input error."""
    if not text:
        return []
    choices = []
    for part in re.split(r"[,，、]", text):
        words = [n.strip() for n in re.split(r"[+＋]", part) if n.strip()]
        unknown = [w for w in words if w.lower() not in GROUP_LABELS and w not in GROUP_LABELS.values()]
        if unknown:
            raise GridtoolError(f"--only 中的「{'、'.join(unknown)}」不认识。",
                                f"可选：{'、'.join(GROUP_LABELS.values())}；"
                                "逗号表示“或”，加号表示“并且”，如 --only 老人+独居。")
        choices.append({choose("--only", w, GROUP_LABELS) for w in words})
    return choices


def resident_groups(people: pd.DataFrame, day: dt.date, settings: Settings) -> pd.DataFrame:
    """For each resident: is elderly, lives alone, has a chronic illness, has not checked in."""
    ages = ages_on(people, day) if "birth" in people.columns else pd.Series(float("nan"), index=people.index)
    return pd.DataFrame({
        "elderly": (ages >= settings.elderly_age).to_numpy(),
        "alone": people["alone"].astype(bool).to_numpy() if "alone" in people.columns else False,
        "chronic": (people["chronic"].fillna("") != "").to_numpy() if "chronic" in people.columns else False,
        "missing": people["missing"].astype(bool).to_numpy() if "missing" in people.columns else False,
    }, index=people.index)


def skip_reasons(people: pd.DataFrame) -> pd.Series:
    """Why a resident gets no page of their own: moved out, exempt (away, in hospital …), or no address."""
    def text(column: str) -> pd.Series:
        return people[column].fillna("").astype(str) if column in people.columns else pd.Series("", index=people.index)

    status = text("exempt_reason").where(text("exempt_reason") != "", text("status"))
    moved = status.str.contains("|".join(MOVED_OUT), regex=True)
    exempt = people["exempt"].fillna(False).astype(bool) if "exempt" in people.columns else False
    no_address = (text("building") == "") | (text("room") == "")
    reasons = np.select([moved, exempt, no_address], ["已搬离（" + status + "）", "免打卡（" + status + "）", "没有住址"],
                        default="")
    return pd.Series(reasons, index=people.index, dtype=object)


def households(people: pd.DataFrame, only: list[set[str]], day: dt.date, settings: Settings,
               worker_phones: dict[str, str]) -> tuple[list[Recipient], list[dict[str, str]]]:
    """One recipient per household with at least one resident in the chosen groups; the skipped, with why."""
    groups = resident_groups(people, day, settings)
    chosen = pd.Series(not only, index=people.index)
    for names in only:
        chosen |= groups[list(names)].all(axis=1)
    picked = people[chosen].assign(reason=skip_reasons(people)[chosen])
    left_out = picked[picked["reason"] != ""]
    skipped = [{"name": str(n), "address": format_address(str(b), str(u), str(r)), "reason": str(why)}
               for n, b, u, r, why in zip(left_out["name"], left_out["building"], left_out["unit"], left_out["room"],
                                          left_out["reason"], strict=True)]
    kept = picked[picked["reason"] == ""]
    kept = kept.drop(columns=[g for g in GROUPS if g in kept.columns]).join(groups)  # the groups as flags
    worker = kept["worker"].astype(str) if "worker" in kept.columns else pd.Series("", index=kept.index)
    kept = kept.assign(worker=worker.where(worker != UNASSIGNED, ""))
    return sorted(household_pages(kept, worker_phones), key=Recipient.sort_key), skipped


def household_pages(kept: pd.DataFrame, worker_phones: dict[str, str]) -> list[Recipient]:
    """One recipient per (building, unit, room), its residents' names in roster order. The names are cut out of
    one array sorted by household, not gathered by a Python function per group (80k households took 3 s)."""
    if kept.empty:
        return []
    grouper = kept.groupby(["building", "unit", "room"], sort=False)
    grouped = grouper.agg(worker=("worker", "first"), **{g: (g, "any") for g in GROUPS})
    codes = grouper.ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")[: int(np.count_nonzero(codes >= 0))]  # NaN codes sort last
    names = kept["name"].to_numpy(dtype=object)[order].tolist()
    bounds = [0, *(np.flatnonzero(np.diff(codes[order])) + 1).tolist(), len(names)]
    combos = grouped[list(GROUPS)].to_numpy(dtype=bool) @ (1 << np.arange(len(GROUPS)))  # the groups as bits
    labels = [[g for bit, g in enumerate(GROUPS) if combo >> bit & 1] for combo in range(1 << len(GROUPS))]
    address = [grouped.index.get_level_values(level).astype(str).tolist() for level in range(3)]
    return [Recipient("household", b, u, r, w, worker_phones.get(w, ""), names[start:stop], list(labels[combo]))
            for b, u, r, w, start, stop, combo in zip(*address, grouped["worker"].tolist(), bounds[:-1], bounds[1:],
                                                      combos.tolist(), strict=True)]


def entrances(people: pd.DataFrame, per: str) -> list[Recipient]:
    """One recipient per building (or unit) that has residents living there."""
    present = people[(people["building"] != "") & ~skip_reasons(people).str.startswith("已搬离")]
    keys = ["building", "unit"] if per == "unit" else ["building"]
    pages = [Recipient("entrance", str(b), str(u) if per == "unit" else "", "")
             for b, u in present[["building", "unit"]].drop_duplicates(keys).itertuples(index=False)]
    return sorted(pages, key=Recipient.sort_key)


def page_values(recipients: list[Recipient], settings: Settings, day: dt.date,
                extra: dict[str, str]) -> list[dict[str, str]]:
    """The values a notice template may use, page by page (what the pages share is worked out once: a street's
    78,768 households took 0.2 s the other way). Entrance pages name nobody."""
    # every field in the order a template lists them; the page's own are filled in below
    shared = {"社区": settings.community or "社区", "称呼": "", "住址": "", "楼栋": "", "单元": "",
              "日期": f"{day.year}年{day.month}月{day.day}日", "截止时间": settings.deadline, "热线": settings.hotline,
              "办公地址": settings.office, "心理援助热线": settings.psych_hotline, "网格员": "", "网格员电话": ""}
    given = {k: v for k, v in extra.items() if v != ""}
    pages = []
    for recipient in recipients:
        values = shared.copy()
        values.update({"称呼": recipient.salutation, "住址": recipient.address, "楼栋": recipient.building,
                       "单元": recipient.unit})
        if recipient.kind == "household":
            values.update({"网格员": recipient.worker, "网格员电话": recipient.worker_phone})
        values.update(given)
        pages.append(values)
    return pages


def check_phones(values: list[dict[str, str]]) -> None:
    """A notice that asks residents to phone must print a number on every page: the household's grid worker's
    (from [workers]) or the community hotline. Checked before anything is written; names who lacks one."""
    no_phone: dict[str, int] = {}
    nothing = 0
    for page in values:
        if page.get("网格员电话"):
            continue
        if page.get("网格员"):
            no_phone[page["网格员"]] = no_phone.get(page["网格员"], 0) + 1
        elif not page.get("热线"):
            nothing += 1
    if no_phone:
        named = "、".join(f"{worker}（{count} 户）" for worker, count in no_phone.items())
        raise GridtoolError(f"通知上请居民打电话给网格员，但这些网格员没有电话：{named}。",
                            f"请在 gridtool.toml 的 [workers] 中填写，例如 \"{next(iter(no_phone))}\" = \"13800000001\"；"
                            "以上检查在生成任何文件之前进行。")
    if nothing:
        raise GridtoolError(f"通知上请居民打电话，但有 {nothing} 页既没有网格员电话，也没有社区热线。",
                            "请在 gridtool.toml 中填写 hotline = \"社区电话\"，或用 --set 热线=… 提供。")


@dataclass
class Audience:
    people: pd.DataFrame
    date: dt.date
    worker_phones: dict[str, str]


def notice_audience(settings: Settings, roster: Path | None, checkins: list[Path], date: dt.date | None,
                    assignments: Path | None = None, progress: Progress | None = None) -> Audience:
    """Residents with their situation: from the check-ins (with the followups checks) or the roster alone."""
    phones = dict(settings.workers)
    if checkins:
        result = followups(checkins, settings, date, roster, progress, extras=Extras(assignments))
        return Audience(result.people, result.date, phones)
    if roster is None:
        raise GridtoolError("需要居民名单：请用 --roster 给出居民名册，或用 --checkins 给出打卡表。")
    loaded = load_sources([p for p in (roster, assignments) if p], settings, progress)
    if not loaded.of(*PEOPLE_KINDS):
        raise kind_missing(loaded, [roster], "居民名册", "名册需要「姓名」列和住址或房号。", "请检查 --roster 是否选错了文件。")
    people, _ = build_roster(loaded.of(*PEOPLE_KINDS))
    if people.empty:
        raise GridtoolError(f"名册 {roster.name} 中没有找到居民表（需要「姓名」列）。")
    found = list(settings.assignments) + [a for t in loaded.tables["assignments"] for a in assignments_from_table(t)]
    people["worker"] = assign_workers(people, found)
    people["exempt_reason"] = exempt_by_status(people)
    people["exempt"] = people["exempt_reason"] != ""
    people["missing"] = False
    return Audience(people, date or dt.date.today(), phones)


def choose_recipients(settings: Settings, roster: Path | None, checkins: list[Path], only: str | None,
                      per: str | None, date: dt.date | None,
                      progress: Progress | None = None) -> tuple[list[Recipient], list[dict[str, str]], dt.date]:
    """The pages to print: entrances per building or unit, or households chosen by `--only`."""
    groups = parse_only(only)
    per = choose("--per", per, PER_LABELS) if per else ("household" if groups else "building")
    if any("missing" in g for g in groups) and not checkins:
        raise GridtoolError("--only 未打卡 需要知道谁没打卡：请同时给出 --checkins 打卡表。")
    audience = notice_audience(settings, roster, checkins, date, progress=progress)
    if per == "household":
        recipients, skipped = households(audience.people, groups, audience.date, settings, audience.worker_phones)
    else:
        recipients, skipped = entrances(audience.people, per), []
    if not recipients:
        raise GridtoolError("没有符合条件的楼栋或住户，未生成通知。", "请检查 --only 条件和名册内容。")
    return recipients, skipped, audience.date
