"""Last in, first out."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from fraudnet.trace.money import add_into, split, subtract_from
from fraudnet.trace.rules.base import TracingRule

Lot = list  # [bottom, top, taint]: the heights of one payment's unspent part in the balance


class Lifo(TracingRule):
    """Last in, first out: each payment out spends the most recent money first.

    Legal source: no English authority makes LIFO the rule; it is the mirror of Clayton's
    Case and one of the alternatives the Court of Appeal weighed in Barlow Clowes
    International v Vaughan [1992] 4 All ER 22 (and is used in some US and Canadian
    tracing). Lots stack on the balance: an incoming payment sits at heights
    [balance before, balance after); a payment out removes everything above the new balance.
    Money that left never comes back, so the lowest intermediate balance caps the taint
    (Roscoe v Winder [1915] 1 Ch 62).
    """

    name: ClassVar[str] = "lifo"

    def __init__(self, report_amounts: Mapping[str, int]) -> None:
        super().__init__(report_amounts)
        self._stacks: dict[int, list[Lot]] = {}

    def holds_taint(self, account: int) -> bool:
        return account in self._stacks

    def debit(
        self,
        account: int,
        amount: int,
        balance_before: int,
        balance_after: int,
        out_before: int,
        out_after: int,
    ) -> dict[str, int]:
        stack = self._stacks[account]
        carried: dict[str, int] = {}
        while stack and stack[-1][1] > balance_after:
            lot = stack[-1]
            bottom, top, taint = lot
            kept_to = max(bottom, balance_after)
            pieces = split(top - kept_to, taint, top - bottom)
            add_into(carried, pieces)
            subtract_from(taint, pieces)
            if kept_to <= bottom or not taint:
                stack.pop()
            else:
                lot[1] = kept_to
        if not stack:
            del self._stacks[account]
        return carried

    def credit(
        self,
        account: int,
        taint: Mapping[str, int],
        amount: int,
        balance_before: int,
        in_before: int,
    ) -> None:
        lot: Lot = [balance_before, balance_before + amount, dict(taint)]
        self._stacks.setdefault(account, []).append(lot)

    def taint_of(self, account: int) -> dict[str, int]:
        held: dict[str, int] = {}
        for lot in self._stacks.get(account, ()):
            add_into(held, lot[2])
        return held

    def tainted_accounts(self) -> Iterator[int]:
        return iter(list(self._stacks))
