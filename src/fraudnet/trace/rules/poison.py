"""Poison: any taint taints the whole payment (an upper bound)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from fraudnet.trace.rules.pooled import PooledRule


class Poison(PooledRule):
    """Poison ("taint everything it touches"): a payment out of an account holding any
    of a victim's money carries that victim's taint on the whole payment (capped at the
    reported loss); what stays is capped by the balance (lowest intermediate balance).

    Not a rule of English law for proprietary claims; it mirrors the "all-encompassing"
    view of criminal property in the Proceeds of Crime Act 2002, s.340 (property is
    criminal if it is *in whole or part* a benefit from crime) and the poison / haircut
    contrast in blockchain-tracing literature. It is an UPPER BOUND on where each victim's
    money could be: victims overlap, amounts are never conserved, and they must never be
    summed as recoverable.
    """

    name: ClassVar[str] = "poison"
    upper_bound: ClassVar[bool] = True

    def debit(
        self,
        account: int,
        amount: int,
        balance_before: int,
        balance_after: int,
        out_before: int,
        out_after: int,
    ) -> dict[str, int]:
        pool = self._pools[account]
        carried = {o: min(amount, self.report_amounts[o]) for o in pool}
        for origin in list(pool):
            kept = min(pool[origin], balance_after)
            if kept:
                pool[origin] = kept
            else:
                del pool[origin]
        self._settle(account)
        return carried

    def credit(
        self,
        account: int,
        taint: Mapping[str, int],
        amount: int,
        balance_before: int,
        in_before: int,
    ) -> None:
        pool = self._pools.setdefault(account, {})
        for origin, pence in taint.items():
            pool[origin] = min(pool.get(origin, 0) + pence, self.report_amounts[origin])
