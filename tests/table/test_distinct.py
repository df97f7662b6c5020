from __future__ import annotations

import numpy as np
import pandas as pd

from gridtool.table.distinct import Distinct
from gridtool.table.values import clean_text


def test_each_distinct_text_is_parsed_once_and_a_blank_cell_takes_the_parse_of_nothing() -> None:
    calls: list[str] = []

    def parse(text: str) -> str:
        calls.append(text)
        return clean_text(text).upper() or "blank"

    column = Distinct.of(pd.Series(["ab ", None, "ab ", "Ｃｄ", None, "ab "], dtype="str"))
    assert column.codes.tolist() == [0, -1, 0, 1, -1, 0] and column.texts == ["ab ", "Ｃｄ"]
    assert column.rows(parse).tolist() == ["AB", "blank", "AB", "CD", "blank", "AB"]
    assert calls == ["ab ", "Ｃｄ", ""]


def test_numbers_a_missing_column_and_one_value_for_every_row() -> None:
    amounts = Distinct.of(pd.Series(["3", "x", None, "3"], dtype=object)).rows(
        lambda t: float(t) if t.isdigit() else None, float)
    assert amounts.dtype == np.float64 and amounts[0] == amounts[3] == 3.0 and np.isnan(amounts[1:3]).all()
    assert Distinct.blank(3).rows(lambda t: t or "none").tolist() == ["none"] * 3
    assert Distinct.same("入库", 2).rows(lambda t: t + "!").tolist() == ["入库!", "入库!"]
