"""The one error type a user can cause: the CLI prints it as one line, without a traceback."""

from __future__ import annotations


class FraudnetError(Exception):
    """A failure the user can fix (bad input, busy store, unknown id), located where possible.

    ``str(err)`` is the one line the CLI prints: the message prefixed by file, row and field
    when they are known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.field = field
        super().__init__(self.located())

    def located(self) -> str:
        where = [
            part
            for part in (
                self.file,
                f"row {self.row}" if self.row is not None else None,
                f"field {self.field!r}" if self.field else None,
            )
            if part
        ]
        return f"{': '.join([', '.join(where), self.message]) if where else self.message}"


class StoreBusyError(FraudnetError):
    """Another process holds the store's write lock."""


class InvalidValueError(FraudnetError, ValueError):
    """A user-supplied value out of range or unknown; still a ValueError for old callers."""
