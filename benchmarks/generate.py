"""Make benchmark check-in workbooks shaped like the examples: a title row, mixed temperature and time
formats, one sheet per day, 50 grid workers. The named workload `requests-100k` is a request log instead.

    python benchmarks/generate.py 10k 100k 1m     # writes benchmarks/data/checkins-10k.xlsx ...
    python benchmarks/generate.py district-1m     # one day, one sheet, 1M residents (district_workload.py)
    python benchmarks/generate.py requests-100k   # writes benchmarks/data/requests-100k.xlsx
    python benchmarks/generate.py roster-200k movements-1m returned-100k   # other commands' inputs (workloads.py)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import workloads  # noqa: E402
from district_workload import DISTRICT_SIZES, write_district_workload  # noqa: E402
from make_examples import make_reports, make_residents, write_checkin_workbook  # noqa: E402
from request_workload import write_request_workload  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
DAYS = 7
WORKERS = [f"网格员{i:02d}" for i in range(1, 51)]
DATA = Path(__file__).resolve().parent / "data"
OTHER_INPUTS = {"roster-200k": lambda: workloads.roster(200_000),
                "movements-1m": lambda: workloads.movements(1_000_000),
                "returned-100k": lambda: workloads.returned_books("100k")}


def checkins_path(label: str) -> Path:
    """The check-in workbook of a size label (`1m`) or a district workload (`district-1m`)."""
    return DATA / (f"{label}.xlsx" if label in DISTRICT_SIZES else f"checkins-{label}.xlsx")


def generate(label: str) -> Path:
    if label in DISTRICT_SIZES:
        DATA.mkdir(exist_ok=True)
        return write_district_workload(checkins_path(label), DISTRICT_SIZES[label])
    if label == "requests-100k":
        DATA.mkdir(exist_ok=True)
        return write_request_workload(DATA / "requests-100k.xlsx", rows=100_000, open_deliverable=20_000)
    if label in OTHER_INPUTS:
        DATA.mkdir(exist_ok=True)
        return OTHER_INPUTS[label]()
    rows = SIZES[label]
    residents = make_residents(rows // DAYS, seed=1, workers=WORKERS, buildings=200)
    reports = make_reports(residents, DAYS, seed=2)
    DATA.mkdir(exist_ok=True)
    path = checkins_path(label)
    write_checkin_workbook(path, residents, reports)
    return path


if __name__ == "__main__":
    for label in sys.argv[1:] or ["10k", "100k"]:
        start = time.perf_counter()
        path = generate(label)
        size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.glob("*")))
        print(f"{path.name}: {time.perf_counter() - start:.1f} s, {size / 1e6:.1f} MB")
