"""Rows read from a text file, column by column, with the lines that could not be read.

Both text readers (CSV, JSON Lines) produce one `TextRows`; it knows how many records the
file physically holds, counted apart from the parsing, so the loader can check that
every one of them ends somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from fraudnet.errors import FraudnetError

RESERVED = ("_row", "_keep", "_raw", "_err_field", "_err_reason", "_err_value")
"""Names the staging query uses for itself; a source column may not take them."""


@dataclass
class TextRows:
    """Accepted rows (text values, file line numbers) and rejected lines (line, reason, raw)."""

    columns: list[str]
    values: list[list[str | None]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    physical_records: int = 0

    def add(self, line: int, row: list[str | None]) -> None:
        for column, value in zip(self.values, row, strict=True):
            column.append(value)
        self.lines.append(line)

    def reject(self, line: int, reason: str, raw: str) -> None:
        self.rejected.append((line, reason, raw))

    def to_arrow(self) -> pa.Table:
        """Columns named by position (`_c0`, ...) so no source name can clash with `_row`."""
        arrays = {f"_c{i}": pa.array(v, pa.string()) for i, v in enumerate(self.values)}
        return pa.table({**arrays, "_row": pa.array(self.lines, pa.int64())})


def check_column_names(names: list[str], file: str) -> list[str]:
    """Header names as given; blanks become `column_<n>`, duplicates and reserved names fail."""
    named = [name or f"column_{i}" for i, name in enumerate(names, start=1)]
    seen: set[str] = set()
    for name in named:
        if name.lower() in seen:
            raise FraudnetError(
                "column name appears twice in the header", file=file, row=1, field=name
            )
        if _reserved(name):
            raise FraudnetError(
                "column name is reserved for fraudnet's use", file=file, row=1, field=name
            )
        seen.add(name.lower())
    return named


def _reserved(name: str) -> bool:
    lowered = name.lower()
    positional = lowered.startswith("_c") and lowered[2:].isdigit()
    return lowered in RESERVED or lowered.startswith(("_r_", "_s_")) or positional
