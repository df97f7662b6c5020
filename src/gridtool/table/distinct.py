"""A column as codes into its distinct texts: each text is parsed once, and every row picks its parsed value
by code with numpy. A movement log of a million rows holds a few hundred distinct texts per column, so the
parsers run a few hundred times and no million-object column is made until one is wanted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


def arrow_codes(series: pd.Series) -> tuple[np.ndarray, Any] | None:
    """For an Arrow-backed text column, what `pd.factorize` gives (each row's code, numbered in order of first
    appearance, -1 for a missing cell; the distinct texts, as an Arrow array), from Arrow's hash directly:
    pandas' factorize of a million distinct keys spends as long again around it. None for other columns."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"):
        return None
    texts = pa.array(series.array)
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    encoded = pc.dictionary_encode(texts)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return np.asarray(codes, dtype=np.intp), encoded.dictionary


@dataclass(frozen=True)
class Distinct:
    """`codes[row]` indexes `texts`; -1 is a blank cell (or a column the sheet does not have)."""

    codes: np.ndarray
    texts: list[Any]

    @classmethod
    def of(cls, series: pd.Series) -> Distinct:
        if len(series) and series.isna().all():  # a column the table does not have: every cell is missing
            return cls.blank(len(series))
        encoded = arrow_codes(series)
        if encoded is not None:
            return cls(encoded[0], encoded[1].to_pylist())
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        return cls(np.asarray(codes, dtype=np.intp), list(uniques.tolist()))

    @classmethod
    def blank(cls, rows: int) -> Distinct:
        return cls(np.full(rows, -1, dtype=np.intp), [])

    @classmethod
    def same(cls, text: str, rows: int) -> Distinct:
        """Every row holds `text` (a value the sheet gives once, such as its direction)."""
        return cls(np.zeros(rows, dtype=np.intp), [text])

    def parsed(self, parse: Callable[[str], Any], dtype: type = object,
               plain: tuple[Callable[[str], Any], Sequence[bool]] | None = None) -> np.ndarray:
        """`parse` of each distinct text, then `parse("")`: indexing it with `codes` gives every row's value,
        a blank cell (code -1) the last one. `plain`: a function for the texts marked (found in bulk to be
        ones the parser would give back unchanged), and the marks."""
        given, marked = plain if plain is not None else (parse, [False] * len(self.texts))
        values = np.empty(len(self.texts) + 1, dtype=object)
        for position, (text, mark) in enumerate(zip([*self.texts, ""], [*marked, False], strict=True)):
            values[position] = given(text) if mark else parse(text)
        return values if dtype is object else values.astype(dtype)

    def rows(self, parse: Callable[[str], Any], dtype: type = object) -> np.ndarray:
        """Every row's parsed value."""
        values: np.ndarray = self.parsed(parse, dtype)[self.codes]
        return values
