"""Web pages saved as .xls: many web systems export an HTML <table> under an Excel name, and staff cannot
tell the difference. pandas.read_html (lxml) reads each table; `extract_links` keeps every cell as the
exact text shown (no number guessing: 001 stays 001), and rowspan/colspan are spread like merged cells.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from gridtool.errors import GridtoolError

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def looks_like_html(head: bytes) -> bool:
    """The first bytes of a web page (after a BOM, blanks and comments): <html, <!DOCTYPE html, <table, <meta..."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore").encode("utf-8", "ignore").lstrip().lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body", b"<style", b"<!--")) \
        or (text.startswith(b"<?xml") and b"<html" in text)


def read_html_tables(text: str, name: str) -> list[tuple[str, pd.DataFrame]]:
    """Each <table> of the page as text cells; named 表1, 表2... when there is more than one."""
    text = _DECLARATION.sub("", text)  # lxml refuses a str that declares its own encoding
    try:
        tables = pd.read_html(io.StringIO(text), flavor="lxml", header=None, keep_default_na=False,
                              extract_links="all", displayed_only=False)
    except ValueError as exc:  # "No tables found"
        raise GridtoolError(f"{name}：这个文件其实是网页（HTML），但里面没有表格。",
                            "请在导出网站上重新选择“导出 Excel”，或用 Excel/WPS 打开后另存为 .xlsx。") from exc
    except ImportError as exc:  # lxml is a dependency; this only happens in a broken installation
        raise GridtoolError(f"{name}：读取网页表格需要 lxml，但它没有安装。", "请重新安装 gridtool：pip install gridtool") from exc
    frames = [_text_frame(table) for table in tables]
    if len(frames) == 1:
        return [("", frames[0])]
    return [(f"表{i}", frame) for i, frame in enumerate(frames, 1)]


def _text(cell: object) -> str:
    text = cell[0] if isinstance(cell, tuple) else cell
    return "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)


def _text_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Header rows (from <thead>, which pandas makes the column labels) back on top of the body rows."""
    header_rows: list[list[str]] = []
    labels = list(table.columns)
    if isinstance(table.columns, pd.MultiIndex):
        header_rows = [[_text(label[level]) for label in labels] for level in range(table.columns.nlevels)]
    elif all(isinstance(label, tuple) for label in labels):  # without <thead> the labels are 0, 1, 2...
        header_rows = [[_text(label) for label in labels]]
    body = [[_text(cell) for cell in row] for row in table.itertuples(index=False)]
    return pd.DataFrame(header_rows + body, dtype=str)
