"""Blocking caps: one value shared by a huge group must not make quadratic candidate pairs."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from fraudnet.resolve.blocking import (
    MAX_BLOCK_SIZE,
    PREDICTION_KEYS,
    WIDE_BLOCK_SIZE,
    SwappedKey,
    add_blocking_keys,
    keys_for,
)
from fraudnet.resolve.normalise import normalise_parties
from fraudnet.resolve.pipeline import present_fields

N_PARTIES = 2_000


def _word(i: int) -> str:
    """A distinct name for each number (letters only: normalising keeps letters)."""
    letters = "".join(chr(ord("a") + (i // 26**k) % 26) for k in range(3))
    return letters.title()


def _one_shared_postcode_and_phone() -> pl.DataFrame:
    """Distinct people who all give one postcode, address and phone (a mail drop, a herder's
    phone), plus a tenth of them entered twice at another bank."""
    people = [
        {
            "party_id": f"bank1:{i}",
            "given_name": f"Ann{_word(i)}",
            "family_name": f"Ray{_word(i)}",
            "dob": date(1950, 1, 1) + timedelta(days=i),
            "postcode": "E1 6AN",
            "address": "1 Commercial Road",
            "phone": "07700 900000",
            "source": "bank1",
        }
        for i in range(N_PARTIES)
    ]
    again = [{**p, "party_id": f"bank2:{i}", "source": "bank2"} for i, p in enumerate(people[::10])]
    frame = pl.DataFrame(people + again)
    return normalise_parties(frame.to_arrow())


def _candidate_pairs(keyed: pl.DataFrame) -> dict[str, int]:
    """Unordered pairs the equi-join on each key column really produces."""
    rows = keyed.with_row_index("row")
    counts: dict[str, int] = {}
    for key in keys_for(present_fields(keyed), PREDICTION_KEYS):
        right_column = key.column
        left_column = key.mirrors.column if isinstance(key, SwappedKey) else key.column
        left = rows.select("row", pl.col(left_column).alias("k")).drop_nulls("k")
        right = rows.select(pl.col("row").alias("other"), pl.col(right_column).alias("k"))
        pairs = left.join(right.drop_nulls("k"), on="k").filter(pl.col("row") < pl.col("other"))
        counts[key.name] = pairs.height
    return counts


def test_a_huge_shared_group_does_not_make_quadratic_pairs() -> None:
    prepared = _one_shared_postcode_and_phone()
    keyed, report = add_blocking_keys(prepared, present_fields(prepared))
    pairs = _candidate_pairs(keyed)
    n = prepared.height
    bound = n * MAX_BLOCK_SIZE  # linear in the parties; the shared group alone would be n²/2
    assert {"postcode", "address", "phone"} <= set(pairs)
    assert sum(pairs.values()) <= bound, pairs
    by_key = {count.key: count for count in report.keys}
    assert by_key["postcode"].capped_groups == 1
    assert by_key["postcode"].pairs_skipped == n * (n - 1) // 2
    # The report counts what the join builds, and the repeated people are still candidates.
    assert {k.key: k.pairs for k in report.keys} == pairs
    assert pairs["names"] == N_PARTIES // 10


def _namesakes(n_people: int) -> pl.DataFrame:
    """People of one name in one town (different dates of birth), one of them at two banks."""
    people = [
        {
            "party_id": f"bank1:{i}",
            "given_name": "Olivia",
            "family_name": "Patel",
            "dob": date(1950, 1, 1) + timedelta(days=400 * i),
            "city": "Leeds",
            "source": "bank1",
        }
        for i in range(n_people)
    ]
    again = {**people[0], "party_id": "bank2:0", "source": "bank2"}
    return normalise_parties(pl.DataFrame([*people, again]).to_arrow())


def test_a_name_shared_by_more_than_a_handful_blocks_nothing_but_the_person_is_still_paired() -> (
    None
):
    few = _namesakes(WIDE_BLOCK_SIZE - 1)
    pairs = _candidate_pairs(add_blocking_keys(few, present_fields(few))[0])
    assert pairs["names"] == WIDE_BLOCK_SIZE * (WIDE_BLOCK_SIZE - 1) // 2
    many = _namesakes(WIDE_BLOCK_SIZE + 1)
    keyed, report = add_blocking_keys(many, present_fields(many))
    pairs = _candidate_pairs(keyed)
    by_key = {count.key: count for count in report.keys}
    for name in ("names", "family_city", "given_city"):
        assert pairs[name] == 0, name
        assert by_key[name].cap == WIDE_BLOCK_SIZE
        assert by_key[name].capped_groups == 1
    # The person at two banks still shares a date of birth (a key capped at MAX_BLOCK_SIZE).
    assert pairs["dob_city"] == 1
    assert by_key["dob_city"].cap == MAX_BLOCK_SIZE
