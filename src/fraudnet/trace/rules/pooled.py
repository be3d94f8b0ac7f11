"""Shared state for the rules that see an account as one pool (pro rata, Hallett, poison)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from fraudnet.trace.money import add_into
from fraudnet.trace.rules.base import TracingRule


class PooledRule(TracingRule):
    """An account is a pool: per-origin tainted pence, the rest of its balance clean."""

    def __init__(self, report_amounts: Mapping[str, int]) -> None:
        super().__init__(report_amounts)
        self._pools: dict[int, dict[str, int]] = {}

    def holds_taint(self, account: int) -> bool:
        return account in self._pools

    def credit(
        self,
        account: int,
        taint: Mapping[str, int],
        amount: int,
        balance_before: int,
        in_before: int,
    ) -> None:
        add_into(self._pools.setdefault(account, {}), taint)

    def taint_of(self, account: int) -> dict[str, int]:
        return dict(self._pools.get(account, {}))

    def tainted_accounts(self) -> Iterator[int]:
        return iter(list(self._pools))

    def _settle(self, account: int) -> None:
        if not self._pools[account]:
            del self._pools[account]
