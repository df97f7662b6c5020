"""Reading a building leader's task book or a 配送单 the way `collect` does: its hidden manifest names no
one, so the items it stands for are looked up in the log of issued items by the key printed on the sheet;
and reading it the way a curious neighbour would, every place of the file as text (`book_texts`)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from gridtool import logformat
from gridtool.domain.loop.leader_view import sheet_key

SHOWN = "印在表上的编号"


def printed_keys(book: Path) -> list[str]:
    """The keys in the book's hidden manifest, in its order."""
    rows = list(openpyxl.load_workbook(book, read_only=True)["_gridtool"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r and r[0] == "编号")
    return [str(r[0]) for r in rows[top + 1:] if r and r[0]]


def issued_items(book: Path, log: Path) -> list[dict[str, object]]:
    """The log's entries (by header: 编号, 类型, 居民, 原因, …) for the book's items, with the printed key."""
    secret = logformat.read_key(log)
    assert secret is not None, f"{log} has no key file"
    sheet = openpyxl.load_workbook(log, read_only=True)[logformat.LOG_SHEET]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    entries = {sheet_key(secret, str(r[0])): dict(zip(header, r, strict=False)) for r in rows if r and r[0]}
    printed = printed_keys(book)
    assert set(printed) <= set(entries), "a printed key the log does not know"
    return [{**entries[k], SHOWN: k} for k in printed]


def book_texts(path: Path) -> dict[str, str]:
    """Every place of the workbook a curious reader can look, as text by place."""
    book = openpyxl.load_workbook(path)
    places: dict[str, list[str]] = {}
    for sheet in book.worksheets:  # hidden ones included
        cells = places.setdefault(f"cells:{sheet.title}", [])
        for row in sheet.iter_rows():
            for cell in row:
                cells += [str(cell.value)] if cell.value is not None else []
                if cell.comment is not None:
                    places.setdefault("comments", []).append(cell.comment.text)
        places.setdefault("validations", []).extend(
            f"{v.formula1} {v.prompt} {v.error}" for v in sheet.data_validations.dataValidation)
        places.setdefault("headers", []).extend(
            str(part.text) for hf in (sheet.oddHeader, sheet.oddFooter, sheet.evenHeader, sheet.evenFooter)
            for part in (hf.left, hf.center, hf.right) if part.text)
        places.setdefault("names", []).extend(f"{n}={d.attr_text}" for n, d in sheet.defined_names.items())
    places["names"] += [f"{n}={d.attr_text}" for n, d in book.defined_names.items()]
    props = book.properties
    places["properties"] = [str(getattr(props, f)) for f in ("title", "subject", "creator", "keywords",
                                                             "description", "category", "lastModifiedBy")]
    places["properties"] += [f"{p.name}={p.value}" for p in book.custom_doc_props.props]
    with zipfile.ZipFile(path) as archive:  # and the raw XML of every part, whatever openpyxl does not model
        places["xml"] = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    return {place: "\n".join(texts) for place, texts in places.items()}


def leaks(path: Path, private: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    """(place, kind, word) for every private word found anywhere in the workbook."""
    texts = book_texts(path)
    return [(place, kind, word) for place, text in texts.items() for kind, words in private.items()
            for word in words if word in text]


def tick_all(book: Path, save_as: Path, sheet_name: str, swap: dict[str, str] | None = None) -> list[str]:
    """Every printed row ticked, and each key in `swap` replaced by another on the sheet and in the manifest
    alike (a careful forger edits both); the keys as printed."""
    printed = printed_keys(book)
    wb = openpyxl.load_workbook(book)
    for sheet in (wb[sheet_name], wb["_gridtool"]):
        for row in sheet.iter_rows():
            for cell in row:
                if swap and cell.value in swap:
                    cell.value = swap[str(cell.value)]
    sheet = wb[sheet_name]
    tick = [c.value for c in sheet[3]].index("完成(打√)") + 1
    for row in range(4, 4 + len(printed)):
        sheet.cell(row, tick, "√")
    wb.save(save_as)
    return printed
