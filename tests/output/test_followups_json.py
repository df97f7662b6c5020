"""`followups --json`'s text, its flagged residents written by pandas column by column, is the record
json.dumps makes of them one by one: the same values after parsing, texts that need escaping included."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from gridtool.cli.show import json_text, with_files
from gridtool.config import load_settings
from gridtool.domain.checkins.followups import FollowupResult, followups
from gridtool.output.records import followups_json, followups_record

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def result() -> FollowupResult:
    return followups([EXAMPLES / "打卡记录.xlsx"], load_settings(None, env={}), roster=EXAMPLES / "居民名册.xlsx",
                     today=dt.date(2026, 11, 21))


def _same(result: FollowupResult) -> dict[str, object]:
    text = with_files(followups_json(result), [Path("待跟进_王芳.xlsx")])
    expected = json.loads(json_text(followups_record(result, [Path("待跟进_王芳.xlsx")])))
    assert json.loads(text) == expected
    return expected


def test_the_record_as_text_is_the_record(result: FollowupResult) -> None:
    record = _same(result)
    flagged = record["flagged"]
    assert isinstance(flagged, list) and len(flagged) == len(result.flagged) > 0


def test_texts_that_need_escaping_and_blank_values_come_through(result: FollowupResult) -> None:
    flagged = result.flagged.copy()
    odd = ['引号"和\\反斜杠', "斜/杠\n换行", "\u2028行分隔", '"flagged": null']
    flagged.loc[flagged.index[:4], "name"] = odd
    flagged.loc[flagged.index[0], "temperature"] = float("nan")
    flagged.loc[flagged.index[1], "resolved"] = "2026-11-21 已办结"
    flagged.at[flagged.index[2], "reasons"] = ()
    record = _same(dataclasses.replace(result, flagged=flagged))
    people = record["flagged"]
    assert isinstance(people, list)
    assert [person["name"] for person in people[:4]] == odd
    assert people[0]["temperature"] is None and people[1]["resolved"] == "2026-11-21 已办结"
    assert people[2]["reasons"] == [] and people[3]["resolved"] is None


def test_nobody_flagged_is_an_empty_list(result: FollowupResult) -> None:
    record = _same(dataclasses.replace(result, flagged=result.flagged.iloc[:0]))
    assert record["flagged"] == []
