"""Checks that protect the ledger. Each returns the entries that may count and the findings for the rest;
an entry with a finding is left out of every total until its row is fixed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from gridtool.domain.findings import Finding
from gridtool.domain.people.matching import name_score
from gridtool.domain.volunteers.entries import Member, Origin, Redemption, Shift, problem
from gridtool.table.values import name_key

SUGGEST_FLOOR = 50.0
SUGGESTIONS = 3


@dataclass(frozen=True)
class Roster:
    """The volunteer roster by name key, and who may draw on whose time-bank hours."""

    members: dict[str, Member]

    @classmethod
    def of(cls, members: Sequence[Member]) -> Roster:
        found: dict[str, Member] = {}
        for member in members:
            found.setdefault(name_key(member.name), member)  # the first row of a name wins
        return cls(found)

    def __bool__(self) -> bool:
        return bool(self.members)

    def member(self, name: str) -> Member | None:
        return self.members.get(name_key(name))

    def suggest(self, name: str) -> list[str]:
        """The closest roster names, best first, each with how it is alike (同音, 一字之差)."""
        scored = [(name_score(name_key(name), key), m.name) for key, m in self.members.items()]
        close = sorted((s for s in scored if s[0][0] >= SUGGEST_FLOOR), key=lambda s: (-s[0][0], s[1]))
        return [f"{member}（{how}）" for (_, how), member in close[:SUGGESTIONS]]

    def family_of(self, name: str) -> list[Member]:
        """Volunteers who named this person as family (家属) for their time-bank hours."""
        key = name_key(name)
        return [m for m in self.members.values() if key in {name_key(f) for f in m.family}]


def check_names(shifts: list[Shift], redemptions: list[Redemption],
                roster: Roster) -> tuple[list[Shift], list[Redemption], list[Finding]]:
    """Entries whose volunteer is not on the roster (when one was given), with the closest names suggested.

    A redemption made by a registered family member is booked to the volunteer whose family they are."""
    if not roster:
        return shifts, redemptions, []
    findings = [_unknown(s.origin, s.name, roster) for s in shifts if not roster.member(s.name)]
    kept_shifts = [s for s in shifts if roster.member(s.name)]
    kept: list[Redemption] = []
    for item in redemptions:
        if roster.member(item.name):
            kept.append(item)
            continue
        owners = roster.family_of(item.name) if not item.redeemer else []
        if len(owners) == 1:
            kept.append(replace(item, name=owners[0].name, redeemer=item.name))
        else:
            findings.append(_unknown(item.origin, item.name, roster))
    return kept_shifts, kept, findings


def _unknown(origin: Origin, name: str, roster: Roster) -> Finding:
    close = roster.suggest(name)
    hint = f"名册中相近的名字：{'、'.join(close)}" if close else "名册中没有相近的名字（新志愿者请先登记）"
    return problem(origin, "volunteer_not_on_roster", name, suggestion=hint)


def check_duplicates(shifts: list[Shift]) -> tuple[list[Shift], list[Finding]]:
    """The second and later copies of an entry typed twice; the first copy counts."""
    first: dict[tuple[object, ...], Shift] = {}
    kept, findings = [], []
    for shift in shifts:
        earlier = first.setdefault(shift.key, shift)
        if earlier is shift:
            kept.append(shift)
        else:
            findings.append(problem(shift.origin, "volunteer_duplicate", shift.name, other=_same_file(earlier, shift)))
    return kept, findings


def _same_file(earlier: Shift, later: Shift) -> str:
    if (earlier.origin.file, earlier.origin.sheet) == (later.origin.file, later.origin.sheet):
        return f"第{earlier.origin.row}行"
    return earlier.origin.place


def check_rounds(shifts: list[Shift], rounds: list[Shift]) -> tuple[list[Shift], list[Finding]]:
    """A logged shift for service already credited from a delivery round: same person, same day, and the
    same times or the same household served. The round keeps the credit; the logged shift is reported."""
    by_person: dict[tuple[str, object], list[Shift]] = {}
    for item in rounds:
        by_person.setdefault((name_key(item.name), item.date), []).append(item)
    kept, findings = [], []
    for shift in shifts:
        twin = next((r for r in by_person.get((name_key(shift.name), shift.date), []) if _same_service(shift, r)), None)
        if twin is None:
            kept.append(shift)
        else:
            findings.append(problem(shift.origin, "volunteer_credited_from_round", shift.name, value=twin.round_key,
                                    other=twin.origin.place))
    return kept, findings


def _same_service(shift: Shift, credited: Shift) -> bool:
    """The same service: the same resident served, overlapping times, or (for a round, whose times the
    配送单 does not record) the round's service type for nobody named or for a resident the round served."""
    if shift.client and credited.client and name_key(shift.client) == name_key(credited.client):
        return True
    if credited.round_key and shift.service == credited.service and credited.start is None:
        return not shift.client or name_key(shift.client) in {name_key(n) for n in credited.served}
    return _overlap(shift, credited)


def _overlap(a: Shift, b: Shift) -> bool:
    first, second = a.interval(), b.interval()
    return first is not None and second is not None and first[0] < second[1] and second[0] < first[1]


def check_overlaps(shifts: list[Shift]) -> tuple[list[Shift], list[Finding]]:
    """Shifts of one person that overlap in time: each is reported, naming the other, and none counts."""
    by_person: dict[str, list[Shift]] = {}
    for shift in shifts:
        if shift.interval() is not None:
            by_person.setdefault(name_key(shift.name), []).append(shift)
    clashes: dict[Shift, list[Shift]] = {}
    for own in by_person.values():
        ordered = sorted(own, key=lambda s: s.interval() or ())
        for index, shift in enumerate(ordered):
            for other in ordered[index + 1:]:
                if not _overlap(shift, other):
                    break
                clashes.setdefault(shift, []).append(other)
                clashes.setdefault(other, []).append(shift)
    findings = [problem(s.origin, "volunteer_overlap", s.name, value=_times(s), others="、".join(_where(o, s) for o in others))
                for s, others in clashes.items()]
    return [s for s in shifts if s not in clashes], findings


def _times(shift: Shift) -> str:
    assert shift.start is not None and shift.end is not None
    return f"{shift.date:%m月%d日} {shift.start:%H:%M}–{shift.end:%H:%M} "


def _where(other: Shift, own: Shift) -> str:
    return f"{_same_file(other, own)}（{other.start:%H:%M}–{other.end:%H:%M}）"
