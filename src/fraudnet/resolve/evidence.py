"""Turn Splink's scored pairs into links that explain themselves, field by field.

For every compared field a link records the comparison level reached (e.g. "jaro-winkler
>= 0.92"), its match weight (log2 Bayes factor, term-frequency adjustment included) and the
two values compared, as nomenklatura's match results do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
import pyarrow as pa

ID_L, ID_R = "party_id_l", "party_id_r"


@dataclass(frozen=True, slots=True)
class FieldLevels:
    """A compared field and the label of each of its comparison vector values."""

    field: str
    labels: dict[int, str]
    tf: bool


def field_levels(model: dict[str, Any]) -> list[FieldLevels]:
    """Read level labels from a saved model: null is -1, the else level 0, counting upwards."""
    fields = []
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        scored = [lv for lv in levels if not lv.get("is_null_level")]
        labels = {-1: "missing"}
        for rank, level in enumerate(scored):
            labels[len(scored) - 1 - rank] = str(level.get("label_for_charts", ""))
        tf = any(lv.get("tf_adjustment_column") for lv in levels)
        fields.append(FieldLevels(str(comparison["output_column_name"]), labels, tf))
    return fields


def _field_weight(level: FieldLevels, columns: list[str]) -> pl.Expr:
    weight = pl.col(f"mw_{level.field}").fill_null(0.0).fill_nan(0.0)
    tf_column = f"mw_tf_adj_{level.field}"
    if level.tf and tf_column in columns:
        weight = weight + pl.col(tf_column).fill_null(0.0).fill_nan(0.0)
    return weight


COMPARED_TOGETHER = {"location": ("address", "postcode", "city")}
"""Comparisons over several columns: their values are shown joined by ' | '."""


def _value(field: str, side: str, columns: list[str]) -> pl.Expr:
    parts = [f"{c}_{side}" for c in COMPARED_TOGETHER.get(field, (field,))]
    present = [pl.col(c).cast(pl.String) for c in parts if c in columns]
    if not present:
        return pl.lit(None, pl.String)
    if len(present) == 1:
        return present[0]
    return pl.concat_str(present, separator=" | ", ignore_nulls=True)


def links_with_evidence(predictions: pa.Table, model: dict[str, Any]) -> pl.DataFrame:
    """Scored pairs as (party_id_l, party_id_r, probability, weight, agreed_fields, evidence)."""
    frame = pl.from_arrow(predictions)
    assert isinstance(frame, pl.DataFrame)
    columns = frame.columns
    levels = field_levels(model)
    structs = []
    agreed = []
    for level in levels:
        weight = _field_weight(level, columns).round(3)
        label = pl.col(f"gamma_{level.field}").replace_strict(
            level.labels, default="unknown", return_dtype=pl.String
        )
        structs.append(
            pl.struct(
                pl.lit(level.field).alias("field"),
                label.alias("level"),
                weight.alias("weight"),
                _value(level.field, "l", columns).alias("l"),
                _value(level.field, "r", columns).alias("r"),
            ).struct.json_encode()
        )
        agreed.append(pl.when(weight > 0).then(pl.lit(level.field)).otherwise(None))
    evidence = pl.lit("[") + pl.concat_str(structs, separator=",") + pl.lit("]")
    ordered_l = pl.min_horizontal(ID_L, ID_R)
    ordered_r = pl.max_horizontal(ID_L, ID_R)
    return frame.select(
        ordered_l.alias(ID_L),
        ordered_r.alias(ID_R),
        pl.col("match_probability").cast(pl.Float64),
        pl.col("match_weight").cast(pl.Float64),
        pl.concat_str(agreed, separator=",", ignore_nulls=True).alias("agreed_fields"),
        evidence.alias("evidence"),
    )
