"""One day's status for every resident: checked in, missing (and for how many days), fever, symptoms,
an unreadable temperature, exempt; counts per worker and building; and what changed since the day before."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from gridtool.config import Assignment, Settings
from gridtool.domain.checkins.flagged import REASONS
from gridtool.domain.checkins.observations import ABSENT, CHECKED, MISSING, day_states, missing_streak, temperature_flags
from gridtool.domain.checkins.tallies import COUNT_COLUMNS, building_history, group_counts
from gridtool.domain.findings import Finding, MatchNote
from gridtool.domain.people.residents import assign_workers, exempt_by_status, exemption_periods
from gridtool.table.address import format_address
from gridtool.table.columnwise import picked
from gridtool.table.distinct import Distinct
from gridtool.table.header import Table
from gridtool.table.read import sheet_place

UNASSIGNED = "未分配"
CHANGE_LABELS = {"newly_missing": "新增未打卡", "back": "恢复打卡", "new_fever": "新增发热",
                 "recovered": "体温恢复正常"}


@dataclass
class DayStatus:
    people: pd.DataFrame
    counts: dict[str, int]
    by_worker: pd.DataFrame
    by_building: pd.DataFrame
    changes: pd.DataFrame
    previous: dt.date | None
    superseded: list[MatchNote] = field(default_factory=list)
    history: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class Context:
    """What a day is judged against: the settings, the worker assignments and the exemptions."""

    settings: Settings
    roster_mode: bool
    assignments: list[Assignment]
    exemption_tables: list[Table]
    year: int


# What a day's report holds (the last row of the day), and what the rows behind it add for `superseded`.
REPORT_COLUMNS = ["checked_in", "temp_unreadable", "symptoms", "fever_answer", "temp_low", "temp_high", "temperature",
                  "code", "worker", "status", "temp_text", "symptom_detail", "code_text"]
LATEST_COLUMNS = ["person", "date", *REPORT_COLUMNS, "time", "file", "sheet", "row"]


@dataclass
class Latest:
    """Each resident's last row of each day, as positions in `obs` (`positions`; a day's rows ordered not
    checked in first, then as they came), each one's position in `days` (`day`), and the target day's other
    rows, which the last ones hide (`hidden`, every column). `rows` is those rows' LATEST_COLUMNS, taken
    when asked for: a day's report takes its columns from `obs` at once, not through a taken copy."""

    obs: pd.DataFrame
    positions: np.ndarray
    day: np.ndarray
    hidden: pd.DataFrame

    @cached_property
    def rows(self) -> pd.DataFrame:
        columns = [self.obs.columns.get_loc(c) for c in LATEST_COLUMNS if c in self.obs.columns]
        return self.obs.iloc[self.positions, columns]

    @cached_property
    def person(self) -> np.ndarray:
        person: np.ndarray = self.obs["person"].to_numpy(np.int64)[self.positions]
        return person


def latest_rows(obs: pd.DataFrame, days: list[dt.date], target: dt.date) -> Latest:
    """The rows that count: positions worked out on a few integer columns; no column is taken until needed."""
    position = {d: i for i, d in enumerate(days)}
    if "day" in obs.columns:  # each row's position in `days`, found by up_to_day
        day = obs["day"].to_numpy(np.int64)
    else:
        codes, uniques = pd.factorize(obs["date"])
        day = np.array([position[d] for d in uniques], dtype=np.int64).take(codes) if len(obs) else codes
    person = obs["person"].to_numpy(np.int64)
    order = np.lexsort((obs["checked_in"].to_numpy(bool), day))  # stable: equal keys keep their order
    last = ~pd.Series(person[order] * len(days) + day[order]).duplicated(keep="last").to_numpy()
    hidden = order[~last & (day[order] == position[target])]
    return Latest(obs, order[last], day[order[last]], obs.iloc[hidden])


def _report(latest: Latest, day: dt.date, days: list[dt.date], residents: int) -> pd.DataFrame:
    """Each resident's last report of the day (all-missing rows for those without one), taken from the
    observations at once; not taken at all when the day's rows are the observations in resident order."""
    on_day = np.flatnonzero(latest.day == days.index(day))
    rows = np.full(residents, -1, dtype=np.int64)
    rows[latest.person[on_day]] = np.arange(len(on_day))
    columns = [latest.obs.columns.get_loc(c) for c in REPORT_COLUMNS if c in latest.obs.columns]
    taken = latest.positions[on_day]
    if (rows >= 0).all():
        source = taken[rows]
        same = len(source) == len(latest.obs) and bool((source == np.arange(len(source))).all())
        report = latest.obs.iloc[:, columns] if same else latest.obs.iloc[source, columns]
    else:  # those without a row: all missing, as a reindex gives them
        report = latest.obs.iloc[taken, columns].reset_index(drop=True).reindex(rows)
    report.index = pd.RangeIndex(residents, name="person")
    for column in ("checked_in", "temp_unreadable", "symptoms", "fever_answer"):
        report[column] = report[column].fillna(False).astype(bool)
    return report


def evaluate_day(obs: pd.DataFrame, residents: pd.DataFrame, days: list[dt.date], target: dt.date,
                 context: Context, problems: list[Finding]) -> DayStatus:
    known = obs["person"] >= 0
    latest = latest_rows(obs if known.all() else obs[known], days, target)
    count = len(residents)
    checked = latest.obs["checked_in"].to_numpy(bool)[latest.positions]
    states = day_states(latest.person, latest.day, checked, count, len(days))
    absent_is_missing = context.roster_mode or not bool((states == MISSING).any())
    missed = (states == MISSING) | ((states == ABSENT) & absent_is_missing)
    in_scope = np.ones(count, bool) if absent_is_missing else states[:, -1] != ABSENT
    report = _report(latest, target, days, count)
    people = residents.copy(deep=False)  # copy-on-write: the new columns are people's alone
    people["worker"] = assign_workers(_today_worker(people, report), context.assignments).replace("", UNASSIGNED)
    people["exempt_reason"] = _exemptions(people, report, context, target, problems)
    exempt = in_scope & people["exempt_reason"].ne("").to_numpy()
    active = in_scope & ~exempt
    flags = temperature_flags(report, context.settings)
    people["missing"] = active & missed[:, -1]
    people["missing_days"] = np.where(people["missing"], missing_streak(missed), 0)
    people["checked_in"] = active & report["checked_in"].to_numpy()
    for name in ("fever", "urgent", "temp_check", "bad_temperature", "health_code"):
        people[name] = active & flags[name].to_numpy()
    people["symptoms"] = active & report["symptoms"].to_numpy()
    people["exempt"] = exempt
    people["flagged"] = people[list(REASONS)].any(axis=1)
    for column in ("temp_text", "symptom_detail", "code_text"):
        people[column] = report[column].fillna("").set_axis(people.index)
    readable = report["checked_in"] & ~report["temp_unreadable"] & ~flags["bad_temperature"]
    people["temperature"] = report["temperature"].where(readable).to_numpy()
    counts = {"residents": int(in_scope.sum()), **{n: int(people[n][in_scope].sum()) for n in COUNT_COLUMNS[1:]},
              "urgent": int(people["urgent"].sum()), "temp_check": int(people["temp_check"].sum()),
              "health_code": int(people["health_code"].sum())}
    previous = days[-2] if len(days) >= 2 and days[-2] == target - dt.timedelta(days=1) else None
    changes = _changes(people[in_scope & ~exempt], missed[in_scope & ~exempt],
                       _report(latest, previous, days, count)[in_scope & ~exempt], context.settings) \
        if previous else pd.DataFrame(columns=["name", "building", "unit", "room", "worker", "change", "label"])
    scoped = people[in_scope]
    return DayStatus(people, counts, group_counts(scoped, "worker"), group_counts(scoped, "building"), changes,
                     previous, superseded(latest, context.settings),
                     building_history(people["building"], states == CHECKED, days, active))


def superseded(rows: Latest, settings: Settings) -> list[MatchNote]:
    """A day's last submission counts; say so when it hides an earlier one (of `hidden`, the day's rows that
    are not its last) that reported fever or symptoms."""
    hidden = rows.hidden
    earlier = hidden[hidden["checked_in"] & (temperature_flags(hidden, settings)["fever"] | hidden["symptoms"])]
    if earlier.empty:
        return []
    latest = rows.rows
    calm = latest[~(temperature_flags(latest, settings)["fever"] | latest["symptoms"])]
    last = calm.set_index(["person", "date"])
    notes = []
    for row in earlier.itertuples():
        key = (row.person, row.date)
        if key not in last.index:
            continue
        then = last.loc[key]
        said = f"体温「{row.temp_text}」" if row.temp_text else ""
        said = "、".join(p for p in (said, f"症状「{row.symptom_detail or '是'}」" if row.symptoms else "") if p)
        notes.append(MatchNote(
            "superseded", str(row.file), str(row.sheet), int(row.row), str(row.name),
            format_address(row.building, row.unit, row.room), str(row.phone),
            f"同一天较早的提交{_at(row.time)}报告了{said or '发热'}，最后一次提交{_at(then['time'])}"
            f"（{sheet_place(str(then['file']), str(then['sheet']))}第{int(then['row'])}行）没有，按最后一次计，请核实"))
    return notes


def _at(moment: object) -> str:
    return f"（{moment:%H:%M}）" if isinstance(moment, dt.time) else ""


def _changes(people: pd.DataFrame, missed: np.ndarray, before: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Newly missing, back, new fever and recovered: today against the day before."""
    was_missing = missed[:, -2]
    had_fever = (before["checked_in"] & temperature_flags(before, settings)["fever"]).to_numpy()
    marks = {
        "newly_missing": people["missing"].to_numpy() & ~was_missing,
        "back": was_missing & people["checked_in"].to_numpy(),
        "new_fever": people["fever"].to_numpy() & ~had_fever,
        "recovered": had_fever & people["checked_in"].to_numpy() & ~people["fever"].to_numpy()
        & people["temperature"].notna().to_numpy(),
    }
    parts = [people.loc[mask, ["name", "building", "unit", "room", "worker"]].assign(change=code,
                                                                                    label=CHANGE_LABELS[code])
             for code, mask in marks.items()]
    return pd.concat(parts, ignore_index=True)


def _today_worker(people: pd.DataFrame, report: pd.DataFrame) -> pd.DataFrame:
    """A worker named in today's row wins over the roster's."""
    worker = report["worker"].fillna("").astype(str).set_axis(people.index)  # as columns, not a million objects
    return people.assign(worker=worker.where(worker != "", people["worker"].fillna("").astype(str)))


def _exemptions(people: pd.DataFrame, report: pd.DataFrame, context: Context, target: dt.date,
                problems: list[Finding]) -> pd.Series:
    """Why a resident is exempt today: a status (外出, 住院 …) or a registered period covering the day."""
    reason = _status_reasons(report["status"], people["status"]).set_axis(people.index)
    for table in context.exemption_tables:
        unique_names = people.drop_duplicates("name_key", keep=False)
        periods, found = exemption_periods(table, context.year)
        problems += found
        current = periods[(periods["start"] <= target) & (periods["end"] >= target)]
        why = current["reason"].replace("", "已登记免打卡")
        from_key = people["person_key"].map(dict(zip(current["person_key"], why, strict=True)))
        from_name = people["name_key"].map(dict(zip(current["name_key"], why, strict=True)))
        from_name = from_name.where(people.index.isin(unique_names.index))
        reason = reason.where(reason != "", from_key.fillna(from_name).fillna(""))
    return reason


def _status_reasons(today: pd.Series, roster: pd.Series) -> pd.Series:
    """exempt_by_status of each resident's status, today's where their row gives one, else the roster's:
    worked out once per distinct text, each row picking its reason by code."""
    first, second = Distinct.of(today), Distinct.of(roster)
    texts = [str(text) for text in (*first.texts, *second.texts)] + [""]
    given = np.array([text != "" for text in texts[:len(first.texts)]] + [False])  # code -1: not given
    from_roster = np.where(second.codes >= 0, len(first.texts) + second.codes, len(texts) - 1)
    codes = np.where(given[first.codes], first.codes, from_roster)
    reasons = exempt_by_status(pd.DataFrame({"status": texts}))
    return pd.Series(picked(reasons.tolist(), codes), index=today.index, name="status")
