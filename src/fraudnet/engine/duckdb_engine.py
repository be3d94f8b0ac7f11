"""The embedded engine: one DuckDB file holds every table; commits are DuckDB transactions."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from fraudnet.atomic import make_private, private_dir
from fraudnet.engine.base import Data, Engine, StageBuilder, quote
from fraudnet.errors import FraudnetError, StoreBusyError
from fraudnet.schema import all_tables


class DuckDBEngine(Engine):
    name = "duckdb"

    def __init__(self, location: Path, read_only: bool = False) -> None:
        super().__init__(location)
        self.con = connect_store(self.location, read_only)
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET enable_progress_bar = false")
        self._arrow_views: dict[str, pa.Table] = {}
        if not read_only:
            self._ensure_tables()

    def _fetch(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def _execute(self, sql: str) -> None:
        self.con.execute(sql)

    def _temp_table(self, name: str, data: Data) -> None:
        if isinstance(data, pa.Table):
            self.con.register("_fraudnet_arrow_in", data)
            try:
                self.con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {quote(name)} AS "
                    "SELECT * FROM _fraudnet_arrow_in"
                )
            finally:
                self.con.unregister("_fraudnet_arrow_in")
        else:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {quote(name)} AS {data}")

    def _drop_temp(self, name: str) -> None:
        kinds = {
            r[0]
            for r in self.con.execute(
                "SELECT table_type FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_catalog = 'temp' AND table_name = ?",
                [name],
            ).fetchall()
        }
        if "VIEW" in kinds:
            self.con.execute(f"DROP VIEW IF EXISTS temp.{quote(name)}")
            self.con.execute(f"DROP TABLE IF EXISTS temp.{quote(name + '_t')}")
        else:
            self.con.execute(f"DROP TABLE IF EXISTS temp.{quote(name)}")

    def _ensure_tables(self) -> None:
        """Create missing tables; add columns declared since an older store was made."""
        existing: dict[str, set[str]] = {}
        for name, column in self.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_catalog = current_database() AND table_schema = 'main'"
        ).fetchall():
            existing.setdefault(str(name), set()).add(str(column))
        for table in all_tables():
            if table.name not in existing:
                self.con.execute(table.create_sql())
                continue
            for col in table.columns:
                if col.name not in existing[table.name]:
                    self.con.execute(
                        f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(col.name)} {col.type}"
                    )

    def _commit(self, appends: Mapping[str, Data], replaces: Mapping[str, Data]) -> None:
        registered: list[str] = []
        self.con.execute("BEGIN TRANSACTION")
        try:
            for i, (name, data) in enumerate([*replaces.items(), *appends.items()]):
                source = self._source_sql(data, f"_fraudnet_commit_{i}", registered)
                if name in replaces and i < len(replaces):
                    self.con.execute(f"DELETE FROM {quote(name)}")
                # BY NAME: a store made by an older version may hold columns in another order.
                self.con.execute(f"INSERT INTO {quote(name)} BY NAME {source}")
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        finally:
            for view in registered:
                self.con.unregister(view)

    def _source_sql(self, data: Data, view: str, registered: list[str]) -> str:
        if isinstance(data, pa.Table):
            self.con.register(view, data)
            registered.append(view)
            return f"SELECT * FROM {view}"
        return data

    def stage_plain_csv(
        self, path: Path, delimiter: str, columns: list[str], view: str, build: StageBuilder
    ) -> int | None:
        spec = ", ".join(f"'_c{i}': 'VARCHAR'" for i in range(len(columns)))
        named = ", ".join(f"COALESCE(_c{i}, '') AS {quote(c)}" for i, c in enumerate(columns))
        relation = (
            f"(SELECT {named}{', ' if named else ''}CAST(NULL AS BIGINT) AS _row "
            f"FROM read_csv({_literal(path)}, header = true, auto_detect = false, "
            f"delim = {_literal(delimiter)}, quote = '\"', escape = '\"', new_line = '\\n', "
            f"columns = {{{spec}}}, strict_mode = true, null_padding = false, "
            "ignore_errors = false, encoding = 'utf-8')) AS raw"
        )
        try:  # insertion order is preserved: rowid 0 is the record on line 2
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {quote(view + '_t')} AS {build(columns, relation)}"
            )
        except duckdb.Error:
            self.con.execute(f"DROP TABLE IF EXISTS temp.{quote(view + '_t')}")
            return None
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {quote(view)} AS SELECT * REPLACE "
            f"(CAST(rowid + 2 AS BIGINT) AS _row) FROM {quote(view + '_t')}"
        )
        counted = self.con.execute(f"SELECT COUNT(*) FROM {quote(view + '_t')}").fetchall()
        return int(counted[0][0])

    def _columns(self, view: str) -> list[str]:
        described = self.con.execute(f"DESCRIBE {quote(view)}").fetchall()
        return [r[0] for r in described if r[0] != "_line"]

    def close(self) -> None:
        self.con.close()


def connect_store(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file; a new one is made owner-only, a locked one is a StoreBusyError."""
    private_dir(path.parent)
    created = not path.exists()
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as err:
        raise _store_error(path, err) from err
    if created and path.exists():
        make_private(path)
    return con


def _store_error(path: Path, err: duckdb.IOException) -> Exception:
    text = str(err)
    if "Could not set lock" in text:
        return StoreBusyError(f"store {path} is busy: another fraudnet process is writing to it")
    if "not a valid DuckDB database file" in text:
        return FraudnetError(f"{path} is not a DuckDB store (give a new or a fraudnet store file)")
    return err


def _literal(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"
