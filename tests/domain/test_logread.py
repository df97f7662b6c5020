"""Reading the follow-up log keeps its text columns in Arrow; the frame is the one the object round trip
made: every field as text, "" where empty or missing, in the log's field order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridtool import logformat
from gridtool.domain.loop.logread import _texts


def _round_trip(data: pd.DataFrame) -> pd.DataFrame:
    """How the log's cells were made text before: through Python objects and back."""
    return data.reindex(columns=logformat.FIELDS).astype(object).fillna("").astype(str).reset_index(drop=True)


def test_the_log_texts_are_what_the_object_round_trip_gave() -> None:
    rng = np.random.default_rng(7)
    size = 500
    words = np.array(["张三", "", "已联系", "〔U+200B〕", "3栋", "2026-11-21", "是", " 空格 "], dtype=object)
    data = pd.DataFrame({
        name: pd.Series(np.where(rng.random(size) < 0.2, None, rng.choice(words, size)), dtype="str")
        for name in logformat.FIELDS[::2]})
    data["unit"] = pd.Series(rng.choice([1.0, 2.5, np.nan], size), dtype=float)  # not read as text
    data["answer"] = pd.Series([None, "办结", 3] * (size // 3) + [None] * (size % 3), dtype=object)
    data["extra"] = "不是日志的列"
    data.index = range(5, 5 + size)  # the sheet's row numbers
    got = _texts(data.reset_index(drop=True))
    pd.testing.assert_frame_equal(got, _round_trip(data))
    missing = logformat.FIELDS[1]
    assert missing not in data and got[missing].eq("").all() and list(got.columns) == list(logformat.FIELDS)
    assert all(dtype == "str" for dtype in got.dtypes)


def test_an_empty_table_gives_every_field_empty() -> None:
    data = pd.DataFrame({"key": pd.Series([], dtype="str")})
    pd.testing.assert_frame_equal(_texts(data), _round_trip(data))


def test_a_log_read_earlier_is_taken_again_only_while_the_file_is_the_same(example_dir, tmp_path, runner) -> None:
    import shutil

    from gridtool.cli import app
    from gridtool.domain.loop.logread import load_log, read_log

    log = tmp_path / "跟进记录.xlsx"
    assert runner.invoke(app, ["followups", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path / "d1")]).exit_code == 0
    assert runner.invoke(app, ["collect", str(tmp_path / "d1"), "--log", str(log)]).exit_code == 0
    known = read_log(log)
    assert len(known.log) > 0
    again = load_log(log, known)
    assert again[0] is known.log and again[1] is known.history  # the same file: nothing read
    copy = tmp_path / "副本.xlsx"
    shutil.copy2(log, copy)
    copy.replace(log)  # another run put a new log in its place (same content, another file)
    fresh = load_log(log, known)
    assert fresh[0] is not known.log
    pd.testing.assert_frame_equal(fresh[0], known.log)
    log.unlink()
    assert load_log(log, known)[0].empty  # gone: no log yet, as without `known`
