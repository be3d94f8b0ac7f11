"""Expansion: from reported fraud payments and alerted accounts, follow the money forward in
time (each payment must leave within a window after tainted money arrived) for a bounded
number of hops, then add accounts tied to the members by identifiers that control several of
them. Everything runs as DuckDB-dialect SQL on the store's engine, so Spark runs it too.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.networks.persons import person_keys, same_person_links

MONEY_CHANNELS = ("fps", "chaps", "bacs", "internal", "intl_wire", "crypto", "other")
EXIT_CHANNELS = ("cash_out", "crypto", "intl_wire")


@dataclass(frozen=True)
class ExpansionSettings:
    """Bounds of the expansion; defaults suit the simulator and UK retail payment data."""

    hops: int = 3
    window_hours: int = 168
    hub_payers: int = 75
    identifier_accounts: int = 25
    min_payers: int = 2
    min_member_share: float = 0.0
    alert_links: int = 2
    min_alert_ring: int = 3
    hub_counterparties: int = 300
    seed_payee_share: float = 0.1
    seed_alerts: int = 100
    home_jurisdiction: str | None = None  # None: the jurisdiction most accounts are in
    control_kinds: tuple[str, ...] = ("device",)
    control_rounds: int = 2
    fee_payees: int = 3
    feeder_links: int = 2
    feeder_hours: int = 24
    tie_alerts: int = 500
    new_tie_payments: int = 1
    back_payments: int = 0
    tie_days: int = 3
    coherent_days: float = 2.0
    coherent_ties: int = 1
    extend_links: int = 2
    two_sided: bool = True
    fan_ties: int = 0
    tie_links: tuple[str, ...] = ("direct",)  # or pass-through, common payee, common payer
    split_above: int = 8
    min_ties: int = 2
    min_tie_share: float = 0.1
    min_size: int = 2


@dataclass
class Expansion:
    """What the expansion found: tainted payments, seeds and control identifiers."""

    flows: pl.DataFrame  # txn_id, src, dst, ts, pence, channel, hop
    seeds: pl.DataFrame  # account, kind (reported|alert)
    hubs: set[str]
    identifiers: pl.DataFrame  # account, kind, value, n_accounts
    victims: pl.DataFrame  # report_id, txn_id, victim_party_id, src, dst, ts, pence


def _has_rows(engine: Engine, table: str) -> bool:
    return table in engine.table_names() and engine.count(table) > 0


def reported_payments(engine: Engine) -> pl.DataFrame:
    """Reported fraud payments joined to the ledger: the starting taint."""
    sql = """
    SELECT r.report_id, t.txn_id, r.victim_party_id, t.src_account AS src,
           t.dst_account AS dst, t.ts, CAST(ROUND(t.amount * 100) AS BIGINT) AS pence,
           t.channel
    FROM fraud_reports r JOIN transactions t ON t.txn_id = r.txn_id
    WHERE t.dst_account IS NOT NULL
    ORDER BY t.txn_id, r.report_id
    """
    return pl.from_arrow(engine.sql(sql))  # type: ignore[return-value]


def alerted_accounts(engine: Engine, limit: int = 500) -> list[str]:
    """Top alerts from detection when the store has them, best score first; else nothing."""
    if not _has_rows(engine, "alerts"):
        return []
    columns = set(engine.sql("SELECT * FROM alerts LIMIT 0").column_names)
    order = "score DESC, rank, account_id" if "score" in columns else "rank, account_id"
    sql = f"SELECT account_id FROM alerts ORDER BY {order} LIMIT {int(limit)}"
    return [str(a) for a in engine.sql(sql).column("account_id").to_pylist()]


def _temp(engine: Engine, name: str, frame: pl.DataFrame) -> None:
    engine.temp_table(name, frame.to_arrow())


def payer_counts(engine: Engine, accounts: list[str]) -> dict[str, int]:
    if not accounts:
        return {}
    _temp(engine, "nw_cand", pl.DataFrame({"account": accounts}, schema={"account": pl.Utf8}))
    sql = """
    SELECT t.dst_account AS account, COUNT(DISTINCT t.src_account) AS payers
    FROM transactions t JOIN nw_cand c ON t.dst_account = c.account
    GROUP BY t.dst_account
    """
    table = engine.sql(sql)
    engine.drop_temp("nw_cand")
    return dict(
        zip(table.column("account").to_pylist(), table.column("payers").to_pylist(), strict=True)
    )


def _next_hop(engine: Engine, frontier: pl.DataFrame, hours: int) -> pl.DataFrame:
    """Payments out of frontier accounts within `hours` after tainted money arrived there."""
    _temp(engine, "nw_frontier", frontier.select("dst", "ts", "pence"))
    channels = ", ".join(f"'{c}'" for c in (*MONEY_CHANNELS, "cash_out"))
    sql = f"""
    SELECT DISTINCT t.txn_id, t.src_account AS src, t.dst_account AS dst, t.ts,
           CAST(ROUND(t.amount * 100) AS BIGINT) AS pence, t.channel
    FROM transactions t JOIN nw_frontier f ON t.src_account = f.dst
    WHERE t.ts > f.ts AND t.ts <= f.ts + INTERVAL {int(hours)} HOUR
      AND t.channel IN ({channels})
    """
    out = pl.from_arrow(engine.sql(sql))
    engine.drop_temp("nw_frontier")
    assert isinstance(out, pl.DataFrame)
    return out


def _flow_schema() -> dict[str, pl.DataType]:
    return {
        "txn_id": pl.Utf8(),
        "src": pl.Utf8(),
        "dst": pl.Utf8(),
        "ts": pl.Datetime("us"),
        "pence": pl.Int64(),
        "channel": pl.Utf8(),
        "hop": pl.Int64(),
    }


def follow_money(
    engine: Engine, start: pl.DataFrame, settings: ExpansionSettings
) -> tuple[pl.DataFrame, set[str]]:
    """Time-respecting forward walk: hop 0 is `start`; hubs are reached but never expanded."""
    flows = [start.select(list(_flow_schema())).cast(_flow_schema())]  # type: ignore[arg-type]
    seen = set(flows[0]["txn_id"].to_list())
    hubs: set[str] = set()
    frontier = flows[0]
    for hop in range(1, settings.hops + 1):
        counts = payer_counts(engine, sorted(set(frontier["dst"].drop_nulls().to_list())))
        hubs |= {a for a, n in counts.items() if n > settings.hub_payers}
        frontier = frontier.filter(~pl.col("dst").is_in(sorted(hubs)))
        if frontier.is_empty():
            break
        step = _next_hop(engine, frontier, settings.window_hours)
        step = step.filter(~pl.col("txn_id").is_in(sorted(seen)))
        if step.is_empty():
            break
        step = step.with_columns(pl.lit(hop, pl.Int64).alias("hop"))
        step = step.select(list(_flow_schema())).cast(_flow_schema())  # type: ignore[arg-type]
        seen |= set(step["txn_id"].to_list())
        flows.append(step)
        frontier = step.filter(pl.col("dst").is_not_null())
    return pl.concat(flows), hubs


def account_identifiers(
    engine: Engine, accounts: list[str], settings: ExpansionSettings
) -> pl.DataFrame:
    """Devices and IPs of `accounts`, with every other account seen on them (if few share it)."""
    schema: dict[str, pl.DataType] = {
        "account": pl.Utf8(),
        "kind": pl.Utf8(),
        "value": pl.Utf8(),
        "n_accounts": pl.Int64(),
        "first_seen": pl.Datetime("us"),
        "last_seen": pl.Datetime("us"),
    }
    if not accounts or not _has_rows(engine, "identifiers"):
        return pl.DataFrame(schema=schema)
    _temp(engine, "nw_members", pl.DataFrame({"account": accounts}, schema={"account": pl.Utf8}))
    sql = f"""
    WITH mine AS (
        SELECT DISTINCT i.kind, i.value FROM identifiers i JOIN nw_members m ON i.owner = m.account
        WHERE i.owner_kind = 'account' AND i.kind IN ('device', 'ip')
    ), shared AS (
        SELECT i.kind, i.value, COUNT(DISTINCT i.owner) AS n_accounts
        FROM identifiers i JOIN mine USING (kind, value)
        WHERE i.owner_kind = 'account'
        GROUP BY i.kind, i.value
        HAVING COUNT(DISTINCT i.owner) BETWEEN 2 AND {int(settings.identifier_accounts)}
    )
    SELECT i.owner AS account, i.kind, i.value, MIN(s.n_accounts) AS n_accounts,
           MIN(i.first_seen) AS first_seen, MAX(i.last_seen) AS last_seen
    FROM identifiers i JOIN shared s ON i.kind = s.kind AND i.value = s.value
    WHERE i.owner_kind = 'account'
    GROUP BY i.owner, i.kind, i.value
    ORDER BY i.kind, i.value, account
    """
    out = pl.from_arrow(engine.sql(sql))
    engine.drop_temp("nw_members")
    assert isinstance(out, pl.DataFrame)
    return out.cast(schema)  # type: ignore[arg-type]


def holders(engine: Engine, accounts: list[str]) -> pl.DataFrame:
    """account -> holder party and person key (resolved entity when `entities` exists)."""
    schema = {"account": pl.Utf8, "party": pl.Utf8, "person": pl.Utf8, "jurisdiction": pl.Utf8}
    if not accounts:
        return pl.DataFrame(schema=schema)
    _temp(engine, "nw_acc", pl.DataFrame({"account": accounts}, schema={"account": pl.Utf8}))
    person = "a.holder_party_id"
    join = ""
    if _has_rows(engine, "entities"):
        person = "COALESCE(e.entity_id, a.holder_party_id)"
        join = "LEFT JOIN entities e ON e.party_id = a.holder_party_id"
    sql = f"""
    SELECT a.account_id AS account, a.holder_party_id AS party, {person} AS person,
           a.jurisdiction
    FROM accounts a JOIN nw_acc n ON a.account_id = n.account {join}
    """
    out = pl.from_arrow(engine.sql(sql))
    engine.drop_temp("nw_acc")
    assert isinstance(out, pl.DataFrame)
    out = out.cast(schema)  # type: ignore[arg-type]
    if not join:  # no resolved entities: one key per person from the deterministic link
        parties = sorted(set(out["party"].drop_nulls().to_list()))
        key = person_keys(parties, same_person_links(engine, parties))
        out = out.with_columns(pl.col("party").replace_strict(key, default=None).alias("person"))
    return out


def payments_into(engine: Engine, accounts: list[str]) -> pl.DataFrame:
    """Every account-to-account payment into `accounts` (for fee payers and victims)."""
    _temp(engine, "nw_acc", pl.DataFrame({"account": accounts}, schema={"account": pl.Utf8}))
    channels = ", ".join(f"'{c}'" for c in MONEY_CHANNELS)
    sql = f"""
    SELECT t.txn_id, t.src_account AS src, t.dst_account AS dst, t.ts,
           CAST(ROUND(t.amount * 100) AS BIGINT) AS pence, t.channel
    FROM transactions t JOIN nw_acc n ON t.dst_account = n.account
    WHERE t.src_account IS NOT NULL AND t.channel IN ({channels})
    """
    out = pl.from_arrow(engine.sql(sql))
    engine.drop_temp("nw_acc")
    assert isinstance(out, pl.DataFrame)
    return out


def seed_flows(engine: Engine, reports: pl.DataFrame, alerted: list[str]) -> pl.DataFrame:
    """Hop-0 taint: reported payments, plus payments out of alerted accounts."""
    base = reports.select("txn_id", "src", "dst", "ts", "pence", "channel").unique("txn_id")
    extra = [a for a in alerted if a not in set(base["dst"].to_list())]
    if not extra:
        return base.with_columns(pl.lit(0, pl.Int64).alias("hop"))
    _temp(engine, "nw_alerted", pl.DataFrame({"account": extra}, schema={"account": pl.Utf8}))
    channels = ", ".join(f"'{c}'" for c in MONEY_CHANNELS)
    sql = f"""
    SELECT t.txn_id, t.src_account AS src, t.dst_account AS dst, t.ts,
           CAST(ROUND(t.amount * 100) AS BIGINT) AS pence, t.channel
    FROM transactions t JOIN nw_alerted a ON t.dst_account = a.account
    WHERE t.channel IN ({channels}) AND t.src_account IS NOT NULL
    """
    received = pl.from_arrow(engine.sql(sql))
    engine.drop_temp("nw_alerted")
    assert isinstance(received, pl.DataFrame)
    both = pl.concat([base, received.cast(base.schema)]).unique("txn_id")
    return both.with_columns(pl.lit(0, pl.Int64).alias("hop"))


def as_arrow(frame: pl.DataFrame) -> pa.Table:
    return frame.to_arrow()


def corroborated_alerts(
    engine: Engine,
    alerted: list[str],
    members: set[str],
    hubs: set[str],
    settings: ExpansionSettings,
) -> pl.DataFrame:
    """Alerted accounts tied by payments to `alert_links` or more distinct members.

    Alerts do not seed networks on their own (a false alert would pull its whole economic
    neighbourhood in); an alert joins a network its payments already touch.
    Returns alerted, member, txn_id, pence, direction ('pays' or 'paid by').
    """
    schema: dict[str, pl.DataType] = {
        "alerted": pl.Utf8(),
        "member": pl.Utf8(),
        "txn_id": pl.Utf8(),
        "pence": pl.Int64(),
        "direction": pl.Utf8(),
    }
    candidates = sorted(set(alerted) - members - hubs)
    if not candidates or not members:
        return pl.DataFrame(schema=schema)
    _temp(engine, "nw_alerted", pl.DataFrame({"account": candidates}, schema={"account": pl.Utf8}))
    _temp(
        engine,
        "nw_members",
        pl.DataFrame({"account": sorted(members)}, schema={"account": pl.Utf8}),
    )
    channels = ", ".join(f"'{c}'" for c in MONEY_CHANNELS)
    sql = f"""
    SELECT a.account AS alerted, t.dst_account AS member, t.txn_id,
           CAST(ROUND(t.amount * 100) AS BIGINT) AS pence, 'pays' AS direction
    FROM transactions t JOIN nw_alerted a ON t.src_account = a.account
    JOIN nw_members m ON t.dst_account = m.account
    WHERE t.channel IN ({channels})
    UNION ALL
    SELECT a.account AS alerted, t.src_account AS member, t.txn_id,
           CAST(ROUND(t.amount * 100) AS BIGINT) AS pence, 'paid by' AS direction
    FROM transactions t JOIN nw_alerted a ON t.dst_account = a.account
    JOIN nw_members m ON t.src_account = m.account
    WHERE t.channel IN ({channels})
    """
    links = pl.from_arrow(engine.sql(sql))
    engine.drop_temp("nw_alerted")
    engine.drop_temp("nw_members")
    assert isinstance(links, pl.DataFrame)
    links = links.cast(schema)  # type: ignore[arg-type]
    ties = links.group_by("alerted").agg(pl.col("member").n_unique().alias("n"))
    keep = ties.filter(pl.col("n") >= settings.alert_links)["alerted"].to_list()
    return links.filter(pl.col("alerted").is_in(keep)).sort("alerted", "member", "txn_id")


def home_jurisdiction(engine: Engine, settings: ExpansionSettings) -> str:
    """The bank's own jurisdiction: the setting, else the one most accounts are in (GB if the
    store has no jurisdictions). AMLSim's accounts are all US: none of them is overseas."""
    if settings.home_jurisdiction:
        return settings.home_jurisdiction
    sql = """
    SELECT jurisdiction FROM accounts WHERE jurisdiction IS NOT NULL
    GROUP BY jurisdiction ORDER BY COUNT(*) DESC, jurisdiction LIMIT 1
    """
    rows = engine.sql(sql).column(0).to_pylist() if _has_rows(engine, "accounts") else []
    return str(rows[0]) if rows else "GB"


def observed_period(engine: Engine) -> float:
    """Seconds between the first and last payment in the store."""
    row = engine.sql("SELECT MIN(ts) AS lo, MAX(ts) AS hi FROM transactions").to_pylist()[0]
    if row["lo"] is None:
        return 0.0
    return float((row["hi"] - row["lo"]).total_seconds())
