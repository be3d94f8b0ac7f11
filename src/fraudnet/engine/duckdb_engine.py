"""The embedded engine: one DuckDB file holds every table; commits are DuckDB transactions."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from fraudnet.atomic import make_private, private_dir
from fraudnet.engine.base import Data, Engine, RawRead, StageBuilder, quote
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

    def stage(self, path: Path, fmt: str, view: str, build: StageBuilder) -> RawRead:
        readers = {
            "csv": self._stage_csv,
            "parquet": self._stage_parquet,
            "jsonl": self._stage_jsonl,
        }
        return readers[fmt](path, view, build)

    def _stage_csv(self, path: Path, view: str, build: StageBuilder) -> RawRead:
        delim = "\t" if path.suffix.lower() == ".tsv" else ","
        columns = read_csv_header(path, delim)
        spec = ", ".join(f"{_literal(c)}: 'VARCHAR'" for c in columns)
        options = (
            f"header = true, auto_detect = false, delim = {_literal(delim)}, quote = '\"', "
            f"escape = '\"', columns = {{{spec}}}"
        )
        rejects, scans, gaps = f"{view}_rejects", f"{view}_scans", f"{view}_gaps"
        relation = (
            f"(SELECT *, CAST(NULL AS BIGINT) AS _row FROM read_csv({_literal(path)}, "
            f"{options}, store_rejects = true, rejects_table = '{rejects}', "
            f"rejects_scan = '{scans}', strict_mode = true)) AS raw"
        )
        # A window for row numbers would serialise the scan; insertion order is preserved,
        # so the staged table's rowid is the accepted row's index.
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {quote(view + '_t')} AS {build(columns, relation)}"
        )
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {quote(view)} AS SELECT * REPLACE "
            f"(CAST(rowid + 1 AS BIGINT) AS _row) FROM {quote(view + '_t')}"
        )
        rows = self.con.execute(
            f"SELECT line, string_agg(DISTINCT error_type, ';'), any_value(csv_line) "
            f"FROM {rejects} GROUP BY line ORDER BY line"
        ).fetchall()
        rejected = [(int(line), _csv_reason(str(kind)), str(raw)) for line, kind, raw in rows]
        # Accepted row i sits on line i + 1 (header) + the rejected lines before it.
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {gaps} (before_row BIGINT)")
        if rejected:
            before = [(line - j - 1,) for j, (line, _, _) in enumerate(rejected, start=1)]
            self.con.executemany(f"INSERT INTO {gaps} VALUES (?)", before)
        for table in (rejects, scans):
            self.con.execute(f"DROP TABLE IF EXISTS temp.{table}")
        template = f"{{col}} + 1 + (SELECT COUNT(*) FROM {gaps} WHERE before_row < {{col}})"
        return RawRead(view, columns, rejected, template)

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

    def _stage_parquet(self, path: Path, view: str, build: StageBuilder) -> RawRead:
        columns = [
            r[0]
            for r in self.con.execute(
                f"DESCRIBE SELECT * FROM read_parquet({_literal(path)})"
            ).fetchall()
        ]
        casts = ", ".join(f"CAST({quote(c)} AS VARCHAR) AS {quote(c)}" for c in columns)
        relation = (
            f"(SELECT {casts}, CAST(file_row_number + 1 AS BIGINT) AS _row "
            f"FROM read_parquet({_literal(path)}, file_row_number = true)) AS raw"
        )
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {quote(view)} AS {build(columns, relation)}"
        )
        return RawRead(view, columns, [])

    def _stage_jsonl(self, path: Path, view: str, build: StageBuilder) -> RawRead:
        lines = f"{view}_lines"
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {lines} AS SELECT text AS line, "
            f"CAST(ROW_NUMBER() OVER () AS BIGINT) AS _row FROM read_csv({_literal(path)}, "
            "columns = {'text': 'VARCHAR'}, header = false, delim = '\\x1f', quote = '', "
            "escape = '', auto_detect = false)"
        )
        is_object = "CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' ELSE false END"
        bad = self.con.execute(
            f"SELECT _row, line FROM {lines} WHERE trim(line) <> '' AND NOT ({is_object}) "
            "ORDER BY _row"
        ).fetchall()
        columns = [
            r[0]
            for r in self.con.execute(
                f"SELECT k FROM (SELECT unnest(json_keys(line)) AS k, MIN(_row) AS first "
                f"FROM {lines} WHERE {is_object} GROUP BY k) ORDER BY first, k"
            ).fetchall()
        ]
        fields = "".join(
            f"json_extract_string(line, {_json_path(k)}) AS {quote(k)}, " for k in columns
        )
        relation = f"(SELECT {fields}_row FROM {lines} WHERE {is_object}) AS raw"
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {quote(view)} AS {build(columns, relation)}"
        )
        self.con.execute(f"DROP TABLE IF EXISTS temp.{lines}")
        rejected = [(int(n), "not a JSON object", str(raw)) for n, raw in bad]
        return RawRead(view, columns, rejected)

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


def read_csv_header(path: Path, delim: str) -> list[str]:
    """Column names from the first line, with the csv module's quoting rules."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh, delimiter=delim), [])
    return [h.strip() for h in header]


def _literal(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _json_path(key: str) -> str:
    escaped = key.replace("'", "''").replace('"', '\\"')
    return f"'$.\"{escaped}\"'"


def _csv_reason(kind: str) -> str:
    plain = {
        "MISSING COLUMNS": "malformed CSV row: wrong number of fields",
        "TOO MANY COLUMNS": "malformed CSV row: wrong number of fields",
        "UNQUOTED VALUE": "malformed CSV row: bad quoting",
        "LINE SIZE OVER MAXIMUM": "malformed CSV row: line too long",
        "INVALID UNICODE": "malformed CSV row: invalid UTF-8",
    }
    reasons = {
        plain.get(k.strip(), f"malformed CSV row: {k.strip().lower()}") for k in kind.split(";")
    }
    return "; ".join(sorted(reasons))
