"""A cell parser applied to a whole column, and columns of text kept in Arrow.

`map_unique` parses each distinct text of a column once (`table.distinct.Distinct`) and picks every row's
value by its code, so a million-row export costs a parse per distinct text; texts a parser gives back
unchanged are found in Arrow's C kernels and never parsed. A column whose values are all text stays
Arrow-backed text, taken from the few distinct values rather than converted from a million objects.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from gridtool.table.distinct import Distinct

T = TypeVar("T")
R = TypeVar("R")
THREADED_ROWS = 200_000  # tables this long are worked on two columns (or parts) at a time


def side_by_side(work: Callable[[T], R], items: Sequence[T], rows: int) -> list[R]:
    """`work` done to each of `items` (a table's columns, or parts of the work on a table of `rows` rows), in
    their order: two at a time on a machine with two cores when the table is long, as Arrow's kernels let go
    of the GIL while they run (a district's ten columns stripped: 0.50 -> 0.27 s)."""
    if rows < THREADED_ROWS or len(items) < 2 or (os.cpu_count() or 1) < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(2, thread_name_prefix="gridtool-beside") as pool:
        return list(pool.map(work, items))


def _parse_distinct(series: pd.Series, parse: Callable[[str], Any],
                    plain: Callable[[str], Any] | None = None, passes: str | None = None) -> tuple[Distinct, list[Any]]:
    """Each distinct value parsed once (then `parse("")`, picked by code -1); those matching `passes`
    (found in Arrow) are given `plain` instead."""
    column = Distinct.of(series)
    kept = _matching(pd.Series(column.texts, dtype=object), passes) \
        if passes is not None and plain is not None and column.texts else None
    marked = (plain, kept.tolist()) if plain is not None and kept is not None else None
    return column, column.parsed(parse, plain=marked).tolist()


def _rows_of(series: pd.Series, column: Distinct, values: list[Any]) -> Any:
    """`picked(values, column.codes)`; but when every distinct text parses to itself (a worker's name, a
    temperature as written) the result is the column's own Arrow text, a blank cell given the last value:
    nothing is taken cell by cell."""
    import pyarrow.compute as pc

    texts = _arrow_texts(series) if _is_arrow_text(series) and len(series) else None
    same = texts is not None and isinstance(values[-1], str) and len(values) == len(column.texts) + 1 and all(
        type(value) is str and value == text for value, text in zip(values, column.texts, strict=False))
    if texts is None or not same:
        return picked(values, column.codes)
    if texts.null_count:
        texts = pc.fill_null(texts, values[-1])
    return _arrow_text_array(texts)


def map_unique(series: pd.Series, parse: Callable[[str], Any], passes: str | None = None) -> pd.Series:
    """Apply a scalar parser to a column, parsing each distinct text once. Texts matching `passes` (a
    regular expression for texts the parser gives back unchanged) skip it in bulk, in Arrow's C kernels:
    a million distinct phone numbers are not a million Python calls."""
    if passes is not None:
        kept = _matching(series, passes)
        if kept is not None and kept.any():
            values = np.array(series.to_numpy(dtype=object, na_value=None), dtype=object)
            if not kept.all():
                values[~kept] = map_unique(series[~kept], parse).to_numpy()
            return pd.Series(values, index=series.index, dtype=object)
    column, parsed = _parse_distinct(series, parse)
    return pd.Series(_rows_of(series, column, parsed), index=series.index)


def _matching(series: pd.Series, pattern: str) -> np.ndarray | None:
    """Which cells are text matching `pattern`; None when the column is not all text (then every cell is
    parsed as usual)."""

    texts = _arrow_texts(series)
    return _matched(texts, pattern) if texts is not None else None


def _matched(texts: Any, pattern: str) -> np.ndarray:
    """Which of these Arrow texts match `pattern` (a missing one does not)."""
    import pyarrow.compute as pc

    found = pc.fill_null(pc.match_substring_regex(texts, pattern), False)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


# Arrow texts -> which of them it took apart in Arrow's kernels, and each part of every text (as Arrow texts;
# what it gives for a text it did not take is not read)
Bulk = Callable[[Any], tuple[np.ndarray, list[Any]]]


def map_unique_columns(series: pd.Series, parse: Callable[[str], tuple[Any, ...]],
                       names: list[str], passes: str | None = None, bulk: Bulk | None = None) -> pd.DataFrame:
    """Like map_unique for a parser that returns a tuple: one column per part. Texts matching `passes` are
    ones the parser gives back unchanged in every part; they are found in bulk and not parsed. `bulk`: a
    way to take the commonest texts apart in Arrow (as `parse` would), leaving `parse` the others."""
    if passes is not None or bulk is not None:
        taken = _bulk_columns(series, parse, names, bulk or _passing(passes or "", len(names)))
        if taken is not None:
            return taken
    column, parsed = _parse_distinct(series, parse, lambda text: (text,) * len(names), passes)
    columns = {}
    for position, name in enumerate(names):
        columns[name] = _rows_of(series, column, [item[position] for item in parsed])
    return pd.DataFrame(columns, index=series.index)


def _passing(pattern: str, parts: int) -> Bulk:
    """The texts matching `pattern`, every part of them the text itself."""
    return lambda texts: (_matched(texts, pattern), [texts] * parts)


def _bulk_columns(series: pd.Series, parse: Callable[[str], tuple[Any, ...]], names: list[str],
                  bulk: Bulk) -> pd.DataFrame | None:
    """map_unique_columns of a text column whose cells are mostly taken apart by `bulk`: those cells' parts
    stay Arrow text, and only the others (blank ones too) are parsed, per distinct text; a million names
    need no factorizing. None when the column is not Arrow text or a part parsed is not text (then the
    usual way gives the same columns)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = _arrow_texts(series) if len(series) else None
    if texts is None:
        return None
    kept, parts = bulk(texts)
    rest = map_unique_columns(series[~kept], parse, names) if not kept.all() else None
    columns = {}
    for name, column in zip(names, parts, strict=True):
        if rest is not None:
            if not (isinstance(rest[name].dtype, pd.StringDtype) and rest[name].dtype.storage == "pyarrow"):
                return None
            column = pc.replace_with_mask(column, pa.array(~kept), pa.array(rest[name].array, type=pa.large_string()))
        columns[name] = _arrow_text_array(column)
    return pd.DataFrame(columns, index=series.index)


def _arrow_texts(series: pd.Series) -> Any:
    """The column as one Arrow large_string array, or None when it is not all text (or missing)."""
    import pyarrow as pa

    try:
        texts = pa.array(series, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        return None
    if isinstance(texts, pa.ChunkedArray):  # the sheets of a week stacked: one array, as the kernels want it
        texts = texts.combine_chunks()
    return texts.cast(pa.large_string())


def _is_arrow_text(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"


def _arrow_text_array(texts: Any) -> pd.arrays.ArrowStringArray:
    import pyarrow as pa

    # a chunked array handed to chunked_array would be read value by value (0.8 s for a million)
    chunked = texts if isinstance(texts, pa.ChunkedArray) else pa.chunked_array([texts])
    return pd.arrays.ArrowStringArray(chunked, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def constant_text(text: str, rows: int) -> pd.arrays.ArrowStringArray:
    """`text` on every one of `rows` rows, as the Arrow-backed text pandas makes of a column of it."""
    import pyarrow as pa

    return _arrow_text_array(pa.repeat(pa.scalar(text, pa.large_string()), rows))


def picked(distinct: list[Any], codes: np.ndarray) -> Any:
    """The parsed value of each cell, picked by its code (-1: the last value, a missing cell's). When every
    value picked is text, the column is the Arrow-backed text pandas would make of those objects, but taken
    in Arrow's C kernels from the few distinct values instead of converted from a million objects."""
    import pyarrow as pa

    blank = codes < 0
    used = distinct if blank.any() else distinct[:-1]
    if len(codes) and all(isinstance(value, str) for value in used):
        if blank.all():  # a column the table does not have: one text for every row, not taken
            return constant_text(distinct[-1], len(codes))
        texts = pa.array(distinct, type=pa.large_string()).take(np.where(blank, len(distinct) - 1, codes))
        return _arrow_text_array(texts)
    values = np.empty(len(distinct), dtype=object)
    values[:] = distinct
    return values.take(codes)


def texts_in(column: pd.Series, among: pd.Series) -> pd.Series:
    """`column.isin(among)` for columns of text, done by Arrow: pandas' isin on Arrow text makes a Python
    object of every value (0.3 s for a district log's 116k keys)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(column.astype("str"), type=pa.large_string())
    found = pc.is_in(values, value_set=pa.array(among.astype("str"), type=pa.large_string()))
    return pd.Series(found.to_numpy(zero_copy_only=False), index=column.index, dtype=bool)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """`frame.to_dict("records")`, the same dicts, made from each column's list: to_dict boxes the cells of
    Arrow-backed text one by one (a 116k-row follow-up log took 4.5 s instead of 0.5 s)."""
    names = list(frame.columns)
    if not names:
        return [{} for _ in range(len(frame))]
    columns = (frame.iloc[:, i].tolist() for i in range(len(names)))
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
