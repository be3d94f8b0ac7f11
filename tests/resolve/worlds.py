"""Small hand-made worlds where the truth is obvious."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

PEOPLE: list[dict[str, object]] = [
    # The same man at two banks: a typo in the given name, postcode written differently.
    {
        "party_id": "bank1:001",
        "given_name": "Jonathan",
        "family_name": "Smith",
        "dob": date(1980, 1, 2),
        "postcode": "SW1A 1AA",
        "address": "10 Downing Street",
        "phone": "07700 900123",
        "email": "jon.smith@example.com",
        "source": "bank1",
    },
    {
        "party_id": "bank2:777",
        "given_name": "Jonathon",
        "family_name": "Smith",
        "dob": date(1980, 1, 2),
        "postcode": "sw1a1aa",
        "address": "10 Downing St.",
        "phone": "+44 7700 900123",
        "email": "Jon.Smith@example.com",
        "source": "bank2",
    },
    # The same woman with given and family names swapped, full name only at one bank.
    {
        "party_id": "bank1:002",
        "given_name": "Priya",
        "family_name": "Patel",
        "dob": date(1992, 7, 14),
        "postcode": "LS1 4AP",
        "address": "5 Park Row",
        "source": "bank1",
    },
    {
        "party_id": "bank3:042",
        "given_name": "Patel",
        "family_name": "Priya",
        "dob": date(1992, 7, 14),
        "postcode": "LS14AP",
        "address": "5 Park Row",
        "source": "bank3",
    },
    {
        "party_id": "bank2:900",
        "name": "Dr Priya Patel",
        "dob": date(1992, 7, 14),
        "postcode": "LS1 4AP",
        "source": "bank2",
    },
    # Two different people who share a device (a herder's phone, a family tablet).
    {
        "party_id": "bank1:003",
        "given_name": "Alice",
        "family_name": "Brown",
        "dob": date(1975, 3, 9),
        "postcode": "M1 1AE",
        "address": "1 Piccadilly",
        "source": "bank1",
    },
    {
        "party_id": "bank2:555",
        "given_name": "Mohammed",
        "family_name": "Khan",
        "dob": date(2001, 11, 30),
        "postcode": "B1 1BB",
        "address": "22 Broad Street",
        "source": "bank2",
    },
    # Unrelated singletons, one of them a near-namesake of Jonathan Smith.
    {
        "party_id": "bank3:100",
        "given_name": "John",
        "family_name": "Smith",
        "dob": date(1955, 6, 1),
        "postcode": "EH1 1YZ",
        "address": "3 High Street",
        "source": "bank3",
    },
    {
        "party_id": "bank3:101",
        "given_name": "Grace",
        "family_name": "O'Neill",
        "dob": date(1988, 12, 24),
        "postcode": "CF10 1AA",
        "address": "8 Queen Street",
        "source": "bank3",
    },
]

SAME_PERSON = [
    {"bank1:001", "bank2:777"},
    {"bank1:002", "bank3:042", "bank2:900"},
]

DEVICE = [
    {"owner": "bank1:003", "owner_kind": "party", "kind": "device", "value": "dev-abc"},
    {"owner": "bank2:555", "owner_kind": "party", "kind": "device", "value": "dev-abc"},
]


def parties(rows: list[dict[str, object]] | None = None) -> pa.Table:
    return pa.Table.from_pylist(rows if rows is not None else PEOPLE)


def identifiers() -> pa.Table:
    return pa.Table.from_pylist(DEVICE)
