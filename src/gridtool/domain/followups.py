"""Who needs a follow-up on a day: not checked in, fever, symptoms, an unreadable temperature,
missed days in a row; the exempt left out; each resident handed to their grid worker.

`followups()` returns a FollowupResult and prints or writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gridtool.config import Assignment, Settings
from gridtool.domain.checkins import (
    ABSENT,
    MISSING,
    day_states,
    missing_streak,
    observations,
    temperature_flags,
)
from gridtool.domain.findings import Finding, MatchNote
from gridtool.domain.matching import explain_unmatched
from gridtool.domain.residents import (
    PERSON_COLUMNS,
    assign_workers,
    assignments_from_table,
    build_roster,
    exempt_by_status,
    exemption_periods,
)
from gridtool.domain.sources import Loaded, Progress, SourceInfo, load_tables
from gridtool.errors import GridtoolError
from gridtool.table.columns import merge_synonyms, require
from gridtool.table.header import Table
from gridtool.table.values import format_address

REASONS = ("missing", "fever", "symptoms", "bad_temperature")
UNASSIGNED = "未分配"
COUNT_COLUMNS = ["residents", "exempt", "checked_in", "missing", "fever", "symptoms", "bad_temperature",
                 "flagged"]


@dataclass
class FollowupResult:
    date: dt.date
    days: list[dt.date]
    counts: dict[str, int]
    flagged: pd.DataFrame
    by_worker: pd.DataFrame
    by_building: pd.DataFrame
    notes: list[MatchNote] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    sources: list[SourceInfo] = field(default_factory=list)
    roster_mode: bool = False


def followups(checkins: list[Path], settings: Settings, date: dt.date | None = None,
              roster: Path | None = None, assignments: Path | None = None,
              progress: Progress | None = None, today: dt.date | None = None) -> FollowupResult:
    today = today or dt.date.today()
    year = (date or today).year
    synonyms = merge_synonyms(settings.columns)
    inputs = load_tables(checkins, settings, progress, synonyms)
    if not inputs.tables["people"]:
        _explain_no_table(inputs, checkins, synonyms)
    extra = load_tables([p for p in (roster, assignments) if p], settings, progress, synonyms)
    if roster and not extra.tables["people"]:
        raise GridtoolError(f"名册 {roster.name} 中没有找到居民表（需要「姓名」列）。")
    if progress:
        progress("检查打卡记录")
    obs, problems = observations(inputs.tables["people"], year, date or today)
    unnamed = obs["name_key"] == ""
    problems += [Finding("no_name", r.file, r.sheet, int(r.row), "", "", "这一行没有姓名，已跳过")
                 for r in obs[unnamed].itertuples()]
    obs = obs[~unnamed]
    target = date or max(obs["date"])
    if not roster and not (obs["date"] == target).any():
        known = "、".join(sorted({f"{d:%m月%d日}" for d in obs["date"]}))
        raise GridtoolError(f"数据中没有 {target:%Y年%m月%d日} 的打卡记录。数据包含的日期：{known}。",
                            "请检查 --date，或确认导出的是当天的表格。")
    obs = obs[obs["date"] <= target]
    days = sorted(set(obs["date"]) | {target})
    roster_frame, roster_problems = build_roster(extra.tables["people"])
    problems += roster_problems
    notes: list[MatchNote] = []
    if roster:
        residents, person = roster_frame, _match_roster(obs, roster_frame, settings, notes)
    else:
        residents, person = _residents_from(obs)
    obs = obs.assign(person=person)
    result = _evaluate(obs, residents, days, target, settings, bool(roster),
                       _assignments(settings, inputs, extra), inputs.tables["exemptions"]
                       + extra.tables["exemptions"], year, problems)
    result.notes = notes
    result.sources = inputs.sources + extra.sources
    return result


def _explain_no_table(inputs: Loaded, paths: list[Path], synonyms: dict[str, tuple[str, ...]]) -> None:
    """No sheet looked like a check-in table: say what was seen and what is needed."""
    seen = [s for s in inputs.sources if s.header_row is not None]
    if seen:
        best = max(seen, key=lambda s: len(s.fields))
        where = f"{best.file}「{best.sheet}」" if best.sheet else best.file
        require(best.fields, ["name"], where, best.headers, synonyms)
    names = "、".join(p.name for p in paths)
    raise GridtoolError(
        f"{names}：没有找到打卡表。表格是空的，或前 30 行中没有可识别的表头"
        "（如「姓名」「房号」「体温」「打卡时间」）。",
        "可运行 `gridtool check 文件` 查看程序读到的内容；列名不同时可在 gridtool.toml 的 [columns] 中添加。",
    )


def _match_roster(obs: pd.DataFrame, roster: pd.DataFrame, settings: Settings,
                  notes: list[MatchNote]) -> pd.Series:
    """Roster position of each observation: exact key first, then explained near-misses; -1 if none."""
    position = pd.Series(np.arange(len(roster)), index=roster["person_key"])
    person = obs["person_key"].map(position)
    left = person.isna()
    if left.any():
        matched, found = explain_unmatched(obs[left], roster, settings.match_score)
        person[left] = matched.replace(-1, np.nan)
        notes += found
    return person.fillna(-1).astype("int64")


def _residents_from(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Without a roster, the residents are everyone the check-ins name; the latest row describes them."""
    ordered = obs.sort_values("date", kind="stable")
    codes, _ = pd.factorize(ordered["person_key"])
    latest = ordered.assign(code=codes).groupby("code", sort=True)
    residents = latest[[c for c in PERSON_COLUMNS if c not in ("worker", "status")]].last()
    non_blank = ordered[["worker", "status"]].replace("", None).assign(code=codes)
    residents[["worker", "status"]] = non_blank.groupby("code", sort=True)[["worker", "status"]].last()
    residents = residents.fillna({"worker": "", "status": ""}).reset_index(drop=True)
    person = pd.Series(codes, index=ordered.index).reindex(obs.index)
    return residents, person.astype("int64")


def _assignments(settings: Settings, *loaded: Loaded) -> list[Assignment]:
    found = list(settings.assignments)
    for part in loaded:
        for table in part.tables["assignments"]:
            found += assignments_from_table(table)
    return found


def _evaluate(obs: pd.DataFrame, residents: pd.DataFrame, days: list[dt.date], target: dt.date,
              settings: Settings, roster_mode: bool, assignments: list[Assignment],
              exemption_tables: list[Table], year: int, problems: list[Finding]) -> FollowupResult:
    obs = obs[obs["person"] >= 0].sort_values(["date", "checked_in"], kind="stable")
    latest = obs.drop_duplicates(["person", "date"], keep="last")
    day_index = {day: i for i, day in enumerate(days)}
    states = day_states(latest["person"].to_numpy(), latest["date"].map(day_index).to_numpy(),
                        latest["checked_in"].to_numpy(bool), len(residents), len(days))
    explicit_missing = bool((states == MISSING).any())
    absent_is_missing = roster_mode or not explicit_missing
    missed = (states == MISSING) | ((states == ABSENT) & absent_is_missing)
    today = states[:, -1]
    in_scope = np.ones(len(residents), bool) if absent_is_missing else today != ABSENT
    report = latest[latest["date"] == target].set_index("person").reindex(range(len(residents)))
    report["checked_in"] = report["checked_in"].fillna(False).astype(bool)
    report["temp_unreadable"] = report["temp_unreadable"].fillna(False).astype(bool)
    people = residents.copy()
    people["worker"] = assign_workers(_today_worker(people, report), assignments).replace("", UNASSIGNED)
    people["exempt_reason"] = _exemptions(people, report, exemption_tables, target, year, problems)
    people["in_scope"] = in_scope
    exempt = in_scope & people["exempt_reason"].ne("").to_numpy()
    active = in_scope & ~exempt
    flags = temperature_flags(report, settings)
    people["missing"] = active & missed[:, -1]
    people["missing_days"] = np.where(people["missing"], missing_streak(missed), 0)
    people["checked_in"] = active & report["checked_in"].to_numpy()
    for name in ("fever", "urgent", "bad_temperature"):
        people[name] = active & flags[name].to_numpy()
    people["symptoms"] = active & report["symptoms"].fillna(False).astype(bool).to_numpy()
    people["exempt"] = exempt
    people["flagged"] = people[list(REASONS)].any(axis=1)
    for column in ("temp_text", "symptom_detail"):
        people[column] = report[column].fillna("").to_numpy()
    readable = report["checked_in"] & ~report["temp_unreadable"]
    people["temperature"] = report["temperature"].where(readable & ~flags["bad_temperature"]).to_numpy()
    counts = {name: int(people[name].sum()) for name in COUNT_COLUMNS[1:]}
    counts = {"residents": int(in_scope.sum()), **counts, "urgent": int(people["urgent"].sum())}
    scoped = people[in_scope]
    return FollowupResult(
        date=target, days=days, counts=counts, flagged=flagged_table(people, target),
        by_worker=_group_counts(scoped, "worker"), by_building=_group_counts(scoped, "building"),
        problems=problems, roster_mode=roster_mode,
    )


def _today_worker(people: pd.DataFrame, report: pd.DataFrame) -> pd.DataFrame:
    """A worker named in today's row wins over the roster's."""
    worker = report["worker"].fillna("").astype(str).to_numpy()
    return people.assign(worker=np.where(worker != "", worker, people["worker"].fillna("")))


def _exemptions(people: pd.DataFrame, report: pd.DataFrame, tables: list[Table], target: dt.date,
                year: int, problems: list[Finding]) -> pd.Series:
    status = report["status"].fillna("").astype(str).to_numpy()
    reason = exempt_by_status(people.assign(status=np.where(status != "", status, people["status"])))
    unique_names = people.drop_duplicates("name_key", keep=False)
    for table in tables:
        periods, found = exemption_periods(table, year)
        problems += found
        current = periods[(periods["start"] <= target) & (periods["end"] >= target)]
        by_key = dict(zip(current["person_key"], current["reason"].replace("", "已登记免打卡"), strict=True))
        by_name = dict(zip(current["name_key"], current["reason"].replace("", "已登记免打卡"), strict=True))
        from_key = people["person_key"].map(by_key)
        from_name = people["name_key"].map(by_name).where(people.index.isin(unique_names.index))
        reason = reason.where(reason != "", from_key.fillna(from_name).fillna(""))
    return reason


def flagged_table(people: pd.DataFrame, target: dt.date) -> pd.DataFrame:
    """The flagged residents, most urgent first, with plain-Chinese reasons and a stable key."""
    flagged = people[people["flagged"]].copy()
    flagged["tier"] = np.select(
        [flagged["urgent"], flagged["fever"], flagged["symptoms"], flagged["bad_temperature"]],
        [0, 1, 2, 3], default=4,
    )
    flagged = flagged.sort_values(
        ["tier", "missing_days", "temperature", "building", "unit", "room"],
        ascending=[True, False, False, True, True, True], kind="stable", na_position="last",
    )
    flagged["address"] = [format_address(b, u, r) for b, u, r in
                          zip(flagged["building"], flagged["unit"], flagged["room"], strict=True)]
    marks = [flagged[r].tolist() for r in REASONS]
    flagged["reasons"] = [[r for r, hit in zip(REASONS, hits, strict=True) if hit] for hits in zip(*marks, strict=True)]
    flagged["reason_text"] = reason_texts(flagged)
    stamp = target.isoformat()
    flagged["key"] = [hashlib.sha1(f"{stamp}|{k}".encode()).hexdigest()[:12] for k in flagged["person_key"]]
    return flagged.reset_index(drop=True)


def reason_texts(flagged: pd.DataFrame) -> list[str]:
    """未打卡 / 连续3天未打卡 / 体温37.8℃ / 有症状：咳嗽 / 体温填写有误：365, joined with ；."""
    if flagged.empty:
        return []
    degrees = flagged["temperature"].map(lambda t: "" if pd.isna(t) else f"{t:.1f}℃")
    fever = np.where(flagged["urgent"], "体温" + degrees + "（高热）",
                     np.where(flagged["fever"], "体温" + degrees, ""))
    detail = flagged["symptom_detail"].fillna("").astype(str)
    symptoms = np.where(flagged["symptoms"], np.where(detail != "", "有症状：" + detail, "有症状"), "")
    bad = np.where(flagged["bad_temperature"], "体温填写有误：" + flagged["temp_text"].astype(str) + "，请核实", "")
    days = flagged["missing_days"].astype(int)
    missing = np.where(flagged["missing"], np.where(days >= 2, "连续" + days.astype(str) + "天未打卡", "未打卡"), "")
    return ["；".join(p for p in parts if p) for parts in zip(fever, symptoms, bad, missing, strict=True)]


def _group_counts(people: pd.DataFrame, by: str) -> pd.DataFrame:
    grouped = people.assign(residents=True).groupby(by, sort=True)[COUNT_COLUMNS].sum().astype(int)
    active = grouped["residents"] - grouped["exempt"]
    grouped["rate"] = (grouped["checked_in"] / active.where(active > 0)).fillna(0.0).round(4)
    return grouped.reset_index()
