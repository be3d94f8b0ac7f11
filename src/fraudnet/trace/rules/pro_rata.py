"""Pro rata: the rolling charge of Barlow Clowes v Vaughan."""

from __future__ import annotations

from typing import ClassVar

from fraudnet.trace.money import split, subtract_from
from fraudnet.trace.rules.pooled import PooledRule


class ProRata(PooledRule):
    """Pro rata ("rolling charge"): every payment out carries each origin, clean included,
    in proportion to its share of the balance just before the payment.

    Legal source: Barlow Clowes International v Vaughan [1992] 4 All ER 22 (CA), where
    Clayton's Case was displaced as impracticable or unjust and the victims shared
    rateably; Woolf LJ described the rolling charge. Clean top-ups dilute later payments
    but never restore taint that has left (Roscoe v Winder [1915] 1 Ch 62).
    """

    name: ClassVar[str] = "pro_rata"

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
        carried = split(min(amount, balance_before), pool, balance_before)
        subtract_from(pool, carried)
        self._settle(account)
        return carried
