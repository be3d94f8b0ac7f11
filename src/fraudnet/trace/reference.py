"""A straightforward reference walk: every account, every payment, explicit lots.

Independent of the optimised path (no reachability, no precomputed positions), it is the
oracle the property tests compare against and the one-pass baseline the benchmark times.
It does its own arithmetic (exact fractions, below), so a rounding fault in the engine's
`fraudnet.trace.money` cannot hide in both. Too slow for real ledgers: every payment, every
account, in Python.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

import pyarrow as pa

from fraudnet.trace.exits import ALWAYS_EXIT
from fraudnet.trace.money import to_pence

Key = Hashable
Lot = list  # [amount, taint]

EXITS = frozenset(ALWAYS_EXIT)


@dataclass(slots=True)
class ReferenceResult:
    held: dict[tuple[str, Key], int] = field(default_factory=lambda: defaultdict(int))
    exited: dict[tuple[str, Key, str, Key], int] = field(default_factory=lambda: defaultdict(int))
    unexplained: dict[tuple[str, Key], int] = field(default_factory=lambda: defaultdict(int))
    flows: dict[tuple[str, str], int] = field(default_factory=dict)  # (report, txn_id)


def reference_trace(
    transactions: pa.Table,
    accounts: pa.Table,
    reports: pa.Table,
    rule: str,
    as_of: datetime | None = None,
) -> ReferenceResult:
    """Trace stored tables (as `engine.table` returns them) with the reference walk."""
    every = transactions.to_pylist()
    amounts = {r["txn_id"]: r["amount"] for r in every}
    rows = sorted(
        (r for r in every if as_of is None or r["ts"] <= as_of),
        key=lambda r: (r["ts"], r["txn_id"]),
    )
    rows = [r for r in rows if r["src_account"] is None or r["src_account"] != r["dst_account"]]
    openings = {a["account_id"]: to_pence(a["opening_balance"] or 0) for a in accounts.to_pylist()}
    known = set(openings) | {r["src_account"] for r in rows if r["src_account"] is not None}
    by_txn = {r["txn_id"]: r for r in rows}
    victims: dict[str, list[tuple[str, int]]] = defaultdict(list)
    missing: list[tuple[str, int]] = []
    for rep in sorted(reports.to_pylist(), key=lambda r: r["report_id"]):
        txn = by_txn.get(rep["txn_id"])
        amount = rep["amount"] if rep["amount"] is not None else amounts.get(rep["txn_id"])
        if txn is None:
            missing.append((rep["report_id"], to_pence(amount or 0)))
        else:
            victims[rep["txn_id"]].append((rep["report_id"], to_pence(amount or 0)))
    result = walk(
        [r["txn_id"] for r in rows],
        [to_pence(r["amount"]) for r in rows],
        [r["src_account"] for r in rows],
        [r["dst_account"] for r in rows],
        [r["channel"] for r in rows],
        openings,
        known,
        victims,
        rule,
    )
    for report_id, pence in missing:
        if pence:
            result.unexplained[(report_id, None)] += pence
    return result


def walk(
    txn_ids: Sequence[str],
    pences: Sequence[int],
    srcs: Sequence[Key],
    dsts: Sequence[Key],
    channels: Sequence[str],
    openings: Mapping[Key, int],
    known: set[Key] | frozenset[Key],
    victims: Mapping[str, list[tuple[str, int]]],
    rule: str,
) -> ReferenceResult:
    """Walk rows already in (ts, txn_id) order; `victims` maps a txn_id to its reports."""
    caps = {rid: pence for reps in victims.values() for rid, pence in reps}
    lots: dict[Key, deque[Lot]] = {
        a: deque([[max(b, 0), {}]]) for a, b in openings.items() if b > 0
    }
    balances: dict[Key, int] = {a: max(b, 0) for a, b in openings.items()}
    out = ReferenceResult()
    for txn_id, pence, src, dst, channel in zip(txn_ids, pences, srcs, dsts, channels, strict=True):
        carried: dict[str, int] = {}
        if src is not None:
            balance = balances.get(src, 0)
            carried = _spend(lots.setdefault(src, deque()), balance, pence, rule, caps)
            balances[src] = max(balance - pence, 0)
        reps = victims.get(txn_id)
        if reps:
            free = max(pence - sum(carried.values()), 0)
            for report_id, claimed in reps:
                marked = min(claimed, free)
                free -= marked
                if marked:
                    carried[report_id] = carried.get(report_id, 0) + marked
                if claimed > marked:
                    out.unexplained[(report_id, dst)] += claimed - marked
        for origin, amount in carried.items():
            out.flows[(origin, txn_id)] = amount
        if channel in EXITS or dst is None or dst not in known:
            for origin, amount in carried.items():
                out.exited[(origin, src, channel, dst)] += amount
            carried = {}  # the payee's balance still grows, with money no longer traced
        if dst is not None and dst in known:
            _receive(lots.setdefault(dst, deque()), pence, carried, rule, caps)
            balances[dst] = balances.get(dst, 0) + pence
    for account, account_lots in lots.items():
        for _, taint in account_lots:
            for origin, amount in taint.items():
                if amount:
                    out.held[(origin, account)] += amount
    return out


def _spend(
    lots: deque[Lot], balance: int, pence: int, rule: str, caps: Mapping[str, int]
) -> dict[str, int]:
    if rule in ("fifo", "lifo"):
        return _spend_lots(lots, min(pence, balance), rule == "lifo")
    if not lots:
        return {}
    lot = lots[0]  # pooled rules keep one lot per account
    taint = lot[1]
    after = max(balance - pence, 0)
    if rule == "pro_rata":
        carried = _share(min(pence, balance), taint, balance)
    elif rule == "hallett":
        tainted = sum(taint.values())
        carried = _share(min(pence, balance) - (balance - tainted), taint, tainted)
    else:  # poison: the whole payment, capped by the loss; the rest capped by the balance
        carried = {o: min(pence, caps[o]) for o in taint if taint[o]}
        lot[1] = {o: min(v, after) for o, v in taint.items() if min(v, after)}
        lot[0] = after
        return carried
    _take_out(taint, carried)
    lot[0] = after
    return carried


def _spend_lots(lots: deque[Lot], take: int, newest_first: bool) -> dict[str, int]:
    carried: dict[str, int] = {}
    while take > 0:
        lot = lots[-1] if newest_first else lots[0]
        amount, taint = lot
        used = min(take, amount)
        pieces = _share(used, taint, amount)
        _put_in(carried, pieces)
        _take_out(taint, pieces)
        lot[0] = amount - used
        take -= used
        if lot[0] == 0:
            if newest_first:
                lots.pop()
            else:
                lots.popleft()
    return carried


def _receive(
    lots: deque[Lot], pence: int, carried: Mapping[str, int], rule: str, caps: Mapping[str, int]
) -> None:
    if rule in ("fifo", "lifo"):
        lots.append([pence, dict(carried)])
        return
    if not lots:
        lots.append([0, {}])
    lot = lots[0]
    lot[0] += pence
    if rule == "poison":
        for origin, amount in carried.items():
            lot[1][origin] = min(lot[1].get(origin, 0) + amount, caps[origin])
    else:
        _put_in(lot[1], carried)


def _share(take: int, taint: Mapping[str, int], whole: int) -> dict[str, int]:
    """The oracle's own proportional split, in exact fractions, not the engine's `split`.

    Every origin (and the clean rest of `whole`, which goes first) gets the floor of its exact
    share of `take`; the pence left over go one each to the largest fractional parts, ties to
    the clean rest and then by origin key. Zero pieces are dropped.
    """
    if take <= 0 or not taint:
        return {}
    if take >= whole:
        return {k: v for k, v in taint.items() if v > 0}
    parts = [(None, whole - sum(taint.values())), *sorted(taint.items())]
    exact = [Fraction(amount * take, whole) for _, amount in parts]
    pieces = [int(x) for x in exact]  # exact shares are never negative: floor
    by_fraction = sorted(range(len(parts)), key=lambda i: (pieces[i] - exact[i], i))
    for i in by_fraction[: take - sum(pieces)]:
        pieces[i] += 1
    return {key: n for (key, _), n in zip(parts, pieces, strict=True) if key is not None and n}


def _put_in(target: dict[str, int], pieces: Mapping[str, int]) -> None:
    for origin, pence in pieces.items():
        target[origin] = target.get(origin, 0) + pence


def _take_out(target: dict[str, int], pieces: Mapping[str, int]) -> None:
    for origin, pence in pieces.items():
        target[origin] -= pence
        if target[origin] == 0:
            del target[origin]
