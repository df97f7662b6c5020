"""The `district-1m` workload of #18: one street office's single-day check-in export of 1,000,000 residents
on one sheet (a title row above the header, strings in the shared-string table as Excel and WPS save them),
8 % not checked in, and of those who did 2 % with a fever and 2 % with symptoms: about 115k residents to
follow up. `district-200k` is the same office at a fifth of the size, for quick runs. `everyone-1m` (and
`everyone-200k`) is the bound of #14 item 11: the same office on a day when everyone is to be followed up (half
the check-ins never arrived, everyone else reported a fever: a wrong thermometer option in the form), so every
output is as large as it gets.

The residents, the sheet's layout and the cells' mixed formats are the examples' (examples/make_examples.py);
only the day's rates are the issue's.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from make_examples import FIRST_DAY, Report, Resident, make_residents, write_checkin_workbook
from workloads import WORKERS

DISTRICT_SIZES = {"district-200k": 200_000, "district-1m": 1_000_000, "everyone-200k": 200_000,
                  "everyone-1m": 1_000_000}
NOT_CHECKED_IN, FEVER, SYMPTOMS = 0.08, 0.02, 0.02
RESIDENTS_PER_BUILDING = 1000


def district_day(residents: list[Resident], seed: int = 5, missing: float = NOT_CHECKED_IN,
                 fever_rate: float = FEVER) -> list[Report]:
    """One day's reports: `missing` of them (8 %) not in, the rest checked in between 7:00 and 11:00 with a
    normal temperature (below 37.3 ℃) unless they drew a fever (2 %) or symptoms."""
    rng = random.Random(seed)
    morning = dt.datetime.combine(FIRST_DAY, dt.time(7, 0))
    day = []
    for _ in residents:
        if rng.random() < missing:
            day.append(Report(False))
            continue
        fever = rng.random() < fever_rate
        temperature = rng.choice([37.4, 37.8, 38.6]) if fever else min(round(rng.gauss(36.5, 0.25), 1), 37.1)
        symptoms = rng.choice(["咳嗽", "有", "咽痛、乏力"]) if rng.random() < SYMPTOMS else "无"
        day.append(Report(True, morning + dt.timedelta(minutes=rng.randrange(240)), temperature, symptoms))
    return day


def write_district_workload(path: Path, count: int) -> Path:
    """`count` residents of one street office, 50 grid workers, a building per thousand residents; everyone
    flagged when the file is an `everyone-` workload."""
    residents = make_residents(count, seed=1, workers=WORKERS, buildings=count // RESIDENTS_PER_BUILDING)
    everyone = path.stem.startswith("everyone-")
    day = district_day(residents, missing=0.5 if everyone else NOT_CHECKED_IN, fever_rate=1.0 if everyone else FEVER)
    write_checkin_workbook(path, residents, [day], community="幸福路街道", shared_strings=True)
    return path
