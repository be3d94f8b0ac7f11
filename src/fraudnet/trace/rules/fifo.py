"""First in, first out: Clayton's Case."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import ClassVar

from fraudnet.trace.money import add_into, split, subtract_from
from fraudnet.trace.rules.base import TracingRule

Lot = list  # [start, end, taint]: the unspent part of one incoming payment


class Fifo(TracingRule):
    """First in, first out: each payment out spends the oldest money in the account.

    Legal source: Devaynes v Noble, Clayton's Case (1816) 1 Mer 572, the default rule for
    an active running account in England and Wales. A lot is placed on the account's
    running total of money in; a payment out spends the interval from the running total of
    money out, so the opening balance (the oldest lot) is spent first. A lot carrying
    several origins gives them up in proportion when partly spent.
    """

    name: ClassVar[str] = "fifo"

    def __init__(self, report_amounts: Mapping[str, int]) -> None:
        super().__init__(report_amounts)
        self._lots: dict[int, deque[Lot]] = {}

    def holds_taint(self, account: int) -> bool:
        return account in self._lots

    def debit(
        self,
        account: int,
        amount: int,
        balance_before: int,
        balance_after: int,
        out_before: int,
        out_after: int,
    ) -> dict[str, int]:
        lots = self._lots[account]
        carried: dict[str, int] = {}
        while lots and lots[0][0] < out_after:
            lot = lots[0]
            start, end, taint = lot
            spent_to = min(end, out_after)
            pieces = split(spent_to - start, taint, end - start)
            add_into(carried, pieces)
            subtract_from(taint, pieces)
            if spent_to >= end or not taint:
                lots.popleft()
            else:
                lot[0] = spent_to
        if not lots:
            del self._lots[account]
        return carried

    def credit(
        self,
        account: int,
        taint: Mapping[str, int],
        amount: int,
        balance_before: int,
        in_before: int,
    ) -> None:
        lot: Lot = [in_before, in_before + amount, dict(taint)]
        self._lots.setdefault(account, deque()).append(lot)

    def taint_of(self, account: int) -> dict[str, int]:
        held: dict[str, int] = {}
        for lot in self._lots.get(account, ()):
            add_into(held, lot[2])
        return held

    def tainted_accounts(self) -> Iterator[int]:
        return iter(list(self._lots))
