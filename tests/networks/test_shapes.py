"""Each laundering shape is named from its payments, with roles that fit the shape."""

from __future__ import annotations

import polars as pl
import pytest

from fraudnet.networks.shapes import find_shape


def _payments(pairs: list[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {"src": [a for a, _ in pairs], "dst": [b for _, b in pairs],
         "txn_id": [f"t{i}" for i in range(len(pairs))]}
    )  # fmt: skip


CASES = {
    "fan_in": [("A", "H"), ("B", "H"), ("C", "H"), ("D", "H")],
    "fan_out": [("H", "A"), ("H", "B"), ("H", "C")],
    "cycle": [("A", "B"), ("B", "C"), ("C", "D"), ("D", "A")],
    "bipartite": [("A", "X"), ("A", "Y"), ("B", "X"), ("B", "Y")],
    "stack": [("A", "M"), ("B", "M"), ("M", "X"), ("M", "Y"), ("A", "N"), ("B", "N"),
              ("N", "X"), ("N", "Y")],
    "random": [("A", "B"), ("B", "C"), ("C", "A"), ("A", "C"), ("C", "D")],
    "scatter_gather": [("S", "A"), ("S", "B"), ("S", "C"), ("A", "T"), ("B", "T"), ("C", "T")],
    "gather_scatter": [("A", "H"), ("B", "H"), ("H", "X"), ("H", "Y")],
}  # fmt: skip


@pytest.mark.parametrize("typology", sorted(CASES))
def test_each_shape_is_named(typology: str) -> None:
    found = find_shape(_payments(CASES[typology]))
    assert found is not None and found.typology == typology
    assert found.txn_ids == sorted(f"t{i}" for i in range(len(CASES[typology])))


def test_roles_fit_the_shape() -> None:
    fan_in = find_shape(_payments(CASES["fan_in"]))
    fan_out = find_shape(_payments(CASES["fan_out"]))
    scatter = find_shape(_payments(CASES["scatter_gather"]))
    assert fan_in is not None and fan_out is not None and scatter is not None
    assert fan_in.roles["H"] == "collector" and fan_in.roles["A"] == "mule_tier1"
    assert fan_out.roles["H"] == "herder" and fan_out.roles["A"] == "mule_tier1"
    assert scatter.roles == {"S": "herder", "A": "mule_tier2plus", "B": "mule_tier2plus",
                             "C": "mule_tier2plus", "T": "collector"}  # fmt: skip


def test_two_accounts_make_no_shape() -> None:
    assert find_shape(_payments([("A", "B")])) is None


def test_a_ring_with_strangers_hanging_off_it_keeps_its_shape() -> None:
    from fraudnet.networks.shapes import find_core_shape

    strays = [("A", "Z"), ("Y", "W"), ("X", "V")]  # payments to strangers, one each
    payments = _payments([*CASES["bipartite"], *strays])
    assert (found := find_shape(payments)) is not None and found.typology == "random"
    assert (core := find_core_shape(payments)) is not None and core.typology == "bipartite"
