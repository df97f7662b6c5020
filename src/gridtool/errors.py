"""Exit codes and the one exception type for unusable input."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    INPUT = 2
    THRESHOLD = 3


class GridtoolError(Exception):
    """Input that cannot be used at all. The message is shown to staff, in Chinese.

    Data problems inside a usable file are findings in a result, not this exception.
    """

    def __init__(self, message: str, hint: str = "", code: ExitCode = ExitCode.INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message
