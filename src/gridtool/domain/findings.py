"""Findings are data: a stable type, the place (file, sheet, row, column), the value and a message."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    type: str
    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    message: str
    item: str = ""

    @property
    def place(self) -> str:
        where = f"{self.file}「{self.sheet}」" if self.sheet else self.file
        if self.row is not None:
            return f"{where} {self.column}{self.row}" if self.column else f"{where} 第{self.row}行"
        return where

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class MatchNote:
    """A submission that did not match a roster entry exactly, and what was made of it.

    kind: `matched` (confident, counted as a check-in), `doubtful` (a person must decide) or
    `not_on_roster` (no candidate at all).
    """

    kind: str
    file: str
    sheet: str
    row: int
    name: str
    address: str
    phone: str
    message: str
    candidates: tuple[str, ...] = field(default_factory=tuple)
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["candidates"] = list(self.candidates)
        return data
