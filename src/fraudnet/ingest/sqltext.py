"""SQL text for values: one quoting rule for every literal the ingest queries hold."""

from __future__ import annotations


def sql_string(value: str) -> str:
    """A single-quoted SQL string literal holding `value` exactly."""
    return "'" + value.replace("'", "''") + "'"
