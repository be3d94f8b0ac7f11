"""A world of namesakes: many different people per name, some sharing a name-built email."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa

GIVEN = ("olivia", "amelia", "oliver", "harry", "sophie", "jack", "emily", "thomas", "grace")
FAMILY = ("smith", "jones", "patel", "brown", "taylor", "wilson", "khan", "evans", "walker")
STREETS = ("high street", "station road", "church lane", "park avenue", "mill lane", "the green")
TOWNS = ("london", "leeds", "bristol", "cardiff", "glasgow", "york")


def _person(rng: np.random.Generator, given: str, family: str, email: str) -> dict[str, object]:
    return {
        "given_name": given.title(),
        "family_name": family.title(),
        "dob": date(1940, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 60))),
        "address": f"{rng.integers(1, 300)} {STREETS[rng.integers(0, len(STREETS))]}",
        "postcode": f"AB{rng.integers(1, 99)} {rng.integers(1, 9)}XY",
        "city": TOWNS[rng.integers(0, len(TOWNS))],
        "phone": f"07{rng.integers(100_000_000, 999_999_999)}",
        "email": email,
    }


def namesake_world(seed: int = 3) -> tuple[pa.Table, dict[str, int]]:
    """Parties and their true person: per name (81 of them) 6 people, half of them with
    the same bare name@mail.com; every person holds 2 records at two banks (the second
    without a phone)."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    person_of: dict[str, int] = {}
    person = 0
    for given in GIVEN:
        for family in FAMILY:
            for k in range(6):
                bare = k < 3
                email = (
                    f"{given}.{family}@mail.com" if bare else f"{given}.{family}{k}{person}@x.org"
                )
                details = _person(rng, given, family, email)
                for bank in (1, 2):
                    party_id = f"bank{bank}:{person}"
                    rows.append(
                        {**details, "party_id": party_id, "source": f"bank{bank}"}
                        | ({"phone": None} if bank == 2 else {})
                    )
                    person_of[party_id] = person
                person += 1
    return pa.Table.from_pylist(rows), person_of
