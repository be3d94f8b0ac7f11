"""Where Splink computes: its DuckDB backend for a DuckDB store, its Spark backend for Spark.

Splink gets its own DuckDB connection (in memory, spilling to a temporary folder) so that
its working tables never land in the user's store. On Spark it uses the shared session; the
Jaro-Winkler and Damerau-Levenshtein functions come from the jar shipped in Splink's wheel,
added to the running session with `ADD JAR` (no session restart, no config change needed).
"""

from __future__ import annotations

import abc
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
from splink.internals.database_api import DatabaseAPI
from splink.internals.splink_dataframe import SplinkDataFrame

from fraudnet.engine import Engine


class SplinkBackend(abc.ABC):
    """A Splink database API plus the two moves we need: Arrow in, Arrow out."""

    def __init__(self) -> None:
        self._workdir = tempfile.TemporaryDirectory(prefix="fraudnet-resolve-")
        self.workdir = Path(self._workdir.name)

    @property
    @abc.abstractmethod
    def db_api(self) -> DatabaseAPI[Any]: ...

    def register(self, data: pa.Table) -> SplinkDataFrame:
        """Hand the prepared parties to Splink under a name unique to this run."""
        return self.db_api.register(data, table_name=f"fraudnet_resolve_{uuid.uuid4().hex[:12]}")

    @abc.abstractmethod
    def fetch(self, frame: SplinkDataFrame) -> pa.Table:
        """A Splink result table as Arrow."""

    def close(self) -> None:
        self._workdir.cleanup()


class DuckDBSplinkBackend(SplinkBackend):
    def __init__(self, memory_limit: str | None = None) -> None:
        super().__init__()
        import duckdb
        from splink import DuckDBAPI

        self.con = duckdb.connect(":memory:")
        limit = memory_limit or os.environ.get("FRAUDNET_RESOLVE_MEMORY", "6GB")
        self.con.execute(f"SET memory_limit = '{_safe_setting(limit)}'")
        self.con.execute(f"SET temp_directory = '{_safe_setting(str(self.workdir))}'")
        self.con.execute("SET preserve_insertion_order = false")
        self._api = DuckDBAPI(connection=self.con)

    @property
    def db_api(self) -> DatabaseAPI[Any]:
        return self._api

    def fetch(self, frame: SplinkDataFrame) -> pa.Table:
        return self.con.sql(f"SELECT * FROM {frame.physical_name}").to_arrow_table()

    def close(self) -> None:
        self.con.close()
        super().close()


class SparkSplinkBackend(SplinkBackend):
    def __init__(self) -> None:
        super().__init__()
        from splink import SparkAPI

        from fraudnet.engine.spark_session import spark_session

        self.spark = spark_session()
        _add_similarity_jar(self.spark)
        _ensure_checkpoint_dir(self.spark)
        self._api = SparkAPI(
            spark_session=self.spark,
            break_lineage_method="persist",
            num_partitions_on_repartition=int(os.environ.get("FRAUDNET_RESOLVE_PARTITIONS", "2")),
        )

    @property
    def db_api(self) -> DatabaseAPI[Any]:
        return self._api

    def fetch(self, frame: SplinkDataFrame) -> pa.Table:
        return frame.as_spark_dataframe().toArrow()

    def close(self) -> None:
        for table in self.spark.catalog.listTables():
            splink_table = table.name.startswith(("__splink__", "fraudnet_resolve_"))
            if splink_table and table.isTemporary:
                self.spark.catalog.dropTempView(table.name)
        self.spark.catalog.clearCache()
        super().close()


_JAR_ADDED: set[int] = set()


def _add_similarity_jar(spark: Any) -> None:
    """Put Splink's similarity UDF jar on the running session's class path (once)."""
    if id(spark) in _JAR_ADDED:
        return
    from splink.backends.spark import similarity_jar_location

    jar = similarity_jar_location()
    spark.sql(f"ADD JAR '{_safe_setting(jar)}'")
    _JAR_ADDED.add(id(spark))


def _ensure_checkpoint_dir(spark: Any) -> None:
    """Splink on Spark may checkpoint; set a session-wide folder only if none is set yet
    (left in place after the run: other stages may checkpoint into it too)."""
    if spark.sparkContext._jsc.sc().getCheckpointDir().isEmpty():
        folder = Path(tempfile.gettempdir()) / "fraudnet-spark-checkpoints"
        spark.sparkContext.setCheckpointDir(str(folder))


def _safe_setting(value: str) -> str:
    if "'" in value:
        raise ValueError(f"unsupported quote in setting {value!r}")
    return value


def splink_backend(engine: Engine) -> SplinkBackend:
    """The Splink backend that matches the store's engine."""
    if engine.name == "spark":
        return SparkSplinkBackend()
    return DuckDBSplinkBackend()
