"""Per-building task lists for the volunteer building leaders (楼栋长): everything to do in one building
today, room by room in door order.

A building leader is a neighbour, not a health worker: a task says what to do (remind, visit with the
grid worker, deliver a notice) and never carries a temperature, a symptom or a phone number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from gridtool.config import Assignment, Settings
from gridtool.domain.checkins.flagged import item_key
from gridtool.domain.checkins.followups import FollowupResult
from gridtool.domain.findings import Finding, finding
from gridtool.domain.loop.leader_view import REQUEST_PREFIX, leader_wording
from gridtool.domain.people.residents import ages_on, field_text, people_frame, stack_tables
from gridtool.domain.requests.rules import CLOSED_REQUEST, rules_from
from gridtool.table.address import natural_key
from gridtool.table.columnwise import map_unique_columns
from gridtool.table.header import Table

KIND_ORDER = {"followup": 0, "carried": 0, "request": 1, "notice": 2}
KIND_LABELS = {"followup": "跟进", "carried": "跟进", "request": "诉求", "notice": "通知"}
ITEM_COLUMNS = ["key", "kind", "person_key", "name", "building", "unit", "room", "phone", "worker", "action"]


@dataclass
class BuildingTasks:
    building: str
    unit: str
    leader: str
    leader_phone: str
    worker: str
    items: pd.DataFrame

    @property
    def label(self) -> str:
        return f"{self.building}栋" + (f"{self.unit}单元" if self.unit else "")

    def count(self, kind: str) -> int:
        kinds = {"followup": ("followup", "carried")}.get(kind, (kind,))
        return int(self.items["kind"].isin(kinds).sum())


@dataclass
class TaskResult:
    date: dt.date
    buildings: list[BuildingTasks]
    problems: list[Finding] = field(default_factory=list)

    def issued(self) -> pd.DataFrame:
        """Every task handed out, in to-do row form (the action as its reason)."""
        frames = [b.items for b in self.buildings]
        if not frames:
            return pd.DataFrame(columns=[*ITEM_COLUMNS, "reason_text"])
        rows = pd.concat(frames, ignore_index=True)
        return rows.assign(reason_text=rows["action"])


def followup_action(row: dict[str, object]) -> str:
    """What a building leader is asked to do for a flagged resident, without health details."""
    if row.get("kind") == "carried":
        return "协助网格员跟进（前一天未办结）"
    if row.get("fever") or row.get("symptoms") or row.get("bad_temperature"):
        return "请协助网格员上门了解情况"
    days = int(str(row.get("missing_days") or 0))
    return f"提醒打卡（已连续{days}天未打卡）" if days >= 2 else "提醒打卡"


def open_requests(tables: list[Table], date: dt.date) -> pd.DataFrame:
    """Resident requests not yet closed (a status of 已完成, 已办结 … closes one)."""
    if not tables:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    rows = stack_tables(tables)
    people = people_frame(rows)
    text = field_text(rows, "request")
    status = field_text(rows, "status")
    keep = (text != "") & ~status.str.startswith(CLOSED_REQUEST) & (people["building"] != "")
    found = people[keep].assign(action=REQUEST_PREFIX + text[keep], kind="request")
    found["key"] = [item_key(date, f"request|{p}|{a}") for p, a in zip(found["person_key"], found["action"],
                                                                          strict=True)]
    return found


def paper_notices(people: pd.DataFrame, date: dt.date, settings: Settings) -> pd.DataFrame:
    """Elderly residents living alone, who need a notice on paper rather than in WeChat."""
    if people.empty or "alone" not in people.columns:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    present = ~people["exempt"].astype(bool) if "exempt" in people.columns else True
    alone = people[present & people["alone"].astype(bool)]  # a few among a district's million: their ages only
    chosen = alone[ages_on(alone, date) >= settings.elderly_age]
    found = chosen.assign(action="送纸质通知（独居老人）", kind="notice")
    found["key"] = [item_key(date, f"notice|{p}") for p in found["person_key"]]
    return found


def followup_actions(handout: pd.DataFrame) -> list[str]:
    """followup_action for every handed-out row, worked out once per distinct combination of the fields it reads
    (a handful among a hundred thousand rows)."""
    fields = [f for f in ("kind", "fever", "symptoms", "bad_temperature", "missing_days") if f in handout.columns]
    actions: dict[tuple[object, ...], str] = {}
    result = []
    for values in zip(*(handout[f].tolist() for f in fields), strict=True):
        if values not in actions:
            actions[values] = followup_action(dict(zip(fields, values, strict=True)))
        result.append(actions[values])
    return result if fields else [followup_action({}) for _ in range(len(handout))]


def _floor_and_room(room: str) -> tuple[int, int]:
    digits = re.sub(r"\D", "", room)
    number = int(digits) if digits else 0
    return (number // 100 if len(digits) >= 3 else 0), number


def door_order(items: pd.DataFrame, within: tuple[str, ...] = ()) -> pd.DataFrame:
    """Unit, floor, room, then follow-ups before requests before notices; with `within` (e.g. ("building",)),
    each building's rows in that order, so one sort serves every building's sheet."""
    keys = map_unique_columns(items["room"].astype(str), _floor_and_room, ["floor", "number"])
    ordered = items.assign(_unit=items["unit"].astype(str), _floor=keys["floor"].astype(int).to_numpy(),
                           _room=keys["number"].astype(int).to_numpy(), _kind=items["kind"].map(KIND_ORDER))
    ordered = ordered.sort_values([*within, "_unit", "_floor", "_room", "room", "_kind", "name"], kind="stable")
    return ordered.drop(columns=["_unit", "_floor", "_room", "_kind"]).reset_index(drop=True)


def building_leaders(people: pd.DataFrame) -> dict[str, str]:
    """The 楼栋长 the roster names most often in each building (the first named among equals)."""
    if "leader" not in people.columns or "building" not in people.columns:
        return {}
    named = people.loc[people["leader"].fillna("").astype(str) != "", ["building", "leader"]]
    counts = named.groupby(["building", "leader"], sort=False).size()
    return {str(b): str(leader) for b, leader in counts.groupby(level=0, sort=False).idxmax().tolist()}


def _leader(assignments: list[Assignment], leaders: dict[str, str], building: str, unit: str) -> tuple[str, str]:
    for assignment in assignments:
        if assignment.building == building and assignment.unit == unit and assignment.leader:
            return assignment.leader, assignment.leader_phone
    for assignment in assignments:
        if assignment.building == building and not assignment.unit and assignment.leader:
            return assignment.leader, assignment.leader_phone
    return leaders.get(building, ""), ""


def building_tasks(result: FollowupResult, settings: Settings, secret: bytes, by: str = "building") -> TaskResult:
    """One task list per building (or per building and unit), for every building with something to do:
    the follow-ups handed out today, open requests and paper notices not yet marked done in the log.
    `secret`: the follow-up log's key for the sheets' opaque keys (domain.loop.leader_view.sheet_key)."""
    handout, people, date = result.handout, result.people, result.date
    followups = handout.assign(action=followup_actions(handout), phone="")
    parts = [followups, open_requests(result.requests, date).assign(phone=""),
             paper_notices(people, date, settings).assign(phone="")]
    items = pd.concat([p.reindex(columns=ITEM_COLUMNS) for p in parts if len(p)], ignore_index=True) \
        if any(len(p) for p in parts) else pd.DataFrame(columns=ITEM_COLUMNS)
    items = items.drop_duplicates("key").fillna({"unit": "", "room": "", "worker": ""})
    if result.log is not None:
        matters = matter_keys(items["kind"], items["person_key"], items["action"])
        items = items[~matters.isin(finished_matters(result.log))]
    problems = [finding("no_building", "", value=r.name, action=r.action)
                for r in items[items["building"] == ""].itertuples()]
    items = items[items["building"] != ""]
    group_by = ("building", "unit") if by == "unit" else ("building",)
    worded = leader_wording(door_order(items, group_by), secret, rules_from(settings), settings.full_names)
    leaders, buildings = building_leaders(people), []
    for key, group in worded.groupby(list(group_by), sort=True):
        building, unit = (key if isinstance(key, tuple) else (key,)) + ("",) * (2 - len(group_by))
        leader, phone = _leader(result.assignments, leaders, str(building), str(unit))
        workers = Counter(w for w in group["worker"] if w and w != "未分配")
        buildings.append(BuildingTasks(str(building), str(unit), leader, phone,
                                       workers.most_common(1)[0][0] if workers else "", group.reset_index(drop=True)))
    return TaskResult(date, sorted(buildings, key=lambda b: (natural_key(b.building), natural_key(b.unit))),
                      result.problems + problems)  # what the inputs' reading found, then the tasks' own


def matter_keys(kind: pd.Series, person: pd.Series, text: pd.Series) -> pd.Series:
    """What makes a request or a notice the same matter from one day to the next (its key changes daily):
    the resident and, for a request, what was asked. Follow-ups are carried by their own chain."""
    return kind.astype(str) + "|" + person.astype(str) + "|" + text.astype(str).where(kind == "request", "")


def finished_matters(log: pd.DataFrame) -> set[str]:
    """Requests and notices a building leader (or worker) marked done on any day."""
    done = log[log["closed"].astype(bool) & log["kind"].isin(("request", "notice"))]
    return set(matter_keys(done["kind"], done["person_key"], done["reason"]))

