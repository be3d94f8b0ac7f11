"""SQL is written once, in DuckDB's dialect; this translates it for Spark with sqlglot.

The few functions sqlglot does not map (tolerant timestamp parsing, JSON validity) are
rewritten here, in one place, so the pipeline never asks which engine it runs on.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sqlglot
from sqlglot import exp


def _spark_time_format(duckdb_format: str) -> str:
    probe = sqlglot.transpile(
        f"SELECT STRPTIME(x, '{duckdb_format}')", read="duckdb", write="spark"
    )
    found = re.search(r"TO_TIMESTAMP\(x, '(.*)'\)", probe[0])
    if found is None:
        raise ValueError(f"cannot translate time format {duckdb_format!r} for Spark")
    return found.group(1)


def _rewrite_for_spark(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.TIMESTAMPTZ:
        # An instant with a zone: Spark's TIMESTAMP_LTZ (session zone is UTC).
        return exp.DataType.build("TIMESTAMP_LTZ", dialect="spark")
    if isinstance(node, exp.Anonymous):
        name = str(node.this).upper()
        args = list(node.expressions)
        if name == "TRY_STRPTIME" and len(args) == 2 and isinstance(args[1], exp.Literal):
            fmt = exp.Literal.string(_spark_time_format(str(args[1].this)))
            return exp.Anonymous(this="TRY_TO_TIMESTAMP", expressions=[args[0], fmt])
        if name == "JSON_VALID" and len(args) == 1:
            # Spark has no validity test: a JSON object parses to a non-null map.
            parsed = sqlglot.parse_one("FROM_JSON(x, 'MAP<STRING,STRING>') IS NOT NULL", "spark")
            column = parsed.find(exp.Column)
            assert column is not None
            column.replace(args[0].copy())
            return exp.Paren(this=parsed)
    return node


@lru_cache(maxsize=4096)
def duckdb_to_spark(sql: str) -> str:
    """Translate one DuckDB-dialect statement to Spark SQL."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    tree = tree.transform(_rewrite_for_spark)
    return tree.sql(dialect="spark")


SPARK_TYPES = {
    "VARCHAR": "STRING",
    "DECIMAL(18,2)": "DECIMAL(18,2)",
    "TIMESTAMP": "TIMESTAMP_NTZ",
    "DATE": "DATE",
    "BIGINT": "BIGINT",
    "DOUBLE": "DOUBLE",
    "BOOLEAN": "BOOLEAN",
}


def spark_type(logical_type: str) -> str:
    return SPARK_TYPES[logical_type]
