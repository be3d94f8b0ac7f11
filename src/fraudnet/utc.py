"""Instants as the store keeps them: naive datetimes meaning UTC (docs/decisions.md).

An aware datetime is converted to UTC before its zone is dropped, never just stripped:
11:00-05:00 is 16:00 UTC, not 11:00.
"""

from __future__ import annotations

from datetime import UTC, datetime


def naive_utc(value: datetime) -> datetime:
    """`value` in UTC without tzinfo; a naive `value` is taken as UTC already."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)
