"""Random small ledgers for property tests: a few accounts, ties in time, victims, exits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

from tests.trace.ledgers import Payment

ACCOUNTS = ["A", "B", "C", "D", "E"]
VICTIMS = ["V1", "V2"]
OUTSIDE = "Z9"  # not in accounts and never pays: an account outside the data
CHANNELS = ["fps", "fps", "fps", "card", "chaps", "intl_wire", "crypto", "cash_out"]


@dataclass(frozen=True)
class SmallLedger:
    accounts: list[tuple[str, str]]
    payments: list[Payment]
    reports: list[tuple[str, str, str, str | None]]


def _money(pence: int) -> str:
    return str(Decimal(pence).scaleb(-2))


@st.composite
def small_ledgers(draw: st.DrawFn) -> SmallLedger:
    openings = draw(st.lists(st.integers(0, 50_000), min_size=5, max_size=5))
    accounts = [(a, _money(p)) for a, p in zip(ACCOUNTS, openings, strict=True)]
    accounts += [(v, "100000.00") for v in VICTIMS]
    payments: list[Payment] = []
    n = draw(st.integers(3, 25))
    for i in range(n):
        minute = draw(st.integers(0, 12))
        src = draw(st.sampled_from([*ACCOUNTS, *VICTIMS, None]))
        dst = draw(st.sampled_from([*ACCOUNTS, *ACCOUNTS, OUTSIDE, None]))
        channel = draw(st.sampled_from(CHANNELS))
        if src is None:
            channel = "cash_in"
        if dst is None and channel != "cash_in":
            channel = "cash_out"
        if dst is None and src is None:
            dst = "A"
        amount = draw(st.integers(1, 60_000))
        payments.append((f"p{i:02d}", minute, src, dst, _money(amount), channel))
    victim_payments = [p for p in payments if p[2] in VICTIMS]
    pool = victim_payments or payments
    reports: list[tuple[str, str, str, str | None]] = []
    for j in range(draw(st.integers(1, 3))):
        p = draw(st.sampled_from(pool))
        how = draw(st.sampled_from(["same", "same", "less", "more", "none"]))
        pence = int(Decimal(p[4]) * 100)
        claimed: str | None = {
            "same": p[4],
            "less": _money(max(pence // 2, 1)),
            "more": _money(pence + 1_000),
            "none": None,
        }[how]
        reports.append((f"R{j}", p[0], p[2] or "V?", claimed))
    if draw(st.booleans()):
        reports.append(("R9", "missing-txn", "V9", "12.34"))
    return SmallLedger(accounts, payments, reports)
