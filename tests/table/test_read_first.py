"""Workbooks read first (while another thread imports the command's modules) are the same sheets, notes and
errors as workbooks read when the command asks for them; anything read_first does not take is read as usual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from exports import write_csv, write_xlsx
from gridtool.cli.app import read_while_importing
from gridtool.errors import GridtoolError
from gridtool.table.read import read_sheets
from gridtool.table.workbook import read_first, taken_first


def _book(path: Path) -> Path:
    rows = [["楼栋", "姓名", "房号"], ["3栋", "张三", "101"], [None, "李\u200b四", "102"], [None, "王五", "201"]]
    return write_xlsx(path, {"名册": rows, "辅助": [["姓名"], ["X"]], "空表": []}, merges={"名册": ["A2:A4"]},
                      hidden=["辅助"])


def _sheets(path: Path, include_hidden: bool) -> list[tuple[str, bool, list[str], list[list[object]]]]:
    return [(raw.name, raw.visible, list(raw.cells.columns), raw.cells.astype(object).where(raw.cells.notna()).values.tolist())
            for raw in read_sheets(path, include_hidden=include_hidden)]


@pytest.mark.parametrize("include_hidden", [True, False])
def test_a_workbook_read_first_gives_the_sheets_read_later(tmp_path: Path, include_hidden: bool) -> None:
    path = _book(tmp_path / "名册.xlsx")
    expected = _sheets(path, include_hidden)
    read_first([path])
    assert _sheets(path, include_hidden) == expected
    assert taken_first(path, include_hidden) is None  # taken once: a second read goes to the file again
    assert [name for name, *_ in expected] == (["名册", "辅助", "空表"] if include_hidden else ["名册", "空表"])
    assert expected[0][3][1:] == [["3栋", "张三", "101"], ["3栋", "李\u200b四", "102"], ["3栋", "王五", "201"]]


def test_the_cells_keep_their_arrow_text_and_row_numbers(tmp_path: Path) -> None:
    path = _book(tmp_path / "名册.xlsx")
    read_first([path])
    cells = read_sheets(path)[0].cells
    assert cells.index.tolist() == [1, 2, 3, 4] and cells.dtypes.tolist() == [pd.StringDtype("pyarrow", na_value=float("nan"))] * 3


def test_an_unusable_workbook_read_first_fails_where_and_as_it_would(tmp_path: Path) -> None:
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(GridtoolError) as later:
        read_sheets(broken)
    read_first([broken])  # nothing raised here
    with pytest.raises(GridtoolError) as first:
        read_sheets(broken)
    assert (first.value.message, first.value.hint) == (later.value.message, later.value.hint)
    assert "已损坏" in first.value.message


def test_folders_text_files_and_missing_files_are_left_to_the_usual_reading(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "名册.csv", [["姓名", "房号"], ["张三", "101"]])
    folder = tmp_path / "books"
    folder.mkdir()
    _book(folder / "a.xlsx")
    read_first([csv, folder, tmp_path / "没有.xlsx"])
    assert taken_first(csv, True) is None and taken_first(folder, True) is None
    assert taken_first(tmp_path / "没有.xlsx", True) is None
    with pytest.raises(GridtoolError, match="找不到文件"):
        read_sheets(tmp_path / "没有.xlsx")


def test_an_import_that_fails_in_the_importing_thread_leaves_no_traceback(tmp_path: Path) -> None:
    path = _book(tmp_path / "名册.xlsx")
    script = ("import sys; from pathlib import Path; from gridtool.cli.app import read_while_importing; "
              f"read_while_importing([Path({str(path)!r})], ['gridtool.no_such_module', 'json']); "
              "from gridtool.table.read import read_sheets; print(len(read_sheets(Path(sys.argv[1]))), 'json' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2", "True"] and done.stderr == ""


def test_reading_while_importing_takes_the_imports_it_was_given(tmp_path: Path) -> None:
    path = _book(tmp_path / "名册.xlsx")
    read_while_importing([path], ["gridtool.output.stock_book"])
    assert "gridtool.output.stock_book" in sys.modules
    assert taken_first(path, True) is not None


def test_a_workbook_changed_after_it_was_read_first_is_read_again(tmp_path: Path) -> None:
    path = _book(tmp_path / "名册.xlsx")
    read_first([path])
    write_xlsx(path, {"新表": [["姓名", "房号"], ["赵六", "301"], ["钱七", "302"]]})
    assert [raw.name for raw in read_sheets(path)] == ["新表"]


@pytest.mark.parametrize(("command", "extra"), [("followups", []), ("tasks", ["--requests", "居民诉求.xlsx"])])
def test_a_command_reads_its_workbooks_first_and_takes_them_back(example_dir: Path, tmp_path: Path, runner,
                                                                 monkeypatch: pytest.MonkeyPatch, command: str,
                                                                 extra: list[str]) -> None:
    """The check-ins, the roster (and the requests) are read while the command's modules are imported, each
    once: what read_first kept is what the command reads, none read again."""
    import gridtool.table.read as read
    import gridtool.table.workbook as workbook
    from gridtool.cli import app

    first: list[str] = []
    again: list[str] = []

    def counted(log: list[str], load: Any) -> Any:
        return lambda path, *args, **kwargs: log.append(path.name) or load(path, *args, **kwargs)

    monkeypatch.setattr(workbook, "load_workbook", counted(first, workbook.load_workbook))
    monkeypatch.setattr(read, "load_workbook", counted(again, read.load_workbook))
    given = [str(example_dir / a) if a.endswith(".xlsx") else a for a in extra]
    result = runner.invoke(app, [command, str(example_dir / "打卡记录.xlsx"), "--roster",
                                 str(example_dir / "居民名册.xlsx"), *given, "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    assert sorted(first) == sorted(["居民名册.xlsx", "打卡记录.xlsx", *(a for a in extra if a.endswith(".xlsx"))])
    assert again == []
    assert not workbook._read_first  # everything kept was taken


def test_the_largest_workbook_is_read_in_this_thread_and_the_others_beside_it(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import gridtool.table.workbook as workbook

    small = _book(tmp_path / "名册.xlsx")
    large = write_xlsx(tmp_path / "打卡.xlsx", {"打卡": [["姓名", "房号"], *([f"居民{i}", str(i)] for i in range(3000))]})
    expected = {path: _sheets(path, True) for path in (small, large)}
    threads: dict[str, str] = {}

    def load(path: Path, *args: Any, **kwargs: Any) -> Any:
        threads[path.name] = threading.current_thread().name
        return original(path, *args, **kwargs)

    original = workbook.load_workbook
    monkeypatch.setattr(workbook, "load_workbook", load)
    read_first([small, large, small])
    assert threads["打卡.xlsx"] == threading.current_thread().name
    assert threads["名册.xlsx"].startswith("gridtool-read")
    assert {path: _sheets(path, True) for path in (small, large)} == expected
    assert taken_first(small, True) is None and taken_first(large, True) is None  # both were taken above


def test_followups_with_a_log_reads_the_log_beside_the_check_ins(example_dir: Path, tmp_path: Path, runner,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import gridtool.table.read as read
    import gridtool.table.workbook as workbook
    from gridtool.cli import app

    checkins = str(example_dir / "打卡记录.xlsx")
    first = runner.invoke(app, ["followups", checkins, "--out", str(tmp_path / "day1")])
    log = tmp_path / "跟进记录.xlsx"
    collected = runner.invoke(app, ["collect", str(tmp_path / "day1"), "--log", str(log)])
    assert first.exit_code == 0 and collected.exit_code == 0 and log.exists(), collected.output
    kept: list[str] = []
    again: list[str] = []
    original = workbook.load_workbook
    monkeypatch.setattr(workbook, "load_workbook", lambda path, *a, **k: kept.append(path.name) or original(path, *a, **k))
    monkeypatch.setattr(read, "load_workbook", lambda path, *a, **k: again.append(path.name) or original(path, *a, **k))
    result = runner.invoke(app, ["followups", checkins, "--log", str(log), "--out", str(tmp_path / "day2"), "--json"])
    assert result.exit_code == 0, result.output
    assert sorted(kept) == ["打卡记录.xlsx", "跟进记录.xlsx"]
    assert again == []  # entering the handout, under the log's lock, takes the log read: the file is unchanged


def test_many_workbooks_are_read_beside_the_largest_a_few_at_a_time(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Fifty returned books are not fifty threads at once: READERS of them beside the largest, every one kept."""
    import threading
    import time

    import gridtool.table.workbook as workbook

    books = [_book(tmp_path / f"待跟进_{i}.xlsx") for i in range(7)]
    large = write_xlsx(tmp_path / "打卡.xlsx", {"打卡": [["姓名", "房号"], *([f"居民{i}", str(i)] for i in range(3000))]})
    lock, reading, most = threading.Lock(), [0], [0]

    def load(path: Path, *args: Any, **kwargs: Any) -> Any:
        with lock:
            reading[0] += 1
            most[0] = max(most[0], reading[0])
        time.sleep(0.05)  # long enough for the others to start if nothing held them back
        try:
            return original(path, *args, **kwargs)
        finally:
            with lock:
                reading[0] -= 1

    original = workbook.load_workbook
    monkeypatch.setattr(workbook, "READERS", 2)
    monkeypatch.setattr(workbook, "load_workbook", load)
    read_first([large, *books])
    assert most[0] == 3  # the largest in this thread, two beside it
    assert all(taken_first(path, True) is not None for path in [large, *books])


@pytest.mark.parametrize(("count", "shown"), [(1, "读取 名册0.xlsx"), (3, "读取 名册0.xlsx、名册1.xlsx、名册2.xlsx"),
                                              (5, "读取 名册0.xlsx、名册1.xlsx、名册2.xlsx 等 5 个文件")])
def test_the_progress_names_a_few_of_the_files_read_and_counts_the_rest(tmp_path: Path, count: int,
                                                                        shown: str) -> None:
    books = [_book(tmp_path / f"名册{i}.xlsx") for i in range(count)]
    steps: list[str] = []
    read_while_importing([*books, None], [], steps.append)
    assert steps == [shown]
    assert all(taken_first(path, True) is not None for path in books)
