"""Arrow rows to JSON-ready values: instants made explicit UTC (so a browser never reads them
as local time), money kept as Decimal (sent as a string, never a float)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyarrow as pa


def utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def row(values: dict[str, Any]) -> dict[str, Any]:
    return {k: utc(v) for k, v in values.items()}


def rows(table: pa.Table) -> list[dict[str, Any]]:
    return [row(r) for r in table.to_pylist()]


__all__ = ["row", "rows", "utc"]
