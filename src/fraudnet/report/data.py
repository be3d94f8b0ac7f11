"""What an intelligence report on one network holds, read from the store only."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal

import polars as pl
import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.redact import MASK, PERSONAL_IDENTIFIER_KINDS

EXITS = ("cash_out", "crypto", "intl_wire")


def _frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass
class ReportData:
    network: dict[str, object]
    roles: pl.DataFrame  # subject, subject_kind, role, confidence, summary, evidence
    payments: pl.DataFrame  # txn_id, ts, src_account, dst_account, amount, channel, kind
    holders: pl.DataFrame  # account_id, holder_party_id, name, institution, jurisdiction
    total_networks: int

    def accounts(self) -> list[str]:
        return sorted(self.roles.filter(pl.col("subject_kind") == "account")["subject"])

    def money(self, kind: str) -> Decimal:
        rows = self.payments.filter(pl.col("kind") == kind)
        return Decimal(rows["amount"].sum() or 0).quantize(Decimal("0.01"))


def load_report_data(engine: Engine, network_id: str) -> ReportData:
    """The network row, its roles with evidence, and every payment that concerns it."""
    nid = _quoted(network_id)
    net = _frame(engine.sql(f"SELECT * FROM networks WHERE network_id = {nid}"))
    if net.is_empty():
        raise KeyError(f"no network {network_id!r}; run `fraudnet networks` and pick an id")
    roles = _frame(engine.sql(f"SELECT * FROM network_roles WHERE network_id = {nid}"))
    roles = roles.with_columns(
        pl.col("evidence")
        .map_elements(lambda e: json.loads(e)["summary"], return_dtype=pl.Utf8)
        .alias("summary")
    )
    accounts = sorted(roles.filter(pl.col("subject_kind") == "account")["subject"])
    victim_txns = _reported_into(engine, accounts)
    total = engine.sql("SELECT COUNT(*) AS n FROM networks").column("n")[0].as_py()
    return ReportData(
        network=net.row(0, named=True),
        roles=roles,
        payments=_payments(engine, accounts, victim_txns),
        holders=_holders(engine, accounts),
        total_networks=int(total),
    )


def redacted(data: ReportData) -> ReportData:
    """The same report with holders' names and personal identifier values masked."""
    holders = data.holders.with_columns(
        pl.when(pl.col("name").is_not_null()).then(pl.lit(MASK)).otherwise(None).alias("name")
    )
    roles = data.roles.with_columns(
        pl.col("evidence").map_elements(_redacted_evidence, return_dtype=pl.Utf8)
    )
    return replace(data, holders=holders, roles=roles)


def _redacted_evidence(evidence: str) -> str:
    body = json.loads(evidence)
    for ident in body.get("identifiers", []):
        if ident.get("kind") in PERSONAL_IDENTIFIER_KINDS:
            ident["value"] = MASK
    return json.dumps(body, sort_keys=True)


def _reported_into(engine: Engine, accounts: list[str]) -> list[str]:
    """Reported fraud payments received by the network's accounts (all of them, not only
    those quoted in the evidence)."""
    engine.temp_table("rp_acc", pa.table({"account": pa.array(accounts, pa.string())}))
    sql = """
    SELECT DISTINCT t.txn_id FROM fraud_reports f JOIN transactions t ON t.txn_id = f.txn_id
    JOIN rp_acc a ON t.dst_account = a.account
    """
    found = sorted(str(t) for t in engine.sql(sql).column("txn_id").to_pylist())
    engine.drop_temp("rp_acc")
    return found


def _payments(engine: Engine, accounts: list[str], victim_txns: list[str]) -> pl.DataFrame:
    engine.temp_table("rp_acc", pa.table({"account": pa.array(accounts, pa.string())}))
    engine.temp_table("rp_vic", pa.table({"txn_id": pa.array(victim_txns, pa.string())}))
    exits = ", ".join(_quoted(c) for c in EXITS)
    sql = f"""
    SELECT t.txn_id, t.ts, t.src_account, t.dst_account, t.amount, t.channel,
           CASE WHEN v.txn_id IS NOT NULL THEN 'victim'
                WHEN d.account IS NOT NULL THEN 'internal'
                ELSE 'out' END AS kind
    FROM transactions t
    JOIN rp_acc s ON t.src_account = s.account
    LEFT JOIN rp_acc d ON t.dst_account = d.account
    LEFT JOIN rp_vic v ON t.txn_id = v.txn_id
    WHERE d.account IS NOT NULL OR t.channel IN ({exits})
    UNION ALL
    SELECT t.txn_id, t.ts, t.src_account, t.dst_account, t.amount, t.channel, 'victim' AS kind
    FROM transactions t JOIN rp_vic v ON t.txn_id = v.txn_id
    WHERE t.src_account NOT IN (SELECT account FROM rp_acc)
    """
    frame = _frame(engine.sql(sql)).sort("ts", "txn_id")
    engine.drop_temp("rp_acc")
    engine.drop_temp("rp_vic")
    return frame.unique("txn_id", keep="first", maintain_order=True)


def _holders(engine: Engine, accounts: list[str]) -> pl.DataFrame:
    engine.temp_table("rp_acc", pa.table({"account": pa.array(accounts, pa.string())}))
    sql = """
    SELECT a.account_id, a.holder_party_id, p.name, a.institution, a.jurisdiction, a.opened_at
    FROM accounts a JOIN rp_acc r ON a.account_id = r.account
    LEFT JOIN parties p ON p.party_id = a.holder_party_id
    """
    frame = _frame(engine.sql(sql))
    engine.drop_temp("rp_acc")
    return frame
