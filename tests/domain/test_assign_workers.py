"""The worker for each resident: their own first, then an assignment of their building and unit, then of their
building; the building-and-unit lookup made column by column gives what a lookup by Python tuples gives."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gridtool.domain.people.residents import Assignment, assign_workers

TEXT = st.sampled_from(["1", "2", "", "1栋", "3\x1f", None])
ASSIGNMENT = st.builds(Assignment, building=st.sampled_from(["1", "2", "", "1栋"]), worker=st.sampled_from(["王", "李", ""]),
                       unit=st.sampled_from(["1", "2", ""]))


def _by_tuples(residents: pd.DataFrame, assignments: list[Assignment]) -> list[str]:
    by_unit = {(a.building, a.unit): a.worker for a in assignments if a.unit and a.worker}
    by_building = {a.building: a.worker for a in assignments if not a.unit and a.worker}
    workers = []
    for own, building, unit in zip(residents["worker"], residents["building"], residents["unit"], strict=True):
        workers.append(own if isinstance(own, str) and own else
                       by_unit.get((building, unit)) or by_building.get(building, ""))
    return workers


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.sampled_from(["", "张", None])), min_size=1, max_size=12),
       st.lists(ASSIGNMENT, max_size=5), st.sampled_from(["object", "str"]))
def test_workers_found_by_column_are_those_found_by_tuple(rows: list[tuple[str | None, str | None, str | None]],
                                                          assignments: list[Assignment], dtype: str) -> None:
    residents = pd.DataFrame(rows, columns=["building", "unit", "worker"]).astype(dtype)
    assert assign_workers(residents, assignments).tolist() == _by_tuples(residents, assignments)


def test_a_unit_assignment_comes_before_a_building_one() -> None:
    residents = pd.DataFrame({"building": ["1", "1", "2", None], "unit": ["1", "2", "1", "1"], "worker": ["", "", "张", ""]})
    assignments = [Assignment("1", "王", "1"), Assignment("1", "李"), Assignment("", "赵", "1")]
    assert assign_workers(residents, assignments).tolist() == ["王", "李", "张", ""]


def test_a_missing_building_matches_no_assignment_of_a_blank_one() -> None:
    """pandas fills a missing cell with a NUL as an empty text: that once made a missing building match the
    assignment of building "" (found by the test above)."""
    residents = pd.DataFrame([(None, "1", "")], columns=["building", "unit", "worker"], dtype=object)
    assert assign_workers(residents, [Assignment("", "王", "1")]).tolist() == [""]
