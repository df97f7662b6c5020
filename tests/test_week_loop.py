"""Seven evenings of the closed loop (issue 11's "Done when"): followups and tasks from the day's data
and the log, a scripted mix of answers, then collect. The test keeps its own account of what is open
and checks the tool against it after every day."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import make_examples
import openpyxl
import pytest

from gridtool.cli import app
from gridtool.domain.checkins.flagged import item_key
from leader_books import SHOWN, issued_items

DAYS = 7
WORKERS = ["王芳", "李强"]
DONE, NOT_REACHED, WRONG = "已补打卡", "未联系上", "打过电话了"
CLOSING = (DONE, "已联系-情况正常")


@dataclass
class Book:
    """A workbook handed out: its items (key -> person, kind) as its hidden manifest lists them, or for a
    building leader's book (whose manifest names no one) as the log of issued items says; `shown`: the key
    printed on the sheet for an item, where it is not the item's own."""

    path: Path
    items: dict[str, tuple[str, str]]
    shown: dict[str, str] = field(default_factory=dict)


def read_book(path: Path, log: Path | None = None) -> Book:
    rows = list(openpyxl.load_workbook(path, read_only=True)["_gridtool"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r and r[0] == "编号")
    header = list(rows[top])
    if log is not None:
        return _leader_book(path, log)
    at = {h: header.index(h) for h in ("编号", "居民", "类型")}
    return Book(path, {str(r[at["编号"]]): (str(r[at["居民"]]), str(r[at["类型"]])) for r in rows[top + 1:]
                       if r and r[at["编号"]]})


def _leader_book(path: Path, log: Path) -> Book:
    issued = issued_items(path, log)
    return Book(path, {str(i["编号"]): (str(i["居民"]), str(i["类型"])) for i in issued},
                {str(i["编号"]): str(i[SHOWN]) for i in issued})


def answer(book: Path, save_as: Path, answers: dict[str, str], times: dict[str, str] | None = None,
           mtime: float | None = None, shown: dict[str, str] | None = None) -> Path:
    """Fill 跟进结果 (and 跟进时间 where the sheet has it) by the hidden key, as a worker would."""
    answers = {(shown or {}).get(k, k): v for k, v in answers.items()}
    wb = openpyxl.load_workbook(book)
    sheet = wb.worksheets[0]
    headers = [c.value for c in sheet[3]]
    key_col, answer_col = headers.index("编号") + 1, headers.index("跟进结果") + 1
    time_col = headers.index("跟进时间") + 1 if "跟进时间" in headers else None
    for row in range(4, sheet.max_row + 1):
        key = sheet.cell(row, key_col).value
        if key in answers:
            sheet.cell(row, answer_col, answers[key])
            if time_col and times and key in times:
                sheet.cell(row, time_col, times[key])
    wb.save(save_as)
    if mtime is not None:
        os.utime(save_as, (mtime, mtime))
    return save_as


@dataclass
class Account:
    """What the test itself knows: open follow-ups by resident, closed keys by day, finished tasks.
    Answers are settled in the order the tool must apply them (the later file last)."""

    open: set[str] = field(default_factory=set)
    closed: dict[str, set[str]] = field(default_factory=dict)
    finished_matters: set[str] = field(default_factory=set)

    def settle(self, book: Book, answers: dict[str, str], date: str) -> None:
        done = self.closed.setdefault(date, set())
        for key, text in answers.items():
            person, kind = book.items[key]
            closes = text in CLOSING
            if kind not in ("followup", "carried"):
                if closes:
                    self.finished_matters.add(f"{kind}|{person}")
                    done.add(key)
            elif closes:
                self.open.discard(person)
                done.add(key)
            elif key in done:  # a later answer reopens what an earlier one closed
                done.discard(key)
                self.open.add(person)


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("week")
    residents = make_examples.make_residents(100, seed=5, workers=WORKERS, buildings=2)
    reports = make_examples.make_reports(residents, days=DAYS, seed=9)
    make_examples.write_checkin_workbook(folder / "打卡记录.xlsx", residents, reports)
    make_examples.write_roster(folder / "居民名册.xlsx", residents)
    make_examples.write_requests(folder / "居民诉求.xlsx", residents)
    return folder


def _run(runner, *args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _log_rows(log: Path) -> list[tuple]:
    book = openpyxl.load_workbook(log, read_only=True)
    return [tuple(r) for name in ("跟进记录", "历史") for r in book[name].iter_rows(min_row=2, values_only=True)]


def _closed_by_day(log: Path) -> dict[str, set[str]]:
    book = openpyxl.load_workbook(log, read_only=True)
    found: dict[str, set[str]] = {}
    for row in book["跟进记录"].iter_rows(min_row=2, values_only=True):
        if row[12] == "是":
            found.setdefault(str(row[2]), set()).add(str(row[0]))
    return found


def test_a_week_of_the_loop_holds(runner, week: Path, tmp_path: Path) -> None:
    log = tmp_path / "gridtool-out" / "跟进记录.xlsx"  # tasks' output folder: its default log from the first day
    account = Account()
    data = [str(week / "打卡记录.xlsx"), "--roster", str(week / "居民名册.xlsx")]
    late: list[tuple[Path, dict[str, str], Book, str]] = []
    for day in range(DAYS):
        date = make_examples.FIRST_DAY + dt.timedelta(days=day)
        out, back = tmp_path / f"day{day}", tmp_path / f"back{day}"
        back.mkdir()
        with_log = ["--log", str(log)] if log.exists() else []
        record = _run(runner, "followups", *data, "--date", date.isoformat(), "--out", str(out), *with_log)
        _run(runner, "tasks", *data, "--requests", str(week / "居民诉求.xlsx"), "--date", date.isoformat(),
                     "--out", str(log.parent), *with_log)
        books = [read_book(p) for p in sorted(out.glob("待跟进_*.xlsx"))]
        task_books = [read_book(p, log) for p in sorted(log.parent.glob(f"楼栋任务_*_{date.isoformat()}.xlsx"))]

        # handed out exactly once, nothing finished again, no item in two files
        keys = [k for b in books for k in b.items]
        assert len(keys) == len(set(keys))
        task_keys = [k for b in task_books for k in b.items]
        assert len(task_keys) == len(set(task_keys))
        flagged = {f["key"] for f in record["flagged"] if not f["resolved"]}
        expected = flagged | {item_key(date, p) for p in account.open}
        assert set(keys) == expected, day
        persons = [person for b in task_books for person, kind in b.items.values() if kind in ("followup", "carried")]
        assert len(persons) == len(set(persons))
        matters = {f"{kind}|{person}" for b in task_books for person, kind in b.items.values()}
        assert not matters & account.finished_matters
        assert record["all_done"] == (not keys and bool(with_log))
        for book in books:
            account.open |= {p for p, kind in book.items.values()}

        # the scripted evening: the first worker answers a mix, the second answers all (late on odd days),
        # the first building leader finishes requests and notices and contradicts the worker once
        iso = date.isoformat()
        first, second, *others = books + [None, None]
        for earlier, answers, meta, when in late:
            shutil.copy(earlier, back / earlier.name)
            account.settle(meta, answers, when)
        late = []
        worker_time = None
        if first is not None:
            answers = {k: [DONE, NOT_REACHED, WRONG][i % 3] for i, k in enumerate(first.items)}
            worker_time = answer(first.path, back / first.path.name, answers).stat().st_mtime
            account.settle(first, answers, iso)
            if day % 3 == 1:  # sent twice in the group
                shutil.copy(back / first.path.name, back / f"copy_{first.path.name}")
                os.utime(back / f"copy_{first.path.name}", (worker_time + 1, worker_time + 1))
        if second is not None:
            answers = {k: DONE for k in second.items}
            if day % 2:
                late.append((answer(second.path, tmp_path / f"late{day}_{second.path.name}", answers), answers,
                             second, iso))
            else:
                answer(second.path, back / second.path.name, answers)
                account.settle(second, answers, iso)
        if day == 0:  # the first evening every sheet comes back, some blank, so the log knows all of them
            for other in others:
                if other is not None:
                    shutil.copy(other.path, back / other.path.name)
        if task_books:
            book = next((b for b in task_books if first is not None and set(b.items) & set(first.items)),
                        task_books[0])
            answers = {k: "已联系-情况正常" for k, (_, kind) in book.items.items() if kind in ("request", "notice")}
            shared = [k for k in book.items if first is not None and k in first.items]
            if shared:
                answers[shared[0]] = NOT_REACHED if shared[0] in account.closed[iso] else "已联系-情况正常"
            answer(book.path, back / book.path.name, answers,
                   mtime=None if worker_time is None else worker_time + 60, shown=book.shown)
            account.settle(book, answers, iso)
        if day == 2:  # the overview returned by mistake
            shutil.copy(out / f"汇总_{iso}.xlsx", back / f"汇总_{iso}.xlsx")

        collected = _run(runner, "collect", str(back), "--log", str(log))
        assert len(collected["conflicts"]) == int(bool(shared)), day
        if day == 2:
            assert ("wrong_file", f"汇总_{iso}.xlsx") in {(p["type"], p["file"])
                                                                      for p in collected["problems"]}
        # counts in the log equal what was answered
        closed = _closed_by_day(log)
        for when, expected_keys in account.closed.items():
            assert closed.get(when, set()) == expected_keys, (day, when)
        # collecting again changes nothing
        before = _log_rows(log)
        again = _run(runner, "collect", str(back), "--log", str(log))
        assert (again["added"], again["updated"]) == (0, 0)
        assert [r[:17] for r in _log_rows(log)] == [r[:17] for r in before]
