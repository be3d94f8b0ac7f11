"""The scale-out engine: Parquet parts in a directory, listed by one manifest file.

A commit writes new Parquet parts, then swaps the manifest with an atomic rename, so a
killed process leaves only unreferenced parts behind and the store as it was.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from fraudnet.atomic import private_dir, write_atomic
from fraudnet.engine.base import Data, Engine, quote
from fraudnet.engine.dialect import duckdb_to_spark, spark_type
from fraudnet.engine.spark_session import spark_session
from fraudnet.engine.types import arrow_schema
from fraudnet.schema import all_tables, get_table

MANIFEST = "_fraudnet_store.json"


class SparkEngine(Engine):
    name = "spark"

    def __init__(self, location: Path) -> None:
        super().__init__(location)
        self.spark = spark_session()
        private_dir(self.location)
        self._temps: dict[str, Any] = {}
        self._ensure_tables()

    # ---- manifest --------------------------------------------------------------------
    @property
    def _manifest_path(self) -> Path:
        return self.location / MANIFEST

    def _manifest(self) -> dict[str, Any]:
        if not self._manifest_path.exists():
            return {"format": "fraudnet-spark", "version": 1, "tables": {}}
        return dict(json.loads(self._manifest_path.read_text()))

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        write_atomic(self._manifest_path, json.dumps(manifest, indent=1, sort_keys=True))

    def _ensure_tables(self) -> None:
        manifest = self._manifest()
        changed = not self._manifest_path.exists()
        for table in all_tables():
            if table.name not in manifest["tables"]:
                manifest["tables"][table.name] = []
                changed = True
        if changed:
            self._write_manifest(manifest)
        self._refresh_views(manifest)

    def _ddl(self, name: str) -> str:
        return ", ".join(f"`{c.name}` {spark_type(c.type)}" for c in get_table(name).columns)

    def _refresh_views(self, manifest: dict[str, Any]) -> None:
        for name, parts in manifest["tables"].items():
            try:
                ddl = self._ddl(name)
            except KeyError:
                continue
            if parts:
                paths = [str(self.location / p) for p in parts]
                df = self.spark.read.schema(ddl).parquet(*paths)
            else:
                df = self.spark.createDataFrame([], ddl)
            df.createOrReplaceTempView(name)

    # ---- hooks ------------------------------------------------------------------------
    def _df(self, data: Data) -> Any:
        if isinstance(data, pa.Table):
            if data.num_rows == 0:
                return self.spark.createDataFrame([], _arrow_ddl(data.schema))
            return self.spark.createDataFrame(data)
        return self.spark.sql(duckdb_to_spark(data))

    def _fetch(self, sql: str) -> pa.Table:
        return self.spark.sql(duckdb_to_spark(sql)).toArrow()

    def _execute(self, sql: str) -> None:
        self.spark.sql(duckdb_to_spark(sql)).collect()

    def _temp_table(self, name: str, data: Data) -> None:
        df = self._df(data).localCheckpoint()
        df.createOrReplaceTempView(name)
        self._temps[name] = df

    def _drop_temp(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)
        self._temps.pop(name, None)

    def _commit(self, appends: Mapping[str, Data], replaces: Mapping[str, Data]) -> None:
        manifest = self._manifest()
        for name, data in [*replaces.items(), *appends.items()]:
            part = f"parts/{name}/{uuid.uuid4().hex}"
            df = self._df(data)
            if isinstance(data, pa.Table):
                df = self.spark.createDataFrame(data, self._ddl(name)) if data.num_rows else df
            df.write.mode("errorifexists").parquet(str(self.location / part))
            if name in replaces:
                manifest["tables"][name] = [part]
            else:
                manifest["tables"].setdefault(name, []).append(part)
        self._write_manifest(manifest)
        self._refresh_views(manifest)

    def vacuum(self) -> int:
        """Delete Parquet parts no manifest entry points at (left by killed loads)."""
        referenced = {p for parts in self._manifest()["tables"].values() for p in parts}
        removed = 0
        for table_dir in (self.location / "parts").glob("*"):
            for part in table_dir.iterdir():
                if f"parts/{table_dir.name}/{part.name}" not in referenced:
                    shutil.rmtree(part, ignore_errors=True)
                    removed += 1
        return removed

    def close(self) -> None:
        for name in list(self._temps):
            self._drop_temp(name)


def _arrow_ddl(schema: pa.Schema) -> str:
    mapping = {
        pa.string(): "STRING",
        pa.large_string(): "STRING",
        pa.int64(): "BIGINT",
        pa.float64(): "DOUBLE",
        pa.bool_(): "BOOLEAN",
        pa.date32(): "DATE",
        pa.timestamp("us"): "TIMESTAMP_NTZ",
        pa.decimal128(18, 2): "DECIMAL(18,2)",
    }
    return ", ".join(f"`{f.name}` {mapping.get(f.type, 'STRING')}" for f in schema)


__all__ = ["SparkEngine", "arrow_schema", "quote"]
