"""What the rest of fraudnet reads from `shared_intel`: accounts other organisations flagged."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.utc import naive_utc

NOT_FLAGS = ("network_summary", "victim", "network_identifier")
"""Claims that do not say the account itself is in a network or holds victims' money."""
SEEDS_VIEW = "share_seed_cutoff"


def flagged_accounts(engine: Engine, as_of: datetime | None = None) -> list[str]:
    """Accounts this store knows that partners' packages flagged, received by `as_of`."""
    cutoff = pa.table(
        {"as_of": pa.array([naive_utc(as_of) if as_of else None], pa.timestamp("us"))}
    )
    engine.temp_table(SEEDS_VIEW, cutoff)
    try:
        excluded = ", ".join(f"'{c}'" for c in NOT_FLAGS)
        rows = engine.sql(
            "SELECT DISTINCT s.subject_account FROM shared_intel s, "
            f"{SEEDS_VIEW} c WHERE s.subject_account IS NOT NULL "
            f"AND s.claim NOT IN ({excluded}) "
            "AND (c.as_of IS NULL OR s.received_at <= c.as_of) ORDER BY 1"
        )
    finally:
        engine.drop_temp(SEEDS_VIEW)
    return [str(a) for a in rows["subject_account"].to_pylist()]
