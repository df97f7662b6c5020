"""Text in the frames the rust writer takes, as xlsx.write_value writes it: hidden characters shown as
markers (gridtool.table.invisible), cut to what a cell holds."""

from __future__ import annotations

import pandas as pd

from gridtool.table.invisible import shown

MAX_TEXT = 32_767  # Excel's limit for one cell; XlsxWriter cuts longer text, rust_xlsxwriter refuses it


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Text as xlsx.write_value writes it: hidden characters shown as markers, cut to what a cell holds
    (a hostile file must not stop the run); everything else as it is."""
    if len(frame) <= SMALL_COLUMN and _plain(frame.to_numpy(dtype=object).ravel().tolist()):
        return frame  # a small sheet with nothing to mend, as most are, looked at in one pass
    fixed = {}
    for name in frame.columns:
        column = frame[name]
        odd = _odd_cells(column)
        if odd is not None and odd.any():  # None: nothing to mend
            fixed[name] = column.where(~odd, column[odd].map(lambda v: shown(v)[:MAX_TEXT] if isinstance(v, str) else v))
    return frame.assign(**fixed) if fixed else frame


SMALL_COLUMN = 2000  # cells: a column this short is looked at in Python, quicker than a trip through Arrow


def _odd(value: object) -> bool:
    """A text with a hidden character, or too long for a cell (`shown` keeps a text Python finds printable)."""
    return isinstance(value, str) and (len(value) > MAX_TEXT or not value.isprintable())


def _plain(values: list[object]) -> bool:
    """No value is _odd: looked at as one joined text, at C speed (a worker book's hidden list, 11 columns of
    2,300 cells of mixed kinds, took 8 ms through Arrow and takes 1 ms so)."""
    texts = [value for value in values if isinstance(value, str)]
    return "".join(texts).isprintable() and max(map(len, texts), default=0) <= MAX_TEXT


def _odd_cells(column: pd.Series) -> pd.Series | None:
    """Which of the column's texts have a hidden character or are too long for a cell; None: no text."""
    import pyarrow.compute as pc

    arrow = isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow"
    text = column.dtype == object or isinstance(column.dtype, pd.StringDtype) or (
        isinstance(column.dtype, pd.ArrowDtype) and str(column.dtype.pyarrow_dtype) in ("string", "large_string"))
    if len(column) <= SMALL_COLUMN or (text and not arrow):
        values = column.tolist()  # only a text can be odd: a number or a blank never is
        if _plain(values):
            return None
        odd = [_odd(v) for v in values]
        return pd.Series(odd, index=column.index, dtype=bool) if any(odd) else None
    if not arrow:
        return None  # numbers, dates, flags
    texts = column.array.__arrow_array__()  # already Arrow text: looked at where it is
    flags = pc.or_(pc.invert(pc.utf8_is_printable(texts)), pc.greater(pc.utf8_length(texts), MAX_TEXT))
    return pd.Series(pc.fill_null(flags, False).to_numpy(zero_copy_only=False), index=column.index)
