"""AMLSim-style worlds for bench/networks.py: half the rings' labels known, alerts as seeds.

Each world (tests/detect/amlsim_world.py) is ingested with its labels, which are then taken
out of the store and kept in memory. Rings are revealed whole (every member of a ring known
or none, picked by a hash of seed and ring id): their members become analyst labels
(suspicious), with a seeded half of the accounts in no ring (legitimate). Detection runs on
that, its alerts seed `build_networks`, nothing else. Scored over the unseen rings:

- pair_f1: pairwise F1 over the accounts of the unseen rings and the accounts we put in
  networks (accounts of revealed rings left out on both sides).
- pair_f1_unseen_only: the same over the accounts of the unseen rings alone (a false member
  outside every ring costs nothing here).
- typology_correct: of the unseen rings found (half or more of their accounts in one
  network), the share whose network names the ring's typology.
- found_named_unseen_by_typology: per typology, rings found, found and named right, unseen.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

ALERT_BUDGET = 400


def _revealed_rings(truth: pl.DataFrame, seed: int) -> set[str]:
    rings = sorted(set(truth["network_id"].to_list()))
    return {r for r in rings if int(hashlib.sha256(f"{seed}:{r}".encode()).digest()[0]) % 2 == 0}


def _reveal(engine: Any, truth: pl.DataFrame, known: set[str], seed: int) -> None:
    """Ground truth out of the store; revealed rings and half the rest in as analyst labels."""
    engine.execute("DELETE FROM labels")
    positives = sorted(set(truth.filter(pl.col("network_id").is_in(sorted(known)))["subject"]))
    criminal = set(truth["subject"].to_list())
    accounts = sorted(engine.sql("SELECT account_id FROM accounts").column(0).to_pylist())
    rng = np.random.default_rng(seed)
    negatives = [a for a in accounts if a not in criminal and rng.random() < 0.5]
    rows = [(a, "suspicious") for a in positives] + [(a, "legitimate") for a in negatives]
    table = pa.table({
        "subject": [r[0] for r in rows], "label": [r[1] for r in rows],
        "network_id": pa.nulls(len(rows), pa.string()), "source": ["analyst"] * len(rows),
        "decided_by": ["bench"] * len(rows), "decided_at": pa.nulls(len(rows), pa.timestamp("us")),
    })  # fmt: skip
    engine.commit(appends={"labels": table})


def _pairs(groups: dict[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = {}
    for node, label in groups.items():
        by.setdefault(label, []).append(node)
    return {p for nodes in by.values() for p in combinations(sorted(nodes), 2)}


def _f1(found: set[tuple[str, str]], true: set[tuple[str, str]]) -> dict[str, float | None]:
    hit = len(found & true)
    p = hit / len(found) if found else None
    r = hit / len(true) if true else None
    f = 2 * p * r / (p + r) if p and r else 0.0
    return {"precision": None if p is None else round(p, 4),
            "recall": None if r is None else round(r, 4), "f1": round(f, 4)}  # fmt: skip


def _ring_truth(truth: pl.DataFrame, known: set[str]) -> dict[str, str]:
    """account -> unseen ring (an account in two unseen rings keeps the first by id)."""
    unseen = truth.filter(~pl.col("network_id").is_in(sorted(known))).sort("network_id")
    unseen = unseen.unique("subject", keep="first")
    return dict(zip(unseen["subject"], unseen["network_id"], strict=True))


def score(
    truth: pl.DataFrame, known: set[str], typologies: dict[str, str], result: Any
) -> dict[str, Any]:
    roles = pl.from_arrow(result.roles)
    assert isinstance(roles, pl.DataFrame)
    accounts = roles.filter(pl.col("subject_kind") == "account")
    seen = set(truth.filter(pl.col("network_id").is_in(sorted(known)))["subject"])
    found = {a: n for a, n in zip(accounts["subject"], accounts["network_id"], strict=True)
             if a not in seen}  # fmt: skip
    rings = _ring_truth(truth, known)
    rings = {a: r for a, r in rings.items() if a not in seen}
    strict = _f1(_pairs(found), _pairs(rings))
    lone = _f1(_pairs({a: n for a, n in found.items() if a in rings}), _pairs(rings))
    nets = pl.from_arrow(result.networks)
    assert isinstance(nets, pl.DataFrame)
    typology = dict(zip(nets["network_id"], nets["typology"], strict=True))
    hits, named = 0, 0
    by_typology: dict[str, list[int]] = {}  # typology -> [found, named, unseen rings]
    for ring in sorted(set(rings.values())):
        members = [a for a, r in rings.items() if r == ring]
        where = [found[a] for a in members if a in found]
        best = max(set(where), key=where.count) if where else None
        tally = by_typology.setdefault(typologies.get(ring, "?"), [0, 0, 0])
        tally[2] += 1
        if best is not None and where.count(best) * 2 >= len(members):
            hits += 1
            right = int(typology.get(best) == typologies.get(ring))
            named += right
            tally[0] += 1
            tally[1] += right
    return {"pair_precision": strict["precision"], "pair_recall": strict["recall"],
            "pair_f1": strict["f1"], "pair_f1_unseen_only": lone["f1"],
            "unseen_rings": len(set(rings.values())), "unseen_rings_found": hits,
            "typology_correct": round(named / hits, 4) if hits else None,
            "networks": nets.height, "accounts_in_networks": len(found),
            "found_named_unseen_by_typology": dict(sorted(by_typology.items()))}  # fmt: skip


def amlsim_quality(
    seeds: list[int], accounts: int, days: int, oracle: bool = False
) -> list[dict[str, Any]]:
    """With `oracle` (a diagnostic, never the measure): the alerts that are in unseen rings
    are named as seeds and the alerts table is emptied: what grouping does with clean seeds."""
    from tests.detect import amlsim_world

    from fraudnet.detect import detect
    from fraudnet.engine import open_engine
    from fraudnet.ingest import ingest
    from fraudnet.networks import build_networks

    rows = []
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            typologies = amlsim_world.write(Path(tmp) / "w", accounts, days, seed)
            engine = open_engine(Path(tmp) / "s.duckdb", "duckdb")
            ingest(engine, Path(tmp) / "w", source_format="amlsim", with_labels=True)
            sql = "SELECT DISTINCT subject, network_id FROM labels WHERE network_id IS NOT NULL"
            truth = pl.from_arrow(engine.sql(sql))
            assert isinstance(truth, pl.DataFrame)
            known = _revealed_rings(truth, seed)
            _reveal(engine, truth, known, seed)
            detect(engine, alert_budget=ALERT_BUDGET, seed=seed)
            alerted = set(engine.sql("SELECT account_id FROM alerts").column(0).to_pylist())
            unseen = set(_ring_truth(truth, known)) - set(
                truth.filter(pl.col("network_id").is_in(sorted(known)))["subject"]
            )
            named = sorted(alerted & unseen) if oracle else None
            if oracle:
                engine.execute("DELETE FROM alerts")
            started = time.perf_counter()
            result = build_networks(engine, write=False, seeds=named)
            build_s = round(time.perf_counter() - started, 2)
            row = {"seed": seed, "oracle_seeds": oracle, "accounts": accounts, "days": days,
                   "alerts": len(alerted),
                   "alerts_in_unseen_rings": len(alerted & unseen),
                   "unseen_ring_accounts": len(unseen), "build_s": build_s,
                   **score(truth, known, typologies, result)}  # fmt: skip
            print(row, flush=True)
            rows.append(row)
            engine.close()
    return rows
