"""Owners who joined only through a control device leave unless money ties them to the ring."""

from __future__ import annotations

import polars as pl

from fraudnet.networks.build import _device_only


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
