"""Text tables (csv, tsv, Excel's “Unicode 文本”): decoded line by line when the file mixes encodings or
holds bytes that decode to nothing, then parsed; a stray quote that swallowed rows is found and undone.

Every line that could not be read as it stands is named in a note; only a file with nothing usable left
is an error.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pandas as pd

from gridtool.errors import GridtoolError
from gridtool.table.notes import ReadNote, lines_note

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(raw: bytes, name: str, notes: list[ReadNote] | None = None) -> str:
    """The text of a file staff wrote: UTF-8 (with or without BOM), GB18030/GBK or UTF-16; line by line when mixed."""
    notes = notes if notes is not None else []
    utf16 = _utf16_codec(raw)
    if utf16:
        return _decode_utf16(raw, utf16, name, notes)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return _decode_lines(raw, name, notes)
    if not any(not line.isascii() and _is_utf8(line) for line in raw.split(b"\n")):
        return text
    return _decode_lines(raw, name, notes)  # some lines are UTF-8 in a GBK file: GB18030 would garble them


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf16_codec(raw: bytes) -> str:
    if raw.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if raw.startswith(b"\xfe\xff"):
        return "utf-16-be"
    head = raw[:4000]
    if len(head) >= 8 and head.count(0) > len(head) // 3:  # UTF-16 without a BOM: every other byte is 0
        return "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    return ""


def _decode_utf16(raw: bytes, codec: str, name: str, notes: list[ReadNote]) -> str:
    """UTF-16 (Excel's “Unicode 文本”); a lone surrogate or an odd byte becomes �, and its line is named."""
    data = raw[2:] if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
    broken = [n for n, line in enumerate(text.split("\n"), 1) if "\ufffd" in line]
    _check_broken(text.split("\n"), broken, name, notes)
    return text


def _decode_lines(raw: bytes, name: str, notes: list[ReadNote]) -> str:
    """Each line in the first encoding that reads it; lines no encoding reads keep what can be read, marked."""
    used: dict[str, list[int]] = {}
    texts = []
    for number, line in enumerate(raw.split(b"\n"), 1):
        text, codec = _decode_line(line)
        if not line.isascii():
            used.setdefault(codec, []).append(number)
        texts.append(text)
    _check_broken(texts, used.pop("", []), name, notes)
    if len(used) > 1:  # the encoding of the first line that needs one is the file's; name the other lines
        first = min(used, key=lambda codec: used[codec][0])
        other, lines = next((codec, numbers) for codec, numbers in used.items() if codec != first)
        label = "GBK" if other == "gb18030" else "UTF-8"
        notes.append(lines_note("mixed_encoding", lines, f"是 {label} 编码，与文件其余部分不同，已逐行识别。"))
    return "\n".join(texts)


def _check_broken(lines: list[str], broken: list[int], name: str, notes: list[ReadNote]) -> None:
    """Name the lines that could not be decoded; an error when no line is left that reads cleanly."""
    if not broken:
        return
    bad = set(broken)
    if not any(line.strip() for number, line in enumerate(lines, 1) if number not in bad):
        raise GridtoolError(f"{name}：无法识别文件编码（不是 UTF-8、GBK/GB18030，也不是 UTF-16）。",
                            "请用 Excel/WPS 打开后另存为“CSV UTF-8”或 .xlsx。")
    notes.append(lines_note("undecodable_line", broken, "有无法识别的字符，已用 � 代替，请核对。"))


def _decode_line(line: bytes) -> tuple[str, str]:
    for codec in ENCODINGS:
        try:
            return line.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return line.decode("utf-8", errors="replace"), ""


def read_text_table(raw: bytes, name: str, guess: Callable[[str], str]) -> tuple[pd.DataFrame, list[ReadNote]]:
    """The table of a text file as text cells (rows and columns numbered from 0), and what was noticed."""
    notes: list[ReadNote] = []
    text = decode(raw, name, notes)
    if "\0" in text:
        lines = [n for n, line in enumerate(text.split("\n"), 1) if "\0" in line]
        notes.append(lines_note("nul_bytes", lines, "含有空字符（NUL），已删去。"))
        text = text.replace("\0", "")
    if "\r" in text:  # CRLF, and the old-Mac CR-only line ends
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    delimiter = guess(text[:20000])
    frame = _parse(text, delimiter)
    line_count = text.count("\n") + (0 if text.endswith("\n") else 1)
    if len(frame) < line_count:
        frame = _undo_stray_quotes(text, delimiter, frame, notes)
    if frame.empty or not frame.fillna("").map(str.strip).ne("").any().any():
        raise GridtoolError(f"{name}：文件里没有可读的内容。", "请重新下载或导出该文件。")
    return frame, notes


def _parse(text: str, delimiter: str) -> pd.DataFrame:
    sample = text[:20000]
    width = max((len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter, strict=False)), default=1)
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(width), dtype=str,
                           keep_default_na=False, skip_blank_lines=False, engine="c")
    except pd.errors.ParserError:  # a row wider than the sample, or a quote left open: the slow, forgiving way
        return _rows_frame(list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)))


def _line_fields(line: str, delimiter: str) -> list[str]:
    """One line's fields; a line with an unpaired quote is split at every separator, the stray quote dropped."""
    if line.count('"') % 2 == 0:
        return next(csv.reader([line], delimiter=delimiter, strict=False), [])
    return [field.strip('"') for field in next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])]


def _undo_stray_quotes(text: str, delimiter: str, frame: pd.DataFrame, notes: list[ReadNote]) -> pd.DataFrame:
    """A field that holds a line break and a whole row's separators swallowed rows: read each line on its own."""
    width = frame.shape[1]
    cells = frame.fillna("").astype(str)
    swallowed = cells.apply(lambda c: c.str.contains("\n", regex=False) & c.str.count(delimiter).ge(max(width - 1, 1)))
    if not swallowed.to_numpy().any():
        return frame
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    by_line = [_line_fields(line, delimiter) for line in lines]
    if len(by_line) <= len(frame):
        return frame
    stray = [n for n, line in enumerate(lines, 1) if line.count('"') % 2] or [len(lines)]
    notes.append(lines_note("stray_quote", stray, f"有一个未配对的英文引号（\"），它把后面 {len(by_line) - len(frame)} 行"
                                                  "吞进了一个单元格；已逐行重新读取，请核对并改正。"))
    return _rows_frame(by_line)


def _rows_frame(rows: list[list[str]]) -> pd.DataFrame:
    """Ragged rows padded with blanks to the widest, as text cells."""
    width = max((len(row) for row in rows), default=0)
    return pd.DataFrame([row + [""] * (width - len(row)) for row in rows], dtype=str)
