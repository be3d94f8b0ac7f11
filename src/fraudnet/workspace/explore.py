"""Exploring the money: k-hop expansion, the path between two accounts, the payment timeline.

Thin checked wrappers over `fraudnet.graph.queries`, plus the timeline of payments for an
account or a network. None of them returns a person's details (accounts and money only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.graph.queries import MoneyPath, neighbourhood, shortest_path, strongest_path
from fraudnet.utc import naive_utc
from fraudnet.workspace.guard import literal, require
from fraudnet.workspace.pages import network_accounts
from fraudnet.workspace.permissions import READ_NETWORK

MAX_HOPS = 4
MAX_PATH_HOPS = 8
MAX_TIMELINE = 10_000
PATH_KINDS = {"strongest": strongest_path, "shortest": shortest_path}


@dataclass(frozen=True, slots=True)
class Timeline:
    payments: pa.Table  # txn_id, ts, src_account, dst_account, amount, currency, channel
    truncated: bool  # more payments matched than `limit`


def expand(
    engine: Engine, user_id: str, subject: str, hops: int = 1, max_nodes: int = 500
) -> pa.Table:
    """Accounts within `hops` payments or shared devices of an account or party."""
    require(engine, user_id, READ_NETWORK)
    if not 1 <= hops <= MAX_HOPS or not 1 <= max_nodes <= 5000:
        raise InvalidValueError(f"hops must be 1 to {MAX_HOPS} and max_nodes 1 to 5000")
    literal(subject, "subject")
    return neighbourhood(engine, subject, hops=hops, max_nodes=max_nodes)


def money_path(
    engine: Engine,
    user_id: str,
    source: str,
    target: str,
    kind: str = "strongest",
    max_hops: int = 6,
) -> MoneyPath:
    """The strongest (widest bottleneck) or shortest (fewest payments) path between accounts."""
    require(engine, user_id, READ_NETWORK)
    if kind not in PATH_KINDS:
        raise InvalidValueError(f"kind must be one of {', '.join(PATH_KINDS)}, not {kind!r}")
    if not 1 <= max_hops <= MAX_PATH_HOPS:
        raise InvalidValueError(f"max_hops must be 1 to {MAX_PATH_HOPS}")
    for name, value in (("source", source), ("target", target)):
        _known_account(engine, literal(value, name), value)
    return PATH_KINDS[kind](engine, source, target, max_hops=max_hops)


def money_timeline(
    engine: Engine,
    user_id: str,
    account_id: str | None = None,
    network_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 2000,
) -> Timeline:
    """Payments in time order touching one account, or any member account of a network."""
    require(engine, user_id, READ_NETWORK)
    if (account_id is None) == (network_id is None):
        raise InvalidValueError("give exactly one of account_id and network_id")
    if not 1 <= limit <= MAX_TIMELINE:
        raise InvalidValueError(f"limit must be 1 to {MAX_TIMELINE}")
    if account_id is not None:
        _known_account(engine, literal(account_id, "account_id"), account_id)
        accounts = [account_id]
    else:
        accounts = network_accounts(engine, str(network_id))
        if not accounts:
            raise KeyError(f"no network {network_id!r} in this store")
    engine.temp_table("tl_accounts", pa.table({"account": pa.array(accounts, pa.string())}))
    window = "".join(
        f" AND t.ts {op} TIMESTAMP {literal(naive_utc(when).isoformat())}"
        for op, when in ((">=", start), ("<", end))
        if when is not None
    )
    found = engine.sql(
        f"""SELECT t.txn_id, t.ts, t.src_account, t.dst_account, t.amount, t.currency, t.channel
        FROM transactions t
        WHERE (t.src_account IN (SELECT account FROM tl_accounts)
            OR t.dst_account IN (SELECT account FROM tl_accounts)){window}
        ORDER BY t.ts, t.txn_id LIMIT {limit + 1}"""
    )
    engine.drop_temp("tl_accounts")
    return Timeline(found.slice(0, limit), found.num_rows > limit)


def _known_account(engine: Engine, quoted: str, account_id: str) -> None:
    hits = engine.sql(
        f"SELECT 1 FROM accounts WHERE account_id = {quoted} UNION ALL "
        f"SELECT 1 FROM transactions WHERE src_account = {quoted} OR dst_account = {quoted} "
        "LIMIT 1"
    )
    if not hits.num_rows:
        raise KeyError(f"no account {account_id!r} in this store")


__all__ = ["MAX_HOPS", "PATH_KINDS", "Timeline", "expand", "money_path", "money_timeline"]
