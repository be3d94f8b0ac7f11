"""Connected components by iterated joins in SQL (min-label propagation), for Spark.

GraphFrames cannot be used offline, so the Spark engine groups with plain DataFrame joins:
every node starts with its own name as label and repeatedly takes the smallest label among
its neighbours until nothing changes. The result names each component by its smallest node,
exactly like `fraudnet.graph.communities.components`.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from fraudnet.engine import Engine

_STEP = """
SELECT l.node, LEAST(l.label, COALESCE(MIN(n.label), l.label)) AS label
FROM {labels} l
LEFT JOIN gc_adj a ON a.src = l.node
LEFT JOIN {labels} n ON n.node = a.dst
GROUP BY l.node, l.label
"""


def sql_components(
    engine: Engine, nodes: Sequence[str], edges: pl.DataFrame, max_rounds: int = 100
) -> dict[str, str]:
    """node -> smallest node name in its connected component, computed on the engine."""
    names = sorted(set(nodes))
    both = pl.concat(
        [
            edges.select(pl.col("a").alias("src"), pl.col("b").alias("dst")),
            edges.select(pl.col("b").alias("src"), pl.col("a").alias("dst")),
        ]
    ).unique()
    engine.temp_table("gc_adj", both.to_arrow())
    engine.temp_table("gc_l0", pl.DataFrame({"node": names, "label": names}).to_arrow())
    current = "gc_l0"
    for step in range(1, max_rounds + 1):
        nxt = f"gc_l{step}"
        engine.temp_table(nxt, _STEP.format(labels=current))
        changed = engine.sql(
            f"SELECT COUNT(*) AS n FROM {nxt} x JOIN {current} y "
            "ON x.node = y.node WHERE x.label <> y.label"
        )
        engine.drop_temp(current)
        current = nxt
        if changed.column("n")[0].as_py() == 0:
            break
    result = engine.sql(f"SELECT node, label FROM {current}")
    engine.drop_temp(current)
    engine.drop_temp("gc_adj")
    return dict(
        zip(result.column("node").to_pylist(), result.column("label").to_pylist(), strict=True)
    )
