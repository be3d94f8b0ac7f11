"""Re Hallett's Estate: the wrongdoer spends their own money first."""

from __future__ import annotations

from typing import ClassVar

from fraudnet.trace.money import split, subtract_from
from fraudnet.trace.rules.pooled import PooledRule


class Hallett(PooledRule):
    """Hallett: a payment out spends the clean money first; only the part of it beyond
    the clean balance is tainted, and the tainted origins then leave pro rata.

    Legal source: Re Hallett's Estate (1880) 13 Ch D 696 (CA): a trustee who mixes trust
    money with their own is presumed to spend their own money first. Because the
    presumption only favours the victims, clean money paid in later does not replenish
    taint already spent (Roscoe v Winder [1915] 1 Ch 62): lowest intermediate balance.
    """

    name: ClassVar[str] = "hallett"

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
        tainted = sum(pool.values())
        clean = balance_before - tainted
        from_taint = min(amount, balance_before) - clean
        if from_taint <= 0:
            return {}
        carried = split(from_taint, pool, tainted)
        subtract_from(pool, carried)
        self._settle(account)
        return carried
