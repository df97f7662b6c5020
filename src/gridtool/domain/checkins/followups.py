"""Who needs a follow-up on a day: not checked in, fever, symptoms, an unreadable temperature,
missed days in a row; the exempt left out; each resident handed to their grid worker.

`followups()` returns a FollowupResult and prints or writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gridtool.config import Assignment, Settings
from gridtool.domain.checkins.days import up_to_day
from gridtool.domain.checkins.daystatus import CHANGE_LABELS, Context, evaluate_day
from gridtool.domain.checkins.flagged import flagged_table
from gridtool.domain.checkins.observations import observations
from gridtool.domain.findings import Finding, MatchNote, finding, reading_findings
from gridtool.domain.loop.carryover import Deadline, carried_over, hand_out, resolved_today
from gridtool.domain.loop.logread import LogFile, read_log
from gridtool.domain.people.matching import explain_unmatched
from gridtool.domain.people.residents import PERSON_COLUMNS, assignments_from_table, build_roster
from gridtool.domain.sources import PEOPLE_KINDS, Loaded, Progress, SourceInfo, kind_missing, load_sources
from gridtool.errors import GridtoolError
from gridtool.table.columns import merge_synonyms, require
from gridtool.table.distinct import arrow_codes
from gridtool.table.header import Table


@dataclass
class FollowupResult:
    """flagged: everyone needing follow-up today (with `resolved` when the log already closed it);
    handout: the rows on the workers' lists (unresolved, plus open items carried from the day before)."""

    date: dt.date
    days: list[dt.date]
    counts: dict[str, int]
    flagged: pd.DataFrame
    by_worker: pd.DataFrame
    by_building: pd.DataFrame
    handout: pd.DataFrame
    changes: pd.DataFrame
    previous: dt.date | None = None
    carried: pd.DataFrame = field(default_factory=pd.DataFrame)
    people: pd.DataFrame = field(default_factory=pd.DataFrame)
    assignments: list[Assignment] = field(default_factory=list)
    requests: list[Table] = field(default_factory=list)
    notes: list[MatchNote] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    sources: list[SourceInfo] = field(default_factory=list)
    roster_mode: bool = False
    log: pd.DataFrame | None = None  # the follow-up log read with --log, for what else it says was done
    history: pd.DataFrame = field(default_factory=pd.DataFrame)
    log_file: LogFile | None = None  # the log as read, which entering the handout takes again if unchanged

    def changes_by_kind(self) -> dict[str, pd.DataFrame]:
        """newly_missing, back, new_fever, recovered: each a table of residents (empty without yesterday)."""
        return {code: self.changes[self.changes["change"] == code] for code in CHANGE_LABELS}


@dataclass
class Inputs:
    """What a day is judged from, already loaded: the check-in files' tables, the tables of the files given
    as roster or requests (`extra`), the roster and follow-up log named by the user, and the assignment sheets."""

    checkins: Loaded
    extra: Loaded
    roster: Path | None = None
    log: Path | None = None
    assignments: list[Table] = field(default_factory=list)  # the sheets of --assignments (assignment_tables)


@dataclass(frozen=True)
class Extras:
    """The other files a day can be judged with: the worker assignments, the follow-up log, request logs."""

    assignments: Path | None = None
    log: Path | None = None
    requests: tuple[Path, ...] = ()


def followups(checkins: list[Path], settings: Settings, date: dt.date | None = None,
              roster: Path | None = None, progress: Progress | None = None, today: dt.date | None = None,
              extras: Extras = Extras()) -> FollowupResult:
    inputs = load_sources(checkins, settings, progress)
    if not inputs.tables["checkins"]:
        _explain_no_table(inputs, checkins, settings)
    extra = load_sources([p for p in (roster, *extras.requests) if p], settings, progress)
    assigned = assignment_tables(extras.assignments, settings, progress) if extras.assignments else []
    return judge_day(Inputs(inputs, extra, roster, extras.log, assigned), settings, date, today, progress)


def judge_day(loaded: Inputs, settings: Settings, date: dt.date | None = None, today: dt.date | None = None,
              progress: Progress | None = None) -> FollowupResult:
    """Everyone's status on the day (the latest day in the data unless `date`), from tables already loaded."""
    today = today or dt.date.today()
    year = (date or today).year
    inputs, extra, roster, log = loaded.checkins, loaded.extra, loaded.roster, loaded.log
    assigned = list(loaded.assignments)
    roster_tables = extra.of(*PEOPLE_KINDS) if roster else inputs.tables["roster"]
    if roster and not roster_tables:
        raise kind_missing(extra, [roster], "居民名册", "名册需要「姓名」列和住址或房号。",
                           "请检查 --roster 是否选错了文件或工作表。")
    if progress:
        progress("检查打卡记录")
    obs, problems = _named_observations(inputs.tables["checkins"], year, date or today)
    problems = reading_findings(inputs.read_notes + extra.read_notes) + problems
    roster_frame, roster_problems = _roster(roster_tables)
    problems += roster_problems
    obs, days, target = up_to_day(obs, date)
    notes: list[MatchNote] = []
    if roster_tables:
        residents, person = roster_frame, _match_roster(obs, roster_frame, settings, notes)
    else:
        residents, person = _residents_from(obs)
    assigned += inputs.tables["assignments"] + extra.tables["assignments"]
    context = Context(settings, bool(roster_tables), _assignments(settings, assigned),
                      inputs.tables["exemptions"] + extra.tables["exemptions"], year)
    status = evaluate_day(obs.assign(person=person), residents, days, target, context, problems)
    flagged = flagged_table(status.people, target)
    log_file = _follow_up_log(log)
    followlog = log_file.log if log_file is not None else None
    flagged["resolved"] = resolved_today(flagged, followlog, target) if followlog is not None else ""
    deadline = Deadline(dt.datetime.now().replace(microsecond=0), settings.overdue_hours)
    carried = carried_over(followlog, target, deadline) if followlog is not None \
        else pd.DataFrame(columns=["person_key"])
    return FollowupResult(
        date=target, days=days, counts={**status.counts, "resolved": int((flagged["resolved"] != "").sum())},
        flagged=flagged, by_worker=status.by_worker, by_building=status.by_building,
        handout=hand_out(flagged, carried, target) if followlog is not None else flagged,
        changes=status.changes, previous=status.previous, carried=carried, notes=notes + status.superseded,
        problems=problems, sources=inputs.sources + extra.sources, roster_mode=bool(roster_tables),
        people=status.people, assignments=context.assignments,
        requests=extra.tables["requests"] + inputs.tables["requests"], log=followlog, history=status.history, log_file=log_file,
    )


def _named_observations(tables: Sequence[Table], year: int, day: dt.date) -> tuple[pd.DataFrame, list[Finding]]:
    """Every check-in row that names someone; a row without a name is a finding, a table without any an error."""
    obs, problems = observations(tables, year, day)
    unnamed = obs["name_key"] == ""
    problems += [finding("no_name", r.file, r.sheet, int(r.row)) for r in obs[unnamed].itertuples()]
    obs = obs[~unnamed]
    if obs.empty:
        where = "、".join(t.where for t in tables)
        raise GridtoolError(f"{where}：表头找到了，但下面没有任何居民（姓名列是空的）。",
                            "请确认导出的是填好的表格，而不是空白模板。")
    return obs, problems


def _roster(tables: Sequence[Table]) -> tuple[pd.DataFrame, list[Finding]]:
    """The residents of the roster sheets (none without any); sheets with no resident at all are an error."""
    frame, problems = build_roster(tables)
    if tables and frame.empty:
        where = "、".join(t.where for t in tables)
        raise GridtoolError(f"名册 {where} 中没有任何居民（姓名列是空的）。", "请检查是否选错了文件或工作表。")
    return frame, problems


def _follow_up_log(log: Path | None) -> LogFile | None:
    """The follow-up log named with --log, read; None without one."""
    if log is None:
        return None
    if not log.exists():
        raise GridtoolError(f"找不到跟进记录：{log}",
                            "第一次使用时先运行 gridtool collect 收回待跟进表，它会新建跟进记录。")
    return read_log(log)


def _explain_no_table(inputs: Loaded, paths: list[Path], settings: Settings) -> None:
    """No sheet looked like a check-in table: say what was seen and what is needed."""
    if inputs.tables["roster"]:
        where = "、".join(t.where for t in inputs.tables["roster"])
        raise GridtoolError(
            f"{where} 看起来是居民名册，不是打卡表：表中没有体温、打卡时间、是否打卡或症状列。",
            "名册请用 --roster 名册.xlsx 给出，打卡表（或收集表的提交记录）作为第一个参数。")
    seen = [s for s in inputs.sources if s.header_row is not None]
    if seen:
        best = max(seen, key=lambda s: len(s.fields))
        require(best.fields, ["name"], best.where, best.headers, merge_synonyms(settings.columns))
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
    by = "day" if "day" in obs.columns else "date"  # up_to_day's positions sort as the dates do
    ordered = obs if obs[by].is_monotonic_increasing else obs.sort_values(by, kind="stable")
    encoded = arrow_codes(ordered["person_key"])  # a million keys: Arrow's hash without pandas around it
    codes, uniques = encoded if encoded is not None else pd.factorize(ordered["person_key"])
    described = [c for c in PERSON_COLUMNS if c not in ("worker", "status")]
    if len(uniques) == len(ordered):  # a row per resident (one day's sheet): no grouping to do
        residents = _each_row(ordered[described + ["worker", "status"]])
    else:
        latest = ordered.assign(code=codes).groupby("code", sort=True)
        residents = latest[described].last()
        non_blank = ordered[["worker", "status"]].replace("", None).assign(code=codes)
        residents[["worker", "status"]] = non_blank.groupby("code", sort=True)[["worker", "status"]].last()
    residents = residents.fillna({"worker": "", "status": ""}).reset_index(drop=True)
    person = pd.Series(codes, index=ordered.index).reindex(obs.index)
    return residents, person.astype("int64")


def _each_row(rows: pd.DataFrame) -> pd.DataFrame:
    """Each row as the group of one that `groupby(...).last()` would make of it: a blank worker or status is
    missing, a missing value in an object column is None."""
    rows = rows.reset_index(drop=True)
    rows[["worker", "status"]] = rows[["worker", "status"]].replace("", None)
    for column in rows.columns:
        if rows[column].dtype == np.dtype(object) and rows[column].isna().any():
            rows[column] = rows[column].where(rows[column].notna(), None)
    return rows


def _assignments(settings: Settings, tables: list[Table]) -> list[Assignment]:
    found = list(settings.assignments)
    for table in tables:
        found += assignments_from_table(table)
    return found


def assignment_tables(path: Path, settings: Settings, progress: Progress | None = None) -> list[Table]:
    """The worker-assignment sheets of the --assignments file, and only those: a roster workbook that also
    holds a 网格分工 sheet lends that sheet, and a roster alone is said to be one, not read as residents
    twice (each then a false 名册中重复登记)."""
    loaded = load_sources([path], settings, progress)
    if loaded.tables["assignments"]:
        return list(loaded.tables["assignments"])
    if loaded.of(*PEOPLE_KINDS):
        raise GridtoolError(
            f"--assignments 给出的 {path.name} 是居民名册（每行一位居民），不是网格分工表。",
            "名册请用 --roster 给出；--assignments 需要每行一个楼栋（或单元）和它的网格员、楼栋长，"
            "如「楼栋、网格员、楼栋长、电话」。")
    raise kind_missing(loaded, [path], "网格分工表", "分工表需要「楼栋」列和「网格员」或「楼栋长」列。",
                       "请检查 --assignments 是否选错了文件。")


