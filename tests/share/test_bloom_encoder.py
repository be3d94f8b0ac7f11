"""The Bloom-filter encoder: keyed, salted, balanced; Dice ranks similar records first."""

from __future__ import annotations

import numpy as np
import pytest

from fraudnet.errors import FraudnetError
from fraudnet.share.bloom import (
    BloomEncoder,
    EncoderSettings,
    FieldSpec,
    best_pairs,
    dice_matrix,
    qgrams,
    top_candidates,
    unpack,
)

SECRET = b"0123456789abcdef-test"
FIELDS = (FieldSpec("given_name", 10), FieldSpec("family_name", 10), FieldSpec("dob", 8, q=1))
PLAIN = EncoderSettings(fields=FIELDS)
JANE = {"given_name": "Jane", "family_name": "Smith", "dob": "19800102", "dob_year": "1980"}
JAYNE = {**JANE, "given_name": "Jayne"}
OTHER = {"given_name": "Oluwaseun", "family_name": "Adeyemi", "dob": "19550617", "dob_year": "1955"}


def _dice(
    settings: EncoderSettings, a: dict[str, str], b: dict[str, str], secret: bytes = SECRET
) -> float:
    left = BloomEncoder(SECRET, settings).encode([a])
    right = BloomEncoder(secret, settings).encode([b])
    return float(dice_matrix(left, right)[0, 0])


def test_qgrams_are_padded_plain_and_distinct() -> None:
    assert qgrams("Ann", 2) == ["_a", "an", "n_", "nn"]
    assert qgrams("  Zoë ", 2) == qgrams("zoe", 2)
    assert qgrams("", 2) == []


def test_similar_records_score_higher_than_different_ones() -> None:
    assert _dice(PLAIN, JANE, JANE) == 1.0
    assert _dice(PLAIN, JANE, JAYNE) > 0.85
    assert _dice(PLAIN, JANE, OTHER) < 0.35


def test_another_secret_gives_unrelated_bits() -> None:
    assert _dice(PLAIN, JANE, JANE, secret=b"another-secret-of-16+") < 0.3


def test_salt_separates_the_same_name_with_another_year() -> None:
    salted = EncoderSettings(fields=FIELDS[:2], salt_field="dob_year")
    assert _dice(salted, JANE, JANE) == 1.0
    assert _dice(salted, JANE, {**JANE, "dob_year": "1981"}) < 0.3
    names_only = EncoderSettings(
        fields=FIELDS, salt_field="dob_year", salted_fields=("family_name",)
    )
    assert 0.3 < _dice(names_only, JANE, {**JANE, "dob_year": "1981"}) < 0.9


def test_balance_sets_exactly_half_the_bits() -> None:
    balanced = EncoderSettings(fields=FIELDS, hardening=("balance",))
    rows = unpack(BloomEncoder(SECRET, balanced).encode([JANE, OTHER, {"given_name": "Al"}]))
    assert rows.shape == (3, 2048)
    assert (rows.sum(axis=1) == 1024).all()


def test_blip_flips_about_the_stated_share() -> None:
    blip = EncoderSettings(
        fields=FIELDS, hardening=("blip",), hardening_options={"blip_flip": 0.05}
    )
    plain = unpack(BloomEncoder(SECRET, PLAIN).encode([JANE] * 50))
    flipped = unpack(BloomEncoder(SECRET, blip).encode([JANE] * 50))
    assert 0.04 < float((plain != flipped).mean()) < 0.06
    assert len({row.tobytes() for row in flipped}) == 50  # one name, fifty different filters


def test_best_pairs_are_one_to_one_above_the_threshold() -> None:
    encoder = BloomEncoder(SECRET, PLAIN)
    left = encoder.encode([JANE, OTHER])
    right = encoder.encode([OTHER, JAYNE, JANE])
    links = best_pairs(top_candidates(left, right), 0.8)
    assert sorted((i, j) for i, j, _ in links) == [(0, 2), (1, 0)]  # Jayne left unlinked


@pytest.mark.parametrize(
    ("secret", "settings", "message"),
    [
        (b"short", PLAIN, "at least 16 bytes"),
        (SECRET, EncoderSettings(fields=FIELDS, bits=1000), "multiple of 64"),
        (SECRET, EncoderSettings(fields=FIELDS, hardening=("xor",)), "unknown hardening 'xor'"),
    ],
)
def test_bad_settings_are_refused(secret: bytes, settings: EncoderSettings, message: str) -> None:
    with pytest.raises(FraudnetError, match=message):
        BloomEncoder(secret, settings)


def test_empty_input_encodes_to_no_rows() -> None:
    assert BloomEncoder(SECRET, PLAIN).encode([]).shape == (0, 16)
    assert np.bitwise_count(BloomEncoder(SECRET, PLAIN).encode([{}])).sum() == 0
