"""One shared local or cluster SparkSession, configured for UTC and exact types."""

from __future__ import annotations

import os
from typing import Any

_SESSION: Any = None


def spark_session() -> Any:
    """The process-wide SparkSession (master from FRAUDNET_SPARK_MASTER, default local[2])."""
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:  # pragma: no cover - exercised only without the extra
        raise RuntimeError(
            "the Spark engine needs PySpark: pip install 'fraudnet[spark]' (and a Java 17+ JDK)"
        ) from err
    master = os.environ.get("FRAUDNET_SPARK_MASTER", "local[2]")
    builder = (
        SparkSession.builder.master(master)
        .appName("fraudnet")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.timestampType", "TIMESTAMP_NTZ")
        .config("spark.sql.shuffle.partitions", os.environ.get("FRAUDNET_SPARK_PARTITIONS", "4"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", os.environ.get("FRAUDNET_SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.legacy.timeParserPolicy", "CORRECTED")
        .config("spark.sql.jsonGenerator.ignoreNullFields", "false")
    )
    _SESSION = builder.getOrCreate()
    _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION
