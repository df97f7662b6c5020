"""What the reader noticed while reading a file it could still use: a stray quote, a far cell, a line it
could not decode. The reader keeps going and says so; the caller turns these into findings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadNote:
    """One thing noticed while reading: a stable kind, the line or row (1-based, when known) and a message;
    the column (its letter) and the cell's exact text when the note is about one cell."""

    kind: str
    message: str
    row: int | None = None
    column: str = ""
    value: str = ""


def line_list(lines: list[int], limit: int = 5) -> str:
    """第3、7、9行 (and 等N行 when there are more than `limit`)."""
    shown = "、".join(str(n) for n in lines[:limit])
    more = f" 等{len(lines)}行" if len(lines) > limit else "行"
    return f"第{shown}{more}"


def lines_note(kind: str, lines: list[int], message: str) -> ReadNote:
    """A note about some lines: placed at the first; the message names them all when there are several."""
    return ReadNote(kind, f"{line_list(lines)}{message}" if len(lines) > 1 else message, lines[0])
