"""The building blocks of a declared table: columns with a logical type, keys and enums.

Types are written once as DuckDB SQL types; the Spark engine maps them (see `spark_type`).
Times are naive TIMESTAMPs that always mean UTC; money is DECIMAL(18,2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MONEY = "DECIMAL(18,2)"
TIMESTAMP = "TIMESTAMP"
DATE = "DATE"
TEXT = "VARCHAR"
INTEGER = "BIGINT"
REAL = "DOUBLE"
BOOLEAN = "BOOLEAN"

LOGICAL_TYPES = (MONEY, TIMESTAMP, DATE, TEXT, INTEGER, REAL, BOOLEAN)

PAYMENT_DATES = ("1970-01-01", "2100-12-31")
BIRTH_DATES = ("1900-01-01", "today")
OTHER_DATES = ("1900-01-01", "2100-12-31")
"""Plausible ranges: a column that declares none takes OTHER_DATES when it holds a date or time."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a canonical table, with what it means for a person reading the docs."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    plausible: tuple[str, str] | None = None
    """For dates and times: the range (ISO dates, or "today") outside which a value is refused."""

    def __post_init__(self) -> None:
        if self.type not in LOGICAL_TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")


@dataclass(frozen=True, slots=True)
class Table:
    """A canonical or derived table: its key decides what counts as the same row on re-ingest."""

    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    derived: bool = False
    ingestible: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"table {self.name}: duplicate column names")
        missing = [k for k in self.key if k not in names]
        if missing:
            raise ValueError(f"table {self.name}: key columns {missing} are not columns")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name} has no column {name!r}")

    def create_sql(self) -> str:
        """DuckDB-dialect CREATE TABLE (the Spark engine translates it)."""
        cols = ",\n  ".join(f'"{c.name}" {c.type}' for c in self.columns)
        return f'CREATE TABLE IF NOT EXISTS "{self.name}" (\n  {cols}\n)'
