"""Text in the frames the rust writer takes, as xlsx.write_value writes it: hidden characters shown as
markers (gridtool.table.invisible), cut to what a cell holds."""

from __future__ import annotations

import pandas as pd

from gridtool.table.invisible import shown

MAX_TEXT = 32_767  # Excel's limit for one cell; XlsxWriter cuts longer text, rust_xlsxwriter refuses it


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Text as xlsx.write_value writes it: hidden characters shown as markers, cut to what a cell holds
    (a hostile file must not stop the run); everything else as it is."""
    if len(frame) <= SMALL_COLUMN and not any(map(_odd, frame.to_numpy(dtype=object).ravel().tolist())):
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
    return type(value) is str and (len(value) > MAX_TEXT or not value.isprintable())


def _odd_cells(column: pd.Series) -> pd.Series | None:
    """Which of the column's texts have a hidden character or are too long for a cell; None: no text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(column) <= SMALL_COLUMN:
        odd = [_odd(v) for v in column.tolist()]
        return pd.Series(odd, index=column.index, dtype=bool) if any(odd) else None
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        texts = column.array.__arrow_array__()  # already Arrow text: looked at where it is
    elif pd.api.types.infer_dtype(column, skipna=True) in ("string", "mixed"):
        texts = pa.array(column.astype(str), type=pa.string())  # a number as its text, a blank as null
    else:
        return None
    flags = pc.or_(pc.invert(pc.utf8_is_printable(texts)), pc.greater(pc.utf8_length(texts), MAX_TEXT))
    return pd.Series(pc.fill_null(flags, False).to_numpy(zero_copy_only=False), index=column.index)
