"""Scoring networks against ground truth kept outside the store.

Pairwise grouping: over accounts that are criminal in truth (a network_id) or put in a network
by us (victims excluded on both sides), a pair is positive when both share a network. Herders:
parties with the herder role against parties labelled herder (party level), and the same on
accounts.

A ratio with nothing to count over has no value: precision is None when nothing was found
(not 1.0), recall is None when there was nothing to find. F1 is 0.0 when one side is 0 or None
and the other is not, and None when neither has a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import polars as pl
import pyarrow as pa


@dataclass(frozen=True)
class NetworkScores:
    pair_precision: float | None
    pair_recall: float | None
    pair_f1: float | None
    herder_precision: float | None
    herder_recall: float | None
    herder_account_precision: float | None
    herder_account_recall: float | None
    true_networks: int
    found_networks: int

    def as_dict(self) -> dict[str, float | int | None]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _pairs(groups: dict[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = {}
    for node, label in groups.items():
        by.setdefault(label, []).append(node)
    return {p for nodes in by.values() for p in combinations(sorted(nodes), 2)}


def _ratio(a: int, b: int) -> float | None:
    """a / b rounded; None when b is 0, since a share of nothing has no value."""
    return round(a / b, 4) if b else None


def _pr(found: set[str], true: set[str]) -> tuple[float | None, float | None]:
    hit = len(found & true)
    return _ratio(hit, len(found)), _ratio(hit, len(true))


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None and recall is None:
        return None
    p, r = precision or 0.0, recall or 0.0
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def score_networks(truth: pa.Table, roles: pa.Table, accounts: set[str]) -> NetworkScores:
    """truth: labels (subject, label, network_id); roles: network_roles; accounts: account ids."""
    t = pl.from_arrow(truth)
    r = pl.from_arrow(roles)
    assert isinstance(t, pl.DataFrame) and isinstance(r, pl.DataFrame)
    crim = t.filter(pl.col("network_id").is_not_null() & pl.col("subject").is_in(sorted(accounts)))
    true_groups = dict(zip(crim["subject"], crim["network_id"], strict=True))
    members = r.filter((pl.col("subject_kind") == "account") & (pl.col("role") != "victim"))
    found_groups = dict(zip(members["subject"], members["network_id"], strict=True))
    true_pairs, found_pairs = _pairs(true_groups), _pairs(found_groups)
    p, rc = _pr({"|".join(x) for x in found_pairs}, {"|".join(x) for x in true_pairs})
    herders = r.filter(pl.col("role") == "herder")
    true_herders = t.filter(pl.col("label") == "herder")
    hp, hr = _pr(
        set(herders.filter(pl.col("subject_kind") == "party")["subject"]),
        set(true_herders["subject"]) - accounts,
    )
    ap, ar = _pr(
        set(herders.filter(pl.col("subject_kind") == "account")["subject"]),
        set(true_herders["subject"]) & accounts,
    )
    return NetworkScores(
        pair_precision=p,
        pair_recall=rc,
        pair_f1=_f1(p, rc),
        herder_precision=hp,
        herder_recall=hr,
        herder_account_precision=ap,
        herder_account_recall=ar,
        true_networks=len(set(true_groups.values())),
        found_networks=len(set(found_groups.values())),
    )
