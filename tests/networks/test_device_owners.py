"""Owners who joined only through a control device: a household leaves unless money ties it to
the ring; the sole owner of a device (a herder's own phone) stays."""

from __future__ import annotations

import polars as pl

from fraudnet.networks.build import _device_only, _sole_owners


def _payments(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {"txn_id": [r[0] for r in rows], "src": [r[1] for r in rows], "dst": [r[2] for r in rows]}
    )


def test_a_household_paying_itself_leaves_and_the_herder_stays() -> None:
    # COL (a collector, member by money) and the household GRAN and GRANDAD share a tablet
    # they all use all along; HERD owns the ring's device and takes a collector's cut
    members = {"COL", "MULE", "GRAN", "GRANDAD", "HERD", "HERD2"}
    joined = {"GRAN", "GRANDAD", "HERD"}
    person = {a: a for a in members} | {"HERD2": "HERD"}
    payments = _payments([
        ("t1", "GRANDAD", "GRAN"),  # family pay each other: both joined by the tablet
        ("t2", "HERD2", "HERD"),  # one person's own accounts: no tie
        ("t3", "MULE", "HERD"),  # not tainted, but MULE is a member by money
    ])  # fmt: skip
    left = _device_only(joined, payments, members, members - joined, set(), person)
    assert left == {"GRAN", "GRANDAD"}
    everyone = _device_only(joined, payments, members, members, set(), person)
    assert everyone == set()  # counting payments with any member keeps the family
    # the same family payment, when it carries tainted money, ties them
    tainted = _device_only(joined, payments, members, members - joined, {"t1"}, person)
    assert tainted == set()


def test_the_sole_owner_of_a_device_is_kept_a_household_is_not() -> None:
    # HERD is the only device-joined person owning the ring's phone; GRAN and GRANDAD both
    # own the household tablet (GRANDAD also owns his own phone, which nobody else owns)
    owned = {"HERD": ["device:phone"], "GRAN": ["device:tablet"],
             "GRANDAD": ["device:tablet", "device:own"], "HERD2": ["device:phone"]}  # fmt: skip
    person = {"HERD": "p1", "HERD2": "p1", "GRAN": "p2", "GRANDAD": "p3"}
    assert _sole_owners(set(owned), owned, person) == {"HERD", "HERD2"}
    assert _sole_owners({"GRAN"}, owned, person) == {"GRAN"}  # alone among the joined
