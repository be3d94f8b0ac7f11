"""How amounts are written: one rule per file, registered by name, never guessed per value.

A rule names its decimal mark and its thousands separator. An amount is an optional sign,
an optional currency sign (£ $ €, before or after), whole units written plainly or in
valid groups of three, and optional decimals. Text that this rule cannot read but the
other rule can (`12,50` or `1.250,50` under `point`) is *ambiguous* and quarantined, not
guessed. More than two decimals are kept only when the extra digits are zeros: `0.005`
is a *sub-penny* amount and quarantined, never rounded.
"""

from __future__ import annotations

from typing import ClassVar

AMOUNT_RULES: dict[str, type[AmountRule]] = {}
PLAIN = "^-?[0-9]{1,16}([.][0-9]{1,2})?$"
"""The common case, read by a plain cast in every rule that uses '.' as the decimal mark."""


class AmountRule:
    """A locale's way of writing amounts; subclasses register themselves by `name`."""

    name: ClassVar[str]
    decimal_mark: ClassVar[str]
    group_mark: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        AMOUNT_RULES[cls.name] = cls

    @classmethod
    def pattern(cls) -> str:
        """Groups: 1 sign before the currency sign, 2 sign after it, 3 units, 4 decimals."""
        group, decimal = f"[{cls.group_mark}]", f"[{cls.decimal_mark}]"
        units = f"([0-9]+|[0-9]{{1,3}}(?:{group}[0-9]{{3}})+)"
        return f"^([+-]?) ?[£$€]? ?([+-]?){units}(?:{decimal}([0-9]+))? ?[£$€]?$"

    @classmethod
    def other(cls) -> type[AmountRule]:
        return next(r for r in AMOUNT_RULES.values() if r.decimal_mark != cls.decimal_mark)


class PointDecimal(AmountRule):
    """`1,250.50`: '.' marks decimals, ',' separates thousands (UK, US)."""

    name: ClassVar[str] = "point"
    decimal_mark: ClassVar[str] = "."
    group_mark: ClassVar[str] = ","


class CommaDecimal(AmountRule):
    """`1.250,50`: ',' marks decimals, '.' separates thousands (most of continental Europe)."""

    name: ClassVar[str] = "comma"
    decimal_mark: ClassVar[str] = ","
    group_mark: ClassVar[str] = "."


def amount_sql(rule: type[AmountRule], raw: str) -> str:
    """DECIMAL(18,2) from text under `rule`; NULL where the rule cannot read it exactly."""
    pattern = f"'{rule.pattern()}'"

    def part(n: int) -> str:
        return f"REGEXP_EXTRACT({raw}, {pattern}, {n})"

    signs = f"{part(1)} || {part(2)}"
    units = f"REPLACE({part(3)}, '{rule.group_mark}', '')"
    decimals = part(4)
    exact = (
        f"REGEXP_MATCHES({raw}, {pattern}) AND LENGTH({signs}) <= 1 "
        f"AND NOT REGEXP_MATCHES({decimals}, '^[0-9]{{2}}[0-9]*[1-9]')"
    )
    value = f"{signs} || {units} || '.' || SUBSTRING({decimals} || '00', 1, 2)"
    slow = f"(CASE WHEN {exact} THEN TRY_CAST({value} AS DECIMAL(18,2)) END)"
    if rule.decimal_mark == ".":
        return (
            f"(CASE WHEN REGEXP_MATCHES({raw}, '{PLAIN}') THEN TRY_CAST({raw} AS DECIMAL(18,2)) "
            f"ELSE {slow} END)"
        )
    return slow


def sub_penny_sql(rule: type[AmountRule], raw: str) -> str:
    """True where the text is a well-formed amount with non-zero digits past the penny."""
    pattern = f"'{rule.pattern()}'"
    decimals = f"REGEXP_EXTRACT({raw}, {pattern}, 4)"
    extra = f"REGEXP_MATCHES({decimals}, '^[0-9]{{2}}[0-9]*[1-9]')"
    return f"(REGEXP_MATCHES({raw}, {pattern}) AND {extra})"


def ambiguous_sql(rule: type[AmountRule], raw: str) -> str:
    """True where this rule cannot read the text but the other rule can."""
    return (
        f"(NOT REGEXP_MATCHES({raw}, '{rule.pattern()}') "
        f"AND REGEXP_MATCHES({raw}, '{rule.other().pattern()}'))"
    )
