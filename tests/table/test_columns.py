from __future__ import annotations

import pytest

from gridtool.errors import GridtoolError
from gridtool.table.columns import SYNONYMS, header_key, match_columns, merge_synonyms, require


def fields(headers: list[str], synonyms=SYNONYMS) -> dict[str, str]:
    return {m.field: m.header for m in match_columns(headers, synonyms)}


@pytest.mark.parametrize("header, field", [
    ("姓名", "name"), ("居民姓名", "name"), ("Name", "name"), ("房号", "room"), ("门牌号", "room"),
    ("住址", "address"), ("体温", "temperature"), ("今日体温", "temperature"), ("体温(℃)", "temperature"),
    ("体温（℃）", "temperature"), ("体温℃", "temperature"), ("打卡时间", "checked_at"), ("填报时间", "checked_at"),
    ("提交时间", "checked_at"), ("网格员", "worker"), ("负责人", "worker"), ("负责网格员", "worker"),
    ("联系电话", "phone"), ("手机号码*", "phone"), ("是否有发热、咳嗽等症状", "symptoms"), ("楼栋", "building"),
    ("1.姓名", "name"), ("2、您的住址：", "address"), ("Q3 今日体温", "temperature"), ("第4题 联系电话", "phone"),
    ("5.您今天是否有发热、咳嗽等症状？", "symptoms"), ("请填写您的姓名*", "name"),
    ("1、您的姓名：", "name"), ("您今天是否有以下症状？（多选）", "symptoms"), ("提交时间（自动）", "checked_at"),
])
def test_synonyms(header: str, field: str) -> None:
    assert fields([header]) == {field: header}


def test_each_field_taken_once_exact_beats_contains() -> None:
    found = fields(["序号", "姓名", "填报人姓名", "今日体温", "体温", "开始时间", "打卡时间"])
    assert found["name"] == "姓名"
    assert found["temperature"] == "体温"
    assert found["checked_at"] == "打卡时间"
    assert found["start"] == "开始时间"


def test_header_key_folds_width_case_and_notes() -> None:
    assert header_key("体温（℃）") == header_key("体温(°C)") == "体温"
    assert header_key(" ＮＡＭＥ ") == "name"


def test_gridtool_toml_synonyms_extend_the_table() -> None:
    synonyms = merge_synonyms({"temperature": ["晨检读数"]})
    assert fields(["户主", "晨检读数"], synonyms) == {"temperature": "晨检读数"}
    assert "晨检读数" not in SYNONYMS["temperature"]


def test_require_names_what_is_missing_what_is_there_and_what_is_accepted() -> None:
    with pytest.raises(GridtoolError) as caught:
        require(["room"], ["name"], "打卡.xlsx「Sheet1」", ["序号", "门牌", "温度"], SYNONYMS)
    text = str(caught.value)
    assert "打卡.xlsx「Sheet1」" in text and "缺少必需的列「姓名」" in text
    assert "序号、门牌、温度" in text and "居民姓名" in text


def _score_one_by_one(key: str, synonyms) -> tuple[int, int, str] | None:
    """The rule spelled out name by name: an exact synonym scores (2, -rank), earlier wins; else the longest
    synonym (two characters or more) the header contains scores (1, length); first field wins a tie."""
    from gridtool.table.columns import PLATFORM_COLUMNS, header_key

    if len(key) > 40 or key in PLATFORM_COLUMNS:
        return None
    best = None
    for field, names in synonyms.items():
        for rank, name in enumerate(names):
            name_key = header_key(name)
            if key == name_key:
                score = (2, -rank, field)
            elif len(name_key) >= 2 and name_key in key and len(key) <= 24:
                score = (1, len(name_key), field)
            else:
                continue
            if best is None or score[:2] > best[:2]:
                best = score
    return best


def test_every_vocabulary_scores_header_cells_as_the_rule_says() -> None:
    from gridtool.domain import sources
    from gridtool.table.columns import _scorer, header_key

    vocabularies = [v for v in vars(sources).values() if type(v).__name__ == "Vocabulary"]
    assert len(vocabularies) >= 8
    for vocabulary in vocabularies:
        synonyms = vocabulary.synonyms
        names = [n for names in synonyms.values() for n in names]
        keys = {header_key(t) for n in names for t in (n, f"您的{n}", f"{n}（早）", f"请填写{n}和备注", f"1.{n}*",
                                                       f"{n}{n}{n}{n}{n}{n}{n}{n}", "张三", "36.5", "2026-11-21")}
        scorer = _scorer(tuple((f, tuple(n)) for f, n in synonyms.items()))
        for key in sorted(k for k in keys if k):
            assert scorer.score(key) == _score_one_by_one(key, synonyms), (vocabulary.name, key)


def test_addresses_formatted_as_columns_are_those_formatted_one_by_one() -> None:
    import numpy as np
    import pandas as pd

    from gridtool.table.address import format_address, format_addresses

    parts = [("3", "2", "502"), ("", "", ""), ("12", "", "101"), ("", "1", ""), ("商铺", "", "A3"), ("", "", "0502")]
    arrow = pd.StringDtype("pyarrow", na_value=np.nan)
    for dtype in (object, arrow):
        building, unit, room = (pd.Series(column, dtype=dtype) for column in zip(*parts, strict=True))
        assert format_addresses(building, unit, room).tolist() == [format_address(*p) for p in parts]
    missing = pd.Series([None], dtype=object), pd.Series(["2"], dtype=object), pd.Series([np.nan], dtype=object)
    assert format_addresses(*missing).tolist() == ["2单元"]
