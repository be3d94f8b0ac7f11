"""Small ledgers written straight into a store, for the tracing tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

import pyarrow as pa

from fraudnet.engine import Engine

T0 = datetime(2025, 1, 6, 9, 0, 0)

Payment = tuple[str, int, str | None, str | None, str, str]
"""txn_id, minute offset, src, dst, amount, channel."""


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


def write_ledger(
    engine: Engine,
    accounts: Sequence[tuple[str, str]],
    payments: Sequence[Payment],
    reports: Sequence[tuple[str, str, str, str | None]],
    institution: str = "BANK",
) -> None:
    """accounts: (id, opening balance); reports: (report_id, txn_id, victim, amount)."""
    engine.append(
        "accounts",
        pa.table(
            {
                "account_id": [a for a, _ in accounts],
                "institution": [f"{institution}-{a[:1]}" for a, _ in accounts],
                "jurisdiction": ["GB"] * len(accounts),
                "opening_balance": pa.array(
                    [Decimal(b) for _, b in accounts], pa.decimal128(18, 2)
                ),
            }
        ),
    )
    engine.append(
        "transactions",
        pa.table(
            {
                "txn_id": [p[0] for p in payments],
                "ts": pa.array([at(p[1]) for p in payments], pa.timestamp("us")),
                "amount": pa.array([Decimal(p[4]) for p in payments], pa.decimal128(18, 2)),
                "currency": ["GBP"] * len(payments),
                "src_account": pa.array([p[2] for p in payments], pa.string()),
                "dst_account": pa.array([p[3] for p in payments], pa.string()),
                "channel": [p[5] for p in payments],
            }
        ),
    )
    engine.append(
        "fraud_reports",
        pa.table(
            {
                "report_id": [r[0] for r in reports],
                "txn_id": [r[1] for r in reports],
                "victim_party_id": [r[2] for r in reports],
                "amount": pa.array(
                    [Decimal(r[3]) if r[3] is not None else None for r in reports],
                    pa.decimal128(18, 2),
                ),
            }
        ),
    )


WORKED_ACCOUNTS = [("V", "5000.00"), ("A", "0.00"), ("B", "0.00"), ("C", "0.00"), ("X", "0")]
WORKED_PAYMENTS: list[Payment] = [
    ("t1", 1, "V", "A", "1000.00", "fps"),
    ("t2", 2, "X", "A", "500.00", "fps"),
    ("t3", 3, "A", "B", "600.00", "fps"),
    ("t4", 4, "A", "C", "800.00", "fps"),
    ("t5", 5, None, "A", "400.00", "cash_in"),
]
WORKED_REPORTS = [("R1", "t1", "V", "1000.00")]

MIXED_ACCOUNTS = [("V1", "5000.00"), ("V2", "5000.00"), ("A", "50.00"), ("B", "0.00")]
MIXED_PAYMENTS: list[Payment] = [
    ("m1", 1, "V1", "A", "1000.00", "fps"),
    ("m2", 2, "V2", "A", "500.00", "fps"),
    ("m3", 3, "A", "B", "900.00", "fps"),
    ("m4", 4, "B", None, "300.00", "cash_out"),
    ("m5", 5, "B", "DE-FOREIGN-1", "200.00", "intl_wire"),
    ("m6", 6, "A", "WALLET-1", "100.00", "crypto"),
    ("m7", 7, "A", "B", "600.00", "fps"),  # more than A's known balance: shortfall
]
MIXED_REPORTS = [("R1", "m1", "P-V1", "1000.00"), ("R2", "m2", "P-V2", "500.00")]
