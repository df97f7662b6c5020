"""The JSON shapes scripts read: plain dicts and lists, numbers as numbers, dates as ISO text."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from gridtool.table.columnwise import records

if TYPE_CHECKING:
    from gridtool.domain.checkins.followups import FollowupResult
    from gridtool.domain.dashboard.figures import DashboardResult
    from gridtool.domain.inspect import CheckReport
    from gridtool.domain.loop.collect import CollectResult
    from gridtool.domain.loop.tasks import TaskResult
    from gridtool.domain.notices.calls import CallList
    from gridtool.domain.requests.delivery import DeliveryPlan
    from gridtool.domain.requests.report import RequestResult
    from gridtool.domain.requests.rounds import Round
    from gridtool.domain.stock.report import StockReport
    from gridtool.domain.volunteers.report import VolunteerResult
    from gridtool.output.notice_files import NoticesWritten

Record = dict[str, object]  # a JSON object as `--json` prints it


def _number(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return float(value)


FLAGGED_FIELDS = ["name", "building", "unit", "room", "phone", "worker", "reasons", "temperature",
                  "missing_days", "reason_text", "key", "resolved"]
PLACE_FIELDS = ["name", "building", "unit", "room", "worker"]


def flagged_records(flagged: pd.DataFrame) -> list[Record]:
    """One record per flagged resident, each field converted column by column (100,000 rows)."""
    return records(_flagged_table(flagged))


def flagged_json(flagged: pd.DataFrame) -> str:
    """`flagged_records` as JSON text, written column by column by pandas' C writer: 116k residents take 0.3 s,
    against 0.8 s made as dicts and dumped."""
    return str(_flagged_table(flagged).to_json(orient="records", force_ascii=False, double_precision=15))


def _flagged_table(flagged: pd.DataFrame) -> pd.DataFrame:
    """The flagged residents' fields as JSON has them: a temperature or None, whole days, reasons as a list,
    the resolution or None."""
    table = pd.DataFrame({field: flagged[field] for field in FLAGGED_FIELDS})
    temperature = pd.to_numeric(flagged["temperature"], errors="coerce").astype(float)
    table["temperature"] = temperature.astype(object).where(temperature.notna(), None)
    table["missing_days"] = flagged["missing_days"].astype(int)
    table["reasons"] = [list(reasons) for reasons in flagged["reasons"].tolist()]
    table["resolved"] = flagged["resolved"].astype(object).where(flagged["resolved"].astype(bool), None)
    return table


def _places(table: pd.DataFrame, extra: tuple[str, ...] = ()) -> list[Record]:
    fields = [f for f in (*PLACE_FIELDS, *extra) if f in table.columns]
    return [{f: str(item[f]) for f in fields} for item in records(table)]


def changes_record(by_kind: dict[str, pd.DataFrame]) -> dict[str, list[Record]]:
    return {code: _places(table) for code, table in by_kind.items()}


def count_records(table: pd.DataFrame, key: str) -> dict[str, Record]:
    return {
        str(item[key]): {k: (float(v) if k == "rate" else int(v)) for k, v in item.items() if k != key}
        for item in records(table)
    }


def followups_json(result: FollowupResult) -> str:
    """`followups_record` as JSON text with no files yet (cli.show.with_files puts them in); its flagged
    residents by `flagged_json`. The record's first "flagged" key is that list: the keys before it are
    dates and counts, and a quote inside a text is escaped."""
    text = json.dumps(followups_record(result, [], flagged=False), ensure_ascii=False, default=str)
    place = text.index(_NO_FLAGGED)
    return f'{text[:place]}"flagged": {flagged_json(result.flagged)}{text[place + len(_NO_FLAGGED):]}'


_NO_FLAGGED = '"flagged": null'


def followups_record(result: FollowupResult, files: list[Path], flagged: bool = True) -> Record:
    """`gridtool followups --json`: the date, the counts, every flagged resident (None: left for
    `followups_json`) and every file written."""
    return {
        "date": result.date.isoformat(),
        "days": [d.isoformat() for d in result.days],
        **result.counts,
        "flagged": flagged_records(result.flagged) if flagged else None,
        "previous_day": result.previous.isoformat() if result.previous else None,
        "changes": changes_record(result.changes_by_kind()),
        "carried_over": _places(result.carried, ("date", "since", "reason", "answer", "overdue")),
        "handed_out": int(len(result.handout)),
        "all_done": result.log is not None and result.handout.empty,
        "unmatched": [n.to_dict() for n in result.notes if n.kind in ("doubtful", "not_on_roster")],
        "superseded": [n.to_dict() for n in result.notes if n.kind == "superseded"],
        "matched_with_note": [n.to_dict() for n in result.notes if n.kind == "matched"],
        "by_worker": count_records(result.by_worker, "worker"),
        "by_building": count_records(result.by_building, "building"),
        "problems": [p.to_dict() for p in result.problems],
        "files": [str(f) for f in files],
    }


def collect_record(result: CollectResult, log_path: Path) -> Record:
    """`gridtool collect --json`: counts over the collected dates, completion tables, problems."""
    batch = result.batch
    return {
        "dates": result.dates,
        "rows": int(len(batch)),
        "done": int(batch["closed"].astype(bool).sum()),
        "open": int((~batch["closed"].astype(bool)).sum()),
        "overdue": int(result.open_items["overdue"].sum()),
        "added": result.added,
        "updated": result.updated,
        "by_worker": count_records(result.by_worker, "worker"),
        "by_building": count_records(result.by_building, "building"),
        "open_items": [
            {"key": r["key"], "date": r["date"], "worker": r["worker"], "building": r["building"], "room": r["room"],
             "name": r["name"], "reason": r["reason"], "answer": r["answer"], "overdue": bool(r["overdue"])}
            for r in records(result.open_items)
        ],
        "problems": [{"file": p.file, "row": p.row, "message": p.message, "type": p.type} for p in result.problems],
        "conflicts": result.conflicts,
        "files": result.files,
        "log": str(log_path),
    }


def tasks_record(result: TaskResult, files: list[Path], log: Path) -> Record:
    """`gridtool tasks --json`: per building, its leader and how many tasks of each kind; files written; the
    follow-up log the tasks were entered in."""
    return {
        "date": result.date.isoformat(),
        "buildings": {
            task.label: {"building": task.building, "unit": task.unit, "leader": task.leader, "worker": task.worker,
                         "items": int(len(task.items)), "followups": task.count("followup"),
                         "requests": task.count("request"), "notices": task.count("notice")}
            for task in result.buildings
        },
        "problems": [p.to_dict() for p in result.problems],
        "files": [str(f) for f in files],
        "log": str(log),
    }


def _plain(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def stock_record(report: StockReport, files: list[Path]) -> Record:
    """`gridtool stock --json`: items (problems not among them), allocation, plan, problems."""
    result, allocation, plan = report.levels, report.allocation, report.plan
    numbers = ("stock", "threshold", "daily_use", "days_left", "lead_time", "reorder")
    items = [{"item": i["item"], "unit": i["unit_of"], **{n: _number(i[n]) for n in numbers}, "status": i["status"]}
             for i in records(result.items)]

    def table(frame: pd.DataFrame) -> list[Record]:
        return [{k: _plain(v) for k, v in r.items()} for r in records(frame)]

    return {
        "date": result.date.isoformat(),
        "items": items,
        "allocation": table(allocation) if allocation is not None else [],
        "plan": table(plan) if plan is not None else None,
        "duplicates": [list(pair) for pair in result.duplicates],
        "problems": [p.to_dict() for p in result.problems],  # the same shape as every command's findings
        "files": [str(f) for f in files],
    }


def notices_record(written: NoticesWritten) -> Record:
    """`gridtool notices --json`: files, pages, notices that ran over a page, residents skipped and why."""
    files, pages = written.files, written.pages
    return {
        "files": [str(f) for f in files],
        "pages": {str(f): n for f, n in zip(files, written.pdf_pages, strict=False)},
        "notices": len(pages),
        "recipients": [{"address": r.address, "kind": r.kind, "groups": list(r.groups), "pages": p.pages}
                       for r, p in zip(written.recipients, pages, strict=True)],
        "overflow": [{"address": p.address, "title": p.title, "pages": p.pages} for p in pages if p.pages > 1],
        "skipped": written.skipped,
    }


def calls_record(calls: CallList, files: list[Path]) -> Record:
    """`gridtool calls --json`: the day, how many residents to phone, per worker, the files written."""
    return {"date": calls.date.isoformat(), "calls": int(len(calls.calls)), "by_worker": calls.by_worker(),
            "problems": [p.to_dict() for p in calls.problems], "files": [str(f) for f in files]}


def check_record(report: CheckReport) -> Record:
    """`gridtool check --json`: what the loader decided for every sheet, the unused columns, the problems."""
    return {
        "sources": [s.to_dict() for s in report.sources],
        "unmapped": [{"file": f, "sheet": s, "columns": c} for (f, s), c in report.unmapped.items()],
        "problems": [p.to_dict() for p in report.problems],
    }


def volunteers_record(result: VolunteerResult, files: list[Path]) -> Record:
    """`gridtool volunteers --json`: the period, every volunteer's balance, totals, problems; files written."""
    return {**result.to_dict(), "files": [str(f) for f in files]}


def frame_records(frame: pd.DataFrame | None, columns: list[str]) -> list[Record]:
    """Rows of a table as JSON-ready dicts (dates as ISO text, NaN as null)."""
    if frame is None:
        return []
    return [{k: (v.isoformat() if hasattr(v, "isoformat") else _plain(v)) for k, v in row.items()}
            for row in records(frame[columns])]


def dashboard_record(result: DashboardResult, files: list[Path]) -> Record:
    """`gridtool dashboard --json`: the figures the page shows, counts and building/unit codes only."""
    tile = ["building", "residents", "exempt", "checked_in", "missing", "fever", "missing_rate", "open_requests", "value",
            "level"]
    return {
        "date": result.date.isoformat(), "measure": result.measure,
        "headline": {k: _plain(v) for k, v in result.headline.items()},
        "buildings": frame_records(result.buildings, [*tile, "grid_row", "grid_col"]),
        "units": frame_records(result.units, ["building", "unit", *tile[1:]]),
        "strips": frame_records(result.strips, ["building", "date", "expected", "checked_in", "rate", "state"]),
        "trend": frame_records(result.trend, ["date", "expected", "checked_in", "rate"]),
        "stock": frame_records(result.stock, ["item", "stock", "threshold", "days_left", "status"]),
        "followup": frame_records(result.followup, ["worker", "total", "done", "open", "overdue", "rate"]),
        "requests": frame_records(result.requests, ["category", "total", "open", "urgent", "overdue", "today", "change"]),
        "sections": {name: {"sources": s.sources, "date": s.date} for name, s in result.sections.items()},
        "problems": [p.to_dict() for p in result.problems],
        "files": [str(f) for f in files],
    }


REQUEST_FIELDS = ["row", "name", "building", "unit", "room", "text", "category", "categories", "matched", "urgent",
                  "urgent_reason", "overdue", "waited_hours", "status", "status_text", "handler", "key", "file", "sheet"]
STOP_FIELDS = ["stop", "key", "sheet_key", "building", "unit", "room", "name", "phone", "category", "text", "urgent"]


def _rows(frame: pd.DataFrame, fields: list[str]) -> list[Record]:
    columns = [frame[f].tolist() for f in fields]
    return [dict(zip(fields, values, strict=True)) for values in zip(*columns, strict=True)]


def _request_rows(frame: pd.DataFrame) -> list[Record]:
    """Every request as the JSON lists it, built from whole columns: one categories and one matched list per
    request (a second category adds its own), waiting hours as a float or null."""
    first, second = frame["category"].tolist(), frame["second"].tolist()
    matched, second_matched = frame["matched"].tolist(), frame["second_matched"].tolist()
    hours = frame["waited_hours"].to_numpy(dtype=float).tolist()
    return _rows(frame.assign(
        row=frame["row"].astype(int), urgent=frame["urgent"].astype(bool), overdue=frame["overdue"].astype(bool),
        categories=[[c, s] if s else [c] for c, s in zip(first, second, strict=True)],
        matched=[[m, sm] if s else [m] for m, sm, s in zip(matched, second_matched, second, strict=True)],
        waited_hours=[None if h != h else h for h in hours]), REQUEST_FIELDS)


def _round_records(rounds: list[Round], plan: DeliveryPlan) -> list[Record]:
    """Each round with its stops. The plan's stops are the rounds' stops in the same order (with the key
    each 配送单 prints), so every stop is made once and each round takes its slice."""
    stops = plan.stops
    made = _rows(stops.assign(stop=stops["stop"].astype(int), urgent=stops["urgent"].astype(bool)), STOP_FIELDS)
    return [{"round": r.number, "volunteer": r.volunteer.name if r.volunteer else None,
             "volunteer_phone": r.volunteer.phone if r.volunteer else None, "buildings": r.buildings,
             "stops": made[r.first:r.first + r.size]} for r in rounds]


def requests_record(result: RequestResult, files: list[Path], plan: DeliveryPlan, log: Path) -> Record:
    """`gridtool requests --json`: every request, the hot topics, the rounds (each stop with the key its
    配送单 prints), the problems, the files and the follow-up log the 配送单 were entered in."""
    changes = result.day_change
    return {
        "now": result.now.isoformat(timespec="minutes"),
        "requests": _request_rows(result.requests),
        "by_category": count_records(result.by_category, "category"),
        "by_building": {str(b): {str(c): int(n) for c, n in row.items()} for b, row in result.by_building.iterrows()},
        "by_day": {str(d): {str(c): {"count": int(n), "change": int(changes.at[d, c]) if i else None}
                            for c, n in row.items()} for i, (d, row) in enumerate(result.by_day.iterrows())},
        "time_to_close": {"by_category": _plain_rows(result.close_by_category),
                          "by_handler": _plain_rows(result.close_by_handler)},
        "rounds": _round_records(result.rounds, plan),
        "other": [str(k) for k in result.other["key"]],
        "problems": [p.to_dict() for p in result.problems],
        "files": [str(f) for f in files],
        "log": str(log),
    }


def _plain_rows(frame: pd.DataFrame) -> list[Record]:
    return [{k: _plain(v) for k, v in item.items()} for item in records(frame)]
