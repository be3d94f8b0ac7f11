"""Namesakes who share a name-built email stay different people."""

from __future__ import annotations

from itertools import combinations

from fraudnet.engine import Engine
from fraudnet.resolve import resolve_parties
from tests.resolve.helpers import groups
from tests.resolve.namesakes import namesake_world


def test_namesakes_sharing_a_name_built_email_are_not_merged(duck_store: Engine) -> None:
    parties, person_of = namesake_world()
    duck_store.append("parties", parties)
    resolve_parties(duck_store)
    pairs = [pair for group in groups(duck_store) for pair in combinations(sorted(group), 2)]
    wrong = sum(person_of[a] != person_of[b] for a, b in pairs)
    right = len(pairs) - wrong
    # every true pair shares names, dob, address and email: all of them are found
    assert right == len(person_of) // 2
    assert wrong == 0, f"{wrong} pairs of different people merged"
