"""The 配送单 as handed to volunteers, and as entered in the follow-up log.

A volunteer is a neighbour: the sheet prints the address, the masked name (张*丽), the phone to ring and
what to bring, and carries each stop under an opaque key (domain.loop.leader_view.printed_view, the same
view a building leader's book gets) whose hidden manifest holds only that. The stops themselves, with the
resident's full name and key, go into the follow-up log as issued items (`issued`), so that `gridtool
collect` can resolve a returned key through the log and `gridtool requests --log` leaves delivered
requests out of the next rounds.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gridtool.domain.loop.leader_view import printed_view
from gridtool.domain.requests.report import RequestResult

NOBODY = "未分配"  # the owner of rounds no volunteer was given (no volunteer roster)
URGENT_MARK = "【急】"
ISSUED_COLUMNS = ["key", "kind", "person_key", "name", "building", "unit", "room", "phone", "worker", "reason_text"]


@dataclass
class DeliveryBook:
    """One volunteer's 配送单: their rounds, a page each."""

    volunteer: str  # '' when the rounds were given to no one
    phone: str
    stops: pd.DataFrame

    @property
    def owner(self) -> str:
        return self.volunteer or NOBODY


@dataclass
class DeliveryPlan:
    """Every stop of every round in round and stop order, with what its sheet prints (`shown_name`,
    `shown_action`) and the key it carries (`sheet_key`)."""

    stops: pd.DataFrame

    @property
    def books(self) -> list[DeliveryBook]:
        """One book per volunteer, in the order of their first round."""
        return [DeliveryBook(str(volunteer), str(part["volunteer_phone"].iloc[0]), part.reset_index(drop=True))
                for volunteer, part in self.stops.groupby("volunteer", sort=False)]

    def issued(self) -> pd.DataFrame:
        """Every stop in to-do row form for the follow-up log: the request as logged, for its volunteer."""
        stops = self.stops
        rows = stops.assign(kind="delivery", worker=stops["volunteer"].where(stops["volunteer"] != "", NOBODY),
                            reason_text=stops["reason"])
        return rows.reindex(columns=ISSUED_COLUMNS).reset_index(drop=True)


def what_to_bring(stops: pd.DataFrame) -> pd.Series:
    """【急】药品：胰岛素快用完了 — the category with the resident's own words, urgent ones marked."""
    mark = stops["urgent"].astype(bool).map({True: URGENT_MARK, False: ""})
    return (mark + stops["category"].astype(str) + "：" + stops["text"].astype(str)).astype(object)


def delivery_plan(result: RequestResult, secret: bytes) -> DeliveryPlan:
    """The rounds' stops as the 配送单 print them, keyed under the follow-up log's `secret`."""
    stops = result.stops
    return DeliveryPlan(printed_view(stops, secret, what_to_bring(stops)))
