"""The time-ordered tracing engine: one pass over the restricted ledger under one rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from fraudnet.trace.ledger import RestrictedLedger
from fraudnet.trace.rules import TracingRule

ExitKey = tuple[str, str | None, str, str | None]  # report, account left from, channel, payee


@dataclass(slots=True)
class RawTrace:
    """What one pass found, in pence: flows per visited row, exits, shortfalls, holdings."""

    flows: list[tuple[str, int, int]] = field(default_factory=list)  # report, row, pence
    exited: dict[ExitKey, int] = field(default_factory=lambda: defaultdict(int))
    unexplained: dict[tuple[str, str | None], int] = field(default_factory=lambda: defaultdict(int))
    held: dict[tuple[str, str], int] = field(default_factory=dict)  # (report, account)


class InvariantError(AssertionError):
    """An account held more taint than its balance: a bug, never a property of the data."""


def run_trace(ledger: RestrictedLedger, rule: TracingRule, check: bool = False) -> RawTrace:
    """Follow every report's money forward through the ledger in (ts, txn_id) order."""
    out = RawTrace()
    victims = _victims_by_position(ledger, out)
    rows = ledger.rows
    src_names = rows.column("src_account")
    dst_names = rows.column("dst_account")
    channels = rows.column("channel")
    for k, row in enumerate(ledger.visit):
        carried: dict[str, int] = {}
        src = ledger.src[k]
        if ledger.src_live[k] and rule.holds_taint(src):
            carried = rule.debit(
                src,
                ledger.pence[k],
                ledger.bal_src_before[k],
                ledger.bal_src_after[k],
                ledger.out_before[k],
                ledger.out_after[k],
            )
            if check:
                _check(rule, src, ledger.bal_src_after[k])
        if k in victims:
            _inject(carried, victims[k], ledger.pence[k], dst_names[row].as_py(), out)
        if not carried:
            continue
        for origin, pence in carried.items():
            out.flows.append((origin, row, pence))
        if ledger.is_exit[k]:
            source = src_names[row].as_py()
            channel = channels[row].as_py()
            payee = dst_names[row].as_py()
            for origin, pence in carried.items():
                out.exited[(origin, source, channel, payee)] += pence
        else:
            dst = ledger.dst[k]
            rule.credit(
                dst, carried, ledger.pence[k], ledger.bal_dst_before[k], ledger.in_before[k]
            )
            if check:
                _check(rule, dst, ledger.bal_dst_before[k] + ledger.pence[k])
    for account in rule.tainted_accounts():
        for origin, pence in rule.taint_of(account).items():
            out.held[(origin, ledger.accounts[account])] = pence
    return out


def _victims_by_position(
    ledger: RestrictedLedger, out: RawTrace
) -> dict[int, list[tuple[str, int]]]:
    """Reports by visited position; a report whose payment is not in the ledger is unexplained."""
    position = {row: k for k, row in enumerate(ledger.visit)}
    victims: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for report in ledger.reports:
        if report.row is None:
            if report.pence:
                out.unexplained[(report.report_id, None)] += report.pence
            continue
        victims[position[report.row]].append((report.report_id, report.pence))
    return victims


def _inject(
    carried: dict[str, int],
    reports: list[tuple[str, int]],
    amount: int,
    payee: str | None,
    out: RawTrace,
) -> None:
    """Mark the victim's payment as theirs, out of the part of it nobody else claims.

    If the report says more was lost than the payment carries, the excess is unexplained.
    """
    free = max(amount - sum(carried.values()), 0)
    for report_id, pence in reports:
        marked = min(pence, free)
        free -= marked
        if marked:
            carried[report_id] = carried.get(report_id, 0) + marked
        if pence > marked:
            out.unexplained[(report_id, payee)] += pence - marked


def _check(rule: TracingRule, account: int, balance: int) -> None:
    held = sum(rule.taint_of(account).values())
    if held > balance and not rule.upper_bound:
        raise InvariantError(f"account #{account} holds {held} tainted pence > balance {balance}")
