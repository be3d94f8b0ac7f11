"""Both organisations must write an identifier the same way, or a PSI hit is missed."""

from __future__ import annotations

import pytest

from fraudnet.errors import FraudnetError
from fraudnet.share.identifiers import identifier_kind, normalise_all

CASES = [
    ("account", "12-34-56 12345678", "GB-123456-12345678"),
    ("account", "123456/12345678", "GB-123456-12345678"),
    ("account", "GB-123456-12345678", "GB-123456-12345678"),
    ("account", "gb29 nwbk 6016 1331 9268 19", "GB29NWBK60161331926819"),
    ("account", "amlsim:42", "amlsim:42"),
    ("iban", "GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819"),
    ("iban", "GB29NWBK60161331926818", None),  # checksum fails
    ("phone", "07700 900123", "+447700900123"),
    ("phone", "+44 (0)7700 900123", "+447700900123"),
    ("phone", "0044 7700 900123", "+447700900123"),
    ("phone", "+1 415 555 2671", "+14155552671"),
    ("phone", "12", None),
    ("email", "  Jane.Doe@Example.COM ", "jane.doe@example.com"),
    ("email", "not-an-email", None),
    ("device", " ABC-123-XYZ\u200b", "abc-123-xyz"),
    ("device", "a b", None),
    ("ip", "192.168.001.1", None),
    ("ip", "::FFFF:10.0.0.1", "10.0.0.1"),
    ("ip", "2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
]


@pytest.mark.parametrize(("kind", "raw", "expected"), CASES)
def test_normalised_form(kind: str, raw: str, expected: str | None) -> None:
    assert identifier_kind(kind).normalise(raw) == expected


def test_sets_are_distinct_sorted_and_drop_unreadable() -> None:
    raw = ["07700 900123", "+447700900123", "x", "+44 20 7946 0958"]
    assert normalise_all("phone", raw) == ["+442079460958", "+447700900123"]


def test_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(FraudnetError, match="known: account, device, email"):
        identifier_kind("passport")
