"""The alert budget: analyst capacity, not a threshold, decides how many alerts appear.

Two kinds of capacity. A *total* budget returns the N best accounts of this run. A *per-day*
budget replays the days of a window as a review queue: an account joins the queue on the first
day in the window it made or received a payment, and each day analysts take the N best-scored
accounts waiting (the rest wait for the next day). One daily run with a window of one day is
the production case; a longer window backtests what a team of that size would have seen.
"""

from __future__ import annotations

import datetime as dt
import heapq

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fraudnet.detect.asof import LEGS, Cutoff
from fraudnet.engine import Engine

DEFAULT_ALERT_BUDGET = 100

FIRST_ACTIVE_SQL = """
SELECT account_id, CAST(MIN(ts) AS DATE) AS day FROM {legs}
WHERE ts > {since} GROUP BY account_id
"""


def top_alerts(scores: pa.Table, budget: int) -> pa.Table:
    """The `budget` highest-scored accounts (ties broken by account id), rank 1 first.

    Accounts whose label trained the model (`trained_on = 1`) are already decided, so they
    take no analyst time: they are left out.
    """
    scores = _undecided(scores)
    if budget <= 0 or scores.num_rows == 0:
        return _alerts(scores.slice(0, 0), np.zeros(0, dtype=np.int64), [])
    order = pc.sort_indices(scores, [("score", "descending"), ("account_id", "ascending")])
    chosen = scores.take(order[: min(budget, scores.num_rows)])
    return _alerts(chosen, np.arange(1, chosen.num_rows + 1), [None] * chosen.num_rows)


def daily_alerts(scores: pa.Table, per_day: int, first_active: dict[str, dt.date]) -> pa.Table:
    """At most `per_day` alerts on each day, from a queue accounts join when first active.

    `first_active` maps an account to the first day in the window it had a payment; accounts
    absent from it (no activity in the window) are not alerted. Rank orders by day, then by
    score within the day; ties go to the lower account id.
    """
    scores = _undecided(scores)
    if per_day <= 0 or not first_active or scores.num_rows == 0:
        return _alerts(scores.slice(0, 0), np.zeros(0, dtype=np.int64), [])
    ids = scores.column("account_id").to_pylist()
    values = scores.column("score").to_pylist()
    arrivals: dict[dt.date, list[int]] = {}
    for row, account in enumerate(ids):
        day = first_active.get(account)
        if day is not None:
            arrivals.setdefault(day, []).append(row)
    queue: list[tuple[float, str, int]] = []
    picked: list[int] = []
    days: list[dt.date | None] = []
    day, last = min(arrivals), max(arrivals)
    while day <= last:
        for row in arrivals.get(day, ()):
            heapq.heappush(queue, (-float(values[row] or 0.0), ids[row], row))
        for _ in range(min(per_day, len(queue))):
            picked.append(heapq.heappop(queue)[2])
            days.append(day)
        day += dt.timedelta(days=1)
    chosen = scores.take(pa.array(picked, pa.int64()))
    return _alerts(chosen, np.arange(1, len(picked) + 1), days)


def first_active_days(engine: Engine, cutoff: Cutoff, window_days: int) -> dict[str, dt.date]:
    """Each account's first day with a payment in the `window_days` before the cut-off."""
    sql = FIRST_ACTIVE_SQL.format(legs=LEGS, since=cutoff.literal(window_days))
    table = engine.sql(sql)
    return dict(
        zip(table.column("account_id").to_pylist(), table.column("day").to_pylist(), strict=True)
    )


def _undecided(scores: pa.Table) -> pa.Table:
    if "trained_on" in scores.column_names:
        return scores.filter(pc.not_equal(scores.column("trained_on"), 1))
    return scores


def _alerts(chosen: pa.Table, rank: np.ndarray, days: list[dt.date | None]) -> pa.Table:
    return pa.table(
        {
            "account_id": chosen.column("account_id"),
            "rank": pa.array(rank, pa.int64()),
            "score": chosen.column("score"),
            "reasons": chosen.column("reasons"),
            "alert_day": pa.array(days, pa.date32()),
            "as_of": chosen.column("as_of"),
        }
    )
