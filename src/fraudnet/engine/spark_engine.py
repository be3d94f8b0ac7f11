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
from fraudnet.engine.base import Data, Engine, RawRead, StageBuilder, quote
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

    # ---- raw reads --------------------------------------------------------------------
    def stage(self, path: Path, fmt: str, view: str, build: StageBuilder) -> RawRead:
        if fmt == "csv":
            raw, columns, rejected = self._raw_csv(path)
        elif fmt == "parquet":
            raw, columns, rejected = self._raw_parquet(path)
        elif fmt == "jsonl":
            raw, columns, rejected = self._raw_jsonl(path)
        else:
            raise ValueError(f"unknown format {fmt!r}")
        raw.createOrReplaceTempView(f"{view}_raw")
        staged = self.spark.sql(duckdb_to_spark(build(columns, f"{view}_raw"))).localCheckpoint()
        self.spark.catalog.dropTempView(f"{view}_raw")
        staged.createOrReplaceTempView(view)
        self._temps[view] = staged
        return RawRead(view, columns, rejected)

    def _raw_csv(self, path: Path) -> tuple[Any, list[str], list[tuple[int, str, str]]]:
        from pyspark.sql import functions as F

        reader = self.spark.read.option("header", True).option("mode", "PERMISSIVE")
        columns = list(reader.csv(str(path)).columns)
        ddl = ", ".join(f"`{c}` STRING" for c in columns) + ", `_corrupt` STRING"
        df = reader.option("columnNameOfCorruptRecord", "_corrupt").schema(ddl).csv(str(path))
        indexed = _with_row(df, offset=2).localCheckpoint()
        bad = indexed.where(F.col("_corrupt").isNotNull()).select("_row", "_corrupt")
        rejected = [
            (int(r["_row"]), "malformed CSV row: wrong number of fields", str(r["_corrupt"]))
            for r in bad.orderBy("_row").collect()
        ]
        return indexed.where(F.col("_corrupt").isNull()).drop("_corrupt"), columns, rejected

    def _raw_parquet(self, path: Path) -> tuple[Any, list[str], list[tuple[int, str, str]]]:
        from pyspark.sql import functions as F

        df = self.spark.read.parquet(str(path))
        columns = list(df.columns)
        df = df.select(*[F.col(f"`{c}`").cast("string").alias(c) for c in columns])
        return _with_row(df, offset=1), columns, []

    def _raw_jsonl(self, path: Path) -> tuple[Any, list[str], list[tuple[int, str, str]]]:
        from pyspark.sql import functions as F

        lines = _with_row(self.spark.read.text(str(path)), offset=1)
        parsed = lines.withColumn("_obj", F.from_json("value", "MAP<STRING,STRING>"))
        parsed = parsed.localCheckpoint()
        bad_rows = parsed.where(F.col("_obj").isNull() & (F.trim("value") != "")).orderBy("_row")
        rejected = [
            (int(r["_row"]), "not a JSON object", str(r["value"])) for r in bad_rows.collect()
        ]
        good = parsed.where(F.col("_obj").isNotNull())
        key_rows = (
            good.select(F.explode(F.map_keys("_obj")).alias("k"), "_row")
            .groupBy("k")
            .agg(F.min("_row").alias("first"))
            .orderBy("first", "k")
            .collect()
        )
        columns = [str(r["k"]) for r in key_rows]
        good = good.select(*[F.col("_obj").getItem(k).alias(k) for k in columns], "_row")
        return good, columns, rejected

    def close(self) -> None:
        for name in list(self._temps):
            self._drop_temp(name)


def _with_row(df: Any, offset: int) -> Any:
    """Number rows in file order without Python workers.

    Partitions of a file scan follow the file, and `monotonically_increasing_id` rises
    within a partition, so a per-partition shift turns it into a dense row number.
    """
    from pyspark.sql import functions as F

    tagged = df.withColumn("_pid", F.spark_partition_id()).withColumn(
        "_mid", F.monotonically_increasing_id()
    )
    tagged = tagged.localCheckpoint()
    parts = (
        tagged.groupBy("_pid")
        .agg(F.count(F.lit(1)).alias("n"), F.min("_mid").alias("first"))
        .orderBy("_pid")
        .collect()
    )
    shifts, seen = [], 0
    for part in parts:
        shifts.append((int(part["_pid"]), seen + offset - int(part["first"])))
        seen += int(part["n"])
    shift_df = df.sparkSession.createDataFrame(shifts or [(0, 0)], "_pid INT, _shift BIGINT")
    return (
        tagged.join(F.broadcast(shift_df), "_pid")
        .withColumn("_row", F.col("_mid") + F.col("_shift"))
        .drop("_pid", "_mid", "_shift")
    )


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
