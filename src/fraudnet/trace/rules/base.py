"""The rule interface and its registry (a subclass registers itself under its `name`)."""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping
from typing import ClassVar

_REGISTRY: dict[str, type[TracingRule]] = {}


class TracingRule(abc.ABC):
    """Per-account tainted state under one legal rule; amounts are integer pence.

    The engine calls `debit` for every payment out of an account that `holds_taint`, in
    global time order, and `credit` for every payment that carries taint in. Positions are
    precomputed per leg: `balance_*` is the known balance (never below zero), `out_*` and
    `in_before` are positions on the account's running total of money in (first-in order).
    """

    name: ClassVar[str] = ""
    upper_bound: ClassVar[bool] = False
    """True for rules whose amounts overlap between victims and must never be summed."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            _REGISTRY[cls.name] = cls

    def __init__(self, report_amounts: Mapping[str, int]) -> None:
        self.report_amounts = dict(report_amounts)

    @abc.abstractmethod
    def holds_taint(self, account: int) -> bool:
        """Whether the account holds any tainted money now."""

    @abc.abstractmethod
    def debit(
        self,
        account: int,
        amount: int,
        balance_before: int,
        balance_after: int,
        out_before: int,
        out_after: int,
    ) -> dict[str, int]:
        """Remove what this payment carries out; return it per origin (report id)."""

    @abc.abstractmethod
    def credit(
        self,
        account: int,
        taint: Mapping[str, int],
        amount: int,
        balance_before: int,
        in_before: int,
    ) -> None:
        """Place an incoming payment of `amount` carrying `taint` in the account."""

    @abc.abstractmethod
    def taint_of(self, account: int) -> dict[str, int]:
        """What the account holds now, per origin."""

    @abc.abstractmethod
    def tainted_accounts(self) -> Iterator[int]:
        """Every account holding taint now."""


def get_rule(name: str) -> type[TracingRule]:
    """The rule class registered as `name`, with the known names in the error."""
    if name not in _REGISTRY:
        known = ", ".join(rule_names())
        raise KeyError(f"unknown tracing rule {name!r}; known rules: {known}")
    return _REGISTRY[name]


def rule_names() -> list[str]:
    return sorted(_REGISTRY)
