"""Forward reachability in time: which accounts can ever hold a victim's money, and from when.

Taint can only move along a payment made at or after the payer first received it, so the
set of accounts a trace can touch is the fixpoint of iterated joins over
(account, earliest taint time). Only those accounts, from that time on, need the lot
engine; everything before is summarised as one clean lot. Written as portable SQL run
through `engine.sql`, so DuckDB and Spark take the same path.
"""

from __future__ import annotations

from datetime import datetime

from fraudnet.engine import Engine
from fraudnet.trace.exits import exit_channels_sql

TX = "_trace_tx"
REPORTS = "_trace_reports"
REACH = "_trace_reach"

NON_PROPAGATING = exit_channels_sql()
"""Channels that always leave the trace: taint never reaches the payee's account."""


def timestamp_literal(moment: datetime) -> str:
    """A SQL literal for a naive-UTC datetime we produced ourselves (never user text)."""
    return f"CAST('{moment.isoformat(sep=' ')}' AS TIMESTAMP)"


def stage_ledger(engine: Engine, as_of: datetime) -> None:
    """The ledger as the tracer sees it: up to `as_of`, in pence, no self-transfers.

    A view, not a copy: each query scans the columns it needs from `transactions`.
    """
    engine.execute(
        f"CREATE OR REPLACE TEMP VIEW {TX} AS SELECT txn_id, ts, "
        "CAST(amount * 100 AS BIGINT) AS pence, src_account, dst_account, channel "
        f"FROM transactions WHERE ts <= {timestamp_literal(as_of)} AND "
        "(src_account IS NULL OR dst_account IS NULL OR src_account <> dst_account)"
    )


def unstage_ledger(engine: Engine) -> None:
    engine.execute(f"DROP VIEW IF EXISTS {TX}")


def reachable_accounts(engine: Engine) -> int:
    """Materialise `_trace_reach(account, first_ts)`; returns the number of rounds taken.

    Semi-naive: each round joins only the accounts whose earliest time improved in the
    round before (the delta); two small tables per round, versioned so none is rebuilt
    from itself.
    """
    engine.temp_table(
        "_trace_reach_0",
        f"SELECT t.dst_account AS account, MIN(t.ts) AS first_ts FROM {REPORTS} r "
        f"JOIN {TX} t ON t.txn_id = r.txn_id WHERE t.dst_account IS NOT NULL "
        "GROUP BY t.dst_account",
    )
    delta, reach = "_trace_reach_0", "_trace_reach_0"
    rounds = 0
    while True:
        rounds += 1
        found_in = f"_trace_delta_{rounds}"
        engine.temp_table(
            found_in,
            f"SELECT c.account, c.first_ts FROM (SELECT t.dst_account AS account, "
            f"MIN(t.ts) AS first_ts FROM {TX} t JOIN {delta} d ON t.src_account = d.account "
            f"WHERE t.ts >= d.first_ts AND t.dst_account IS NOT NULL AND t.channel NOT IN "
            f"{NON_PROPAGATING} GROUP BY t.dst_account) c LEFT JOIN {reach} r "
            "ON r.account = c.account WHERE r.account IS NULL OR c.first_ts < r.first_ts",
        )
        found = engine.sql(f"SELECT COUNT(*) AS n FROM {found_in}").column("n")[0].as_py()
        if not found:
            engine.drop_temp(found_in)
            break
        merged = f"_trace_reach_{rounds}"
        engine.temp_table(
            merged,
            f"SELECT account, MIN(first_ts) AS first_ts FROM (SELECT account, first_ts FROM "
            f"{reach} UNION ALL SELECT account, first_ts FROM {found_in}) u GROUP BY account",
        )
        for old in {delta, reach}:
            engine.drop_temp(old)
        delta, reach = found_in, merged
    engine.temp_table(REACH, f"SELECT account, first_ts FROM {reach}")
    for old in {delta, reach}:
        engine.drop_temp(old)
    return rounds
