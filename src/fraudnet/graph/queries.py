"""Graph queries for analysts: k-hop neighbourhood and the strongest money path.

Both walk the store with engine SQL one hop at a time, so they run on DuckDB and Spark, and
touch only the accounts they reach. Accounts paid by or paying more than `hub_degree`
counterparties (merchants, billers, exchanges) are reached but not walked through.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
import pyarrow as pa

from fraudnet.engine import Engine

_MONEY = "('fps', 'chaps', 'bacs', 'internal', 'intl_wire', 'crypto', 'other')"


def _frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _step_sql(hub_degree: int, identifier_accounts: int) -> str:
    return f"""
    WITH hop AS (
        SELECT t.dst_account AS node, 'paid' AS via FROM transactions t
        JOIN nb_frontier f ON t.src_account = f.node
        WHERE t.dst_account IS NOT NULL AND t.channel IN {_MONEY}
        UNION ALL
        SELECT t.src_account AS node, 'paid by' AS via FROM transactions t
        JOIN nb_frontier f ON t.dst_account = f.node
        WHERE t.src_account IS NOT NULL AND t.channel IN {_MONEY}
        UNION ALL
        SELECT o.owner AS node, 'shares ' || i.kind AS via FROM identifiers i
        JOIN nb_frontier f ON i.owner = f.node
        JOIN identifiers o ON o.kind = i.kind AND o.value = i.value
        WHERE i.owner_kind = 'account' AND o.owner_kind = 'account'
          AND i.kind IN ('device', 'ip')
          AND i.value IN (SELECT c.value FROM identifiers c
                          WHERE c.owner_kind = 'account' AND c.value IN (
                              SELECT m.value FROM identifiers m JOIN nb_frontier g
                              ON m.owner = g.node)
                          GROUP BY c.value HAVING COUNT(DISTINCT c.owner) <= {identifier_accounts})
    )
    SELECT node, MIN(via) AS via, COUNT(*) AS links FROM hop GROUP BY node
    """


def _degrees(engine: Engine, nodes: list[str]) -> dict[str, int]:
    engine.temp_table("nb_deg", pa.table({"node": pa.array(nodes, pa.string())}))
    sql = f"""
    SELECT node, COUNT(DISTINCT other) AS degree FROM (
        SELECT d.node, t.dst_account AS other FROM nb_deg d
        JOIN transactions t ON t.src_account = d.node WHERE t.channel IN {_MONEY}
        UNION ALL
        SELECT d.node, t.src_account AS other FROM nb_deg d
        JOIN transactions t ON t.dst_account = d.node WHERE t.channel IN {_MONEY}
    ) x GROUP BY node
    """
    table = _frame(engine.sql(sql))
    engine.drop_temp("nb_deg")
    return dict(zip(table["node"].to_list(), table["degree"].to_list(), strict=True))


def _start_accounts(engine: Engine, subject: str) -> list[str]:
    """An account id, or a party id standing for the accounts it holds."""
    quoted = "'" + subject.replace("'", "''") + "'"
    table = engine.sql(
        f"SELECT account_id FROM accounts WHERE account_id = {quoted} OR holder_party_id = {quoted}"
    )
    return sorted(str(a) for a in table.column("account_id").to_pylist())


def neighbourhood(
    engine: Engine,
    subject: str,
    hops: int = 2,
    hub_degree: int = 75,
    identifier_accounts: int = 12,
    max_nodes: int = 5000,
) -> pa.Table:
    """Accounts within `hops` of an account or party: node, hop, via, links, hub."""
    start = _start_accounts(engine, subject)
    if not start:
        raise KeyError(f"no account or party called {subject!r}")
    found = {a: (0, "start", 0) for a in start}
    frontier = list(start)
    for hop in range(1, hops + 1):
        engine.temp_table("nb_frontier", pa.table({"node": pa.array(frontier, pa.string())}))
        step = _frame(engine.sql(_step_sql(hub_degree, identifier_accounts)))
        engine.drop_temp("nb_frontier")
        new = step.filter(~pl.col("node").is_in(sorted(found)))
        for row in new.iter_rows(named=True):
            found[row["node"]] = (hop, row["via"], row["links"])
        degrees = _degrees(engine, new["node"].to_list()) if new.height else {}
        frontier = sorted(n for n in new["node"] if degrees.get(n, 0) <= hub_degree)
        if not frontier or len(found) >= max_nodes:
            break
    hubs = _degrees(engine, sorted(found))
    nodes = sorted(found, key=lambda n: (found[n][0], n))
    return pa.table(
        {
            "node": pa.array(nodes, pa.string()),
            "hop": pa.array([found[n][0] for n in nodes], pa.int64()),
            "via": pa.array([found[n][1] for n in nodes], pa.string()),
            "links": pa.array([found[n][2] for n in nodes], pa.int64()),
            "hub": pa.array([hubs.get(n, 0) > hub_degree for n in nodes], pa.bool_()),
        }
    )


@dataclass(frozen=True)
class MoneyPath:
    """The path with the largest bottleneck of money, and the payments along each step."""

    accounts: list[str]
    bottleneck: Decimal
    payments: pa.Table  # step, txn_id, ts, src_account, dst_account, amount, channel


def _edges_from(engine: Engine, start: str, max_hops: int, hub_degree: int) -> pl.DataFrame:
    """Aggregated directed money edges reachable from `start` within `max_hops`."""
    seen = {start}
    frontier = [start]
    parts = []
    for _ in range(max_hops):
        engine.temp_table("mp_frontier", pa.table({"node": pa.array(frontier, pa.string())}))
        step = _frame(
            engine.sql(
                f"""SELECT t.src_account AS src, t.dst_account AS dst,
                    CAST(SUM(t.amount * 100) AS BIGINT) AS pence
                FROM transactions t JOIN mp_frontier f ON t.src_account = f.node
                WHERE t.dst_account IS NOT NULL AND t.channel IN {_MONEY}
                GROUP BY t.src_account, t.dst_account"""
            )
        )
        engine.drop_temp("mp_frontier")
        parts.append(step)
        new = sorted(set(step["dst"].to_list()) - seen)
        seen |= set(new)
        degrees = _degrees(engine, new) if new else {}
        frontier = [n for n in new if degrees.get(n, 0) <= hub_degree]
        if not frontier:
            break
    return pl.concat(parts) if parts else pl.DataFrame()


def _widest(edges: pl.DataFrame, source: str, target: str) -> list[str]:
    """Maximum-bottleneck path (a Dijkstra variant); ties go to fewer hops, then names."""
    adj: dict[str, list[tuple[str, int]]] = {}
    for src, dst, pence in edges.iter_rows():
        adj.setdefault(src, []).append((dst, pence))
    best = {source: (float("inf"), 0)}
    prev: dict[str, str] = {}
    heap: list[tuple[float, int, str]] = [(-float("inf"), 0, source)]
    while heap:
        neg, hops, node = heapq.heappop(heap)
        if node == target:
            break
        if (-neg, -hops) < (best[node][0], -best[node][1]):
            continue
        for nxt, pence in sorted(adj.get(node, [])):
            width = min(-neg, pence)
            if nxt not in best or (width, -(hops + 1)) > (best[nxt][0], -best[nxt][1]):
                best[nxt] = (width, hops + 1)
                prev[nxt] = node
                heapq.heappush(heap, (-width, hops + 1, nxt))
    if target not in prev:
        return []
    path = [target]
    while path[-1] != source:
        path.append(prev[path[-1]])
    return path[::-1]


def _fewest_hops(edges: pl.DataFrame, source: str, target: str) -> list[str]:
    """Breadth-first: the path with fewest payments in it; ties go to names in order."""
    adj: dict[str, list[str]] = {}
    for src, dst, _ in edges.iter_rows():
        adj.setdefault(src, []).append(dst)
    prev: dict[str, str] = {}
    frontier, seen = [source], {source}
    while frontier and target not in seen:
        following = []
        for node in frontier:
            for nxt in sorted(adj.get(node, [])):
                if nxt not in seen:
                    seen.add(nxt)
                    prev[nxt] = node
                    following.append(nxt)
        frontier = following
    if target not in prev:
        return []
    path = [target]
    while path[-1] != source:
        path.append(prev[path[-1]])
    return path[::-1]


def strongest_path(
    engine: Engine, source: str, target: str, max_hops: int = 6, hub_degree: int = 75
) -> MoneyPath:
    """The money path from `source` to `target` whose smallest step carries most money."""
    edges = _edges_from(engine, source, max_hops, hub_degree)
    return _money_path(engine, edges, _widest(edges, source, target) if edges.height else [])


def shortest_path(
    engine: Engine, source: str, target: str, max_hops: int = 6, hub_degree: int = 75
) -> MoneyPath:
    """The money path from `source` to `target` with the fewest payments in it."""
    edges = _edges_from(engine, source, max_hops, hub_degree)
    return _money_path(engine, edges, _fewest_hops(edges, source, target) if edges.height else [])


def _money_path(engine: Engine, edges: pl.DataFrame, path: list[str]) -> MoneyPath:
    """The payments along each step of `path` and its bottleneck."""
    if not path:
        return MoneyPath([], Decimal("0.00"), pa.table({"step": pa.array([], pa.int64())}))
    steps = pl.DataFrame({"src_account": path[:-1], "dst_account": path[1:]}).with_row_index(
        "step", offset=1
    )
    engine.temp_table("mp_steps", steps.with_columns(pl.col("step").cast(pl.Int64)).to_arrow())
    payments = engine.sql(
        f"""SELECT s.step, t.txn_id, t.ts, t.src_account, t.dst_account, t.amount, t.channel
        FROM transactions t JOIN mp_steps s
          ON t.src_account = s.src_account AND t.dst_account = s.dst_account
        WHERE t.channel IN {_MONEY}
        ORDER BY s.step, t.ts, t.txn_id"""
    )
    engine.drop_temp("mp_steps")
    widths = edges.filter(
        pl.struct("src", "dst").is_in([{"src": a, "dst": b} for a, b in itertools.pairwise(path)])
    )
    bottleneck = Decimal(int(widths["pence"].min())) / 100  # type: ignore[arg-type]
    return MoneyPath(path, bottleneck, payments)
