from __future__ import annotations

from datetime import date

import polars as pl
import pyarrow as pa
import pytest

from fraudnet.resolve.normalise import normalise_parties


def _one(**fields: object) -> dict[str, object]:
    row = {"party_id": "p1", **fields}
    return normalise_parties(pa.Table.from_pylist([row])).row(0, named=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700 900123", "447700900123"),
        ("+44 (0)7700-900123", "447700900123"),
        ("+44 7700 900123", "447700900123"),
        ("0044 7700 900123", "447700900123"),
        ("12", None),
        ("", None),
    ],
)
def test_phone(raw: str, expected: str | None) -> None:
    assert _one(phone=raw)["phone"] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("sw1a 1aa", "SW1A1AA"), (" LS1-4AP ", "LS14AP"), ("", None), ("2119", "2119")],
)
def test_postcode(raw: str, expected: str | None) -> None:
    assert _one(postcode=raw)["postcode"] == expected


@pytest.mark.parametrize(
    ("fields", "given", "family"),
    [
        ({"given_name": "  Émilie ", "family_name": "O'Brien-Smith"}, "emilie", "obrien smith"),
        ({"name": "Dr Priya Patel"}, "priya", "patel"),
        ({"name": "Patel, Priya Anne"}, "priya anne", "patel"),
        ({"name": "Madonna"}, None, "madonna"),
        ({"given_name": "Mr. John", "family_name": "SMITH", "name": "ignored"}, "john", "smith"),
    ],
)
def test_names(fields: dict[str, object], given: str | None, family: str | None) -> None:
    row = _one(**fields)
    assert (row["given_name"], row["family_name"]) == (given, family)


def test_email_and_dob() -> None:
    row = _one(email=" Jon.Smith@Example.COM ", dob=date(1980, 1, 2))
    assert row["email"] == "jon.smith@example.com"
    assert row["email_user"] == "jon.smith"
    assert row["dob"] == "1980-01-02"
    assert _one(email="not-an-email")["email"] is None


def test_output_columns_are_strings() -> None:
    frame = normalise_parties(pa.Table.from_pylist([{"party_id": "a"}, {"party_id": "b"}]))
    assert all(dtype == pl.String for dtype in frame.dtypes)
    assert frame.height == 2


@pytest.mark.parametrize(
    ("email", "own"),
    [
        ("olivia.patel@mail.com", False),  # the name
        ("O_Patel@mail.com", False),  # initial and family name
        ("patel.olivia+bank@mail.com", False),  # family name first, a tag
        ("olivia.patel1984@mail.com", True),  # digits of its own
        ("livvy.p@mail.com", True),  # not the name
        ("patel@mail.com", True),  # family name alone: not built from both names
        ("olivia@mail.com", True),
    ],
)
def test_email_own_is_null_when_built_from_the_names(email: str, own: bool) -> None:
    row = _one(given_name="Olivia", family_name="Patel", email=email)
    assert row["email"] == email.lower()
    assert (row["email_own"] == email.lower()) if own else row["email_own"] is None


def test_email_own_kept_without_names() -> None:
    assert _one(name="Acme Ltd", kind="org", email="olivia.patel@acme.com")["email_own"] is not None
