"""What the demo store says, read before the server opens it, so the browser tests compare the
pages with the data rather than with what the page happened to show."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fraudnet.engine import Engine
from fraudnet.workspace.guard import literal


@dataclass(frozen=True)
class StoreFacts:
    top_alert: str  # rank 1 account
    top_reasons: list[str]
    max_score: float
    network_id: str  # network of the top alert
    member_ids: frozenset[str]
    outside_neighbour: tuple[str, str]  # (account in view, account one hop beyond it)
    path_ends: tuple[str, str]  # two accounts of the network that paid one another
    member_payment: str  # txn_id of that payment
    report_id: str
    report_held: Decimal  # fifo: money still held for report_id


def read_facts(engine: Engine) -> StoreFacts:
    report_id, held = _report(engine)
    top = engine.sql(
        "SELECT account_id, reasons FROM alerts WHERE as_of = (SELECT MAX(as_of) FROM alerts) "
        "ORDER BY rank LIMIT 1"
    ).to_pylist()[0]
    max_score = engine.sql("SELECT MAX(score) AS s FROM alerts").column("s")[0].as_py()
    network = (
        engine.sql(
            "SELECT network_id FROM network_roles WHERE subject = "
            f"{literal(top['account_id'])} ORDER BY network_id LIMIT 1"
        )
        .column("network_id")[0]
        .as_py()
    )
    payment = _member_payment(engine, network)
    members = frozenset(
        engine.sql(f"SELECT subject FROM network_roles WHERE network_id = {literal(network)}")
        .column("subject")
        .to_pylist()
    )
    return StoreFacts(
        top_alert=top["account_id"],
        top_reasons=[r.strip() for r in top["reasons"].split("; ") if r.strip()],
        max_score=float(max_score),
        network_id=network,
        member_ids=members,
        outside_neighbour=_outside_neighbour(engine, network),
        path_ends=(payment["a"], payment["b"]),
        member_payment=payment["txn_id"],
        report_id=report_id,
        report_held=held,
    )


def _outside_neighbour(engine: Engine, network: str) -> tuple[str, str]:
    """(a counterparty of a member, an account it paid or was paid by that no member touched):
    in view when the network opens, the second only after expanding the first."""
    found = engine.sql(
        f"""WITH m AS (SELECT subject AS a FROM network_roles
                      WHERE network_id = {literal(network)} AND subject_kind = 'account'),
        edges AS (SELECT src_account AS x, dst_account AS y FROM transactions
                  WHERE src_account IS NOT NULL AND dst_account IS NOT NULL
                  UNION SELECT dst_account, src_account FROM transactions
                  WHERE src_account IS NOT NULL AND dst_account IS NOT NULL),
        seen AS (SELECT a FROM m UNION SELECT y FROM edges WHERE x IN (SELECT a FROM m))
        SELECT e.x AS near, e.y AS far FROM edges e
        WHERE e.x IN (SELECT a FROM seen) AND e.x NOT IN (SELECT a FROM m)
          AND e.y NOT IN (SELECT a FROM seen)
        ORDER BY e.x, e.y LIMIT 1"""
    ).to_pylist()[0]
    return found["near"], found["far"]


def _member_payment(engine: Engine, network: str) -> dict[str, str]:
    found = engine.sql(
        f"""WITH m AS (SELECT subject FROM network_roles
                      WHERE network_id = {literal(network)} AND subject_kind = 'account')
        SELECT src_account AS a, dst_account AS b, txn_id FROM transactions
        WHERE src_account IN (SELECT subject FROM m) AND dst_account IN (SELECT subject FROM m)
          AND src_account <> dst_account
        ORDER BY ts, txn_id LIMIT 1"""
    ).to_pylist()[0]
    return {key: str(value) for key, value in found.items()}


def _report(engine: Engine) -> tuple[str, Decimal]:
    found = engine.sql(
        """SELECT report_id, SUM(amount) AS held FROM traces
        WHERE rule = 'fifo' AND kind = 'held' GROUP BY report_id
        ORDER BY held DESC, report_id LIMIT 1"""
    ).to_pylist()[0]
    return found["report_id"], found["held"]
