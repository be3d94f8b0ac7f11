"""Network scores: a precision over nothing found has no value, never 1.0."""

from __future__ import annotations

import pyarrow as pa

from fraudnet.networks.evaluate import score_networks

TRUTH = pa.table(
    {
        "subject": ["A1", "A2", "A3", "H-PARTY"],
        "label": ["mule", "mule", "collector", "herder"],
        "network_id": ["N1", "N1", "N1", "N1"],
    }
)
ROLE_COLUMNS = {"network_id": pa.string(), "subject": pa.string(),
                "subject_kind": pa.string(), "role": pa.string()}  # fmt: skip


def _roles(rows: list[tuple[str, str, str, str]]) -> pa.Table:
    names = list(ROLE_COLUMNS)
    columns = {n: [r[i] for r in rows] for i, n in enumerate(names)}
    return pa.table(columns, schema=pa.schema(list(ROLE_COLUMNS.items())))


def test_nothing_found_has_no_precision() -> None:
    scores = score_networks(TRUTH, _roles([]), {"A1", "A2", "A3"})
    assert scores.pair_precision is None and scores.herder_precision is None
    assert scores.pair_recall == 0.0 and scores.herder_recall == 0.0
    assert scores.pair_f1 == 0.0 and scores.found_networks == 0


def test_found_networks_are_scored() -> None:
    found = _roles(
        [
            ("X", "A1", "account", "mule_tier1"),
            ("X", "A2", "account", "mule_tier1"),
            ("Y", "A3", "account", "collector"),
            ("X", "P9", "party", "herder"),
        ]
    )
    scores = score_networks(TRUTH, found, {"A1", "A2", "A3"})
    assert (scores.pair_precision, scores.pair_recall, scores.pair_f1) == (1.0, 0.3333, 0.5)
    assert scores.herder_precision == 0.0 and scores.herder_recall == 0.0
    assert scores.herder_account_precision is None and scores.herder_account_recall is None
