"""Row counts and a fingerprint of every table, read through the running server's store."""

from __future__ import annotations

from fastapi import FastAPI

from fraudnet.schema import all_tables

GROWS_WITH_READS = ("audit_log", "audit_anchor")
"""Reads of a person's details and refusals are audited, so these grow on any request."""


def table_state(app: FastAPI) -> dict[str, tuple[int, str]]:
    """Per table (audit tables aside): rows and an order-independent hash of its contents."""
    state: dict[str, tuple[int, str]] = {}
    with app.state.fraudnet.handle.borrow() as engine:
        for table in all_tables():
            if table.name in GROWS_WITH_READS:
                continue
            row = engine.sql(
                f"SELECT COUNT(*) AS n, CAST(COALESCE(BIT_XOR(hash(t)), 0) AS VARCHAR) AS h "
                f'FROM "{table.name}" t'
            ).to_pylist()[0]
            state[table.name] = (int(row["n"]), str(row["h"]))
    return state
