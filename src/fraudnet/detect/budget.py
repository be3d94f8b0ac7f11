"""The alert budget: analyst capacity, not a threshold, decides how many alerts appear."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def top_alerts(scores: pa.Table, budget: int) -> pa.Table:
    """The `budget` highest-scored accounts (ties broken by account id), rank 1 first.

    Accounts whose label trained the model (`trained_on = 1`) are already decided, so they
    take no analyst time: they are left out.
    """
    if "trained_on" in scores.column_names:
        scores = scores.filter(pc.not_equal(scores.column("trained_on"), 1))
    if budget <= 0 or scores.num_rows == 0:
        return _alerts(scores.slice(0, 0), np.zeros(0, dtype=np.int64))
    order = pc.sort_indices(scores, [("score", "descending"), ("account_id", "ascending")])
    chosen = scores.take(order[: min(budget, scores.num_rows)])
    return _alerts(chosen, np.arange(1, chosen.num_rows + 1))


def _alerts(chosen: pa.Table, rank: np.ndarray) -> pa.Table:
    return pa.table(
        {
            "account_id": chosen.column("account_id"),
            "rank": pa.array(rank, pa.int64()),
            "score": chosen.column("score"),
            "reasons": chosen.column("reasons"),
            "as_of": chosen.column("as_of"),
        }
    )
