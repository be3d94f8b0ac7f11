"""One engine interface over a store; DuckDB and Spark implement a handful of primitives.

Public methods are templates (`sql`, `table`, `commit`, ...) around abstract hooks that run
SQL on the backend, as in Splink's DatabaseAPI. All SQL handed to an engine is written in
DuckDB's dialect; an engine translates it if it needs to. Every write goes through `commit`,
which is atomic across tables: a killed process leaves the store as it was.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias, final

import pyarrow as pa

from fraudnet.engine.types import conform
from fraudnet.schema import all_tables, get_table


@dataclass(frozen=True, slots=True)
class RawRead:
    """A source file staged through a query, and the lines its reader rejected.

    The staged table carries `_row`, the reader's row number; `line_sql(col)` turns it into
    the line number a person sees in an editor (header is line 1).
    """

    view: str
    columns: list[str]
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, raw)
    line_template: str = "{col}"

    def line_sql(self, col: str) -> str:
        return "(" + self.line_template.format(col=col) + ")"


StageBuilder = Callable[[list[str], str], str]
"""Given the file's column names and a relation of their text values plus `_row`, a SELECT."""


Data: TypeAlias = pa.Table | str
"""What can be written: an Arrow table, or a DuckDB-dialect SELECT over the store."""


class Engine(abc.ABC):
    """A canonical store plus the means to compute over it."""

    name: str = "abstract"

    def __init__(self, location: Path) -> None:
        self.location = Path(location)

    # ---- hooks each engine implements -------------------------------------------------
    @abc.abstractmethod
    def _fetch(self, sql: str) -> pa.Table:
        """Run a DuckDB-dialect query and return the result as Arrow."""

    @abc.abstractmethod
    def _execute(self, sql: str) -> None:
        """Run a DuckDB-dialect statement that returns nothing."""

    @abc.abstractmethod
    def _temp_table(self, name: str, data: Data) -> None:
        """Materialise `data` as a session-local table called `name`."""

    @abc.abstractmethod
    def _drop_temp(self, name: str) -> None: ...

    @abc.abstractmethod
    def _commit(self, appends: Mapping[str, Data], replaces: Mapping[str, Data]) -> None:
        """Atomically append to and replace stored tables (data already in table column order)."""

    @abc.abstractmethod
    def _ensure_tables(self) -> None:
        """Create any declared table missing from the store."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def stage_plain_csv(
        self, path: Path, delimiter: str, columns: list[str], view: str, build: StageBuilder
    ) -> int | None:
        """Stage a plain CSV with the engine's own reader; the rows staged, or None if it can't.

        `build` gets text columns; the staged view's `_row` is the record's line (header: 1). An
        engine without a reader it can trust to do that returns None (the default), and the
        file is read in Python instead.
        """
        return None

    # ---- the public surface -----------------------------------------------------------
    @final
    def sql(self, query: str) -> pa.Table:
        """Run a DuckDB-dialect SELECT over the store; Arrow out."""
        return self._fetch(query)

    @final
    def execute(self, statement: str) -> None:
        self._execute(statement)

    @final
    def table(self, name: str, order_by: Sequence[str] | None = None) -> pa.Table:
        """A stored table with its declared Arrow types (ordered by key unless told)."""
        declared = get_table(name)
        order = list(order_by) if order_by is not None else list(declared.key)
        order_sql = f" ORDER BY {', '.join(_quote(c) for c in order)}" if order else ""
        return conform(self._fetch(f"SELECT * FROM {_quote(name)}{order_sql}"), declared)

    @final
    def count(self, name: str) -> int:
        get_table(name)
        result = self._fetch(f"SELECT COUNT(*) AS n FROM {_quote(name)}")
        return int(result.column("n")[0].as_py())

    @final
    def temp_table(self, name: str, data: Data) -> None:
        """Materialise a query or Arrow table for later queries in this session."""
        self._temp_table(name, data)

    @final
    def drop_temp(self, name: str) -> None:
        self._drop_temp(name)

    @final
    def commit(
        self,
        appends: Mapping[str, Data] | None = None,
        replaces: Mapping[str, Data] | None = None,
    ) -> None:
        """Append to and replace tables in one atomic step; columns are conformed first."""
        self._commit(
            {k: self._conformed(k, v) for k, v in (appends or {}).items()},
            {k: self._conformed(k, v) for k, v in (replaces or {}).items()},
        )

    @final
    def append(self, name: str, data: Data) -> None:
        self.commit(appends={name: data})

    @final
    def replace(self, name: str, data: Data) -> None:
        self.commit(replaces={name: data})

    @final
    def ensure_tables(self) -> None:
        self._ensure_tables()

    @final
    def table_names(self) -> list[str]:
        return [t.name for t in all_tables()]

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _conformed(self, name: str, data: Data) -> Data:
        declared = get_table(name)
        if isinstance(data, pa.Table):
            return conform(data, declared)
        cols = ", ".join(
            f"CAST({_quote(c.name)} AS {c.type}) AS {_quote(c.name)}" for c in declared.columns
        )
        return f"SELECT {cols} FROM ({data}) AS conformed_input"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


quote = _quote
