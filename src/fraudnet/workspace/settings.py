"""The team's per-day review budget, kept in the store per organisation so every analyst's
console shows the same one; changing it is audited (old and new value) in the same commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.schema import get_table
from fraudnet.workspace import audit
from fraudnet.workspace.audit import AuditEntry
from fraudnet.workspace.guard import literal, now_utc, require
from fraudnet.workspace.permissions import READ_QUEUE, SET_REVIEW_BUDGET, allowed
from fraudnet.workspace.users import get_user

MAX_BUDGET_PER_DAY = 100_000
DEFAULT_REASON = "review budget changed (no reason given)"


@dataclass(frozen=True, slots=True)
class ReviewBudget:
    """An organisation's budget (None: no budget) and who set it last, if anyone did."""

    organisation: str
    budget_per_day: int | None
    set_by: str | None = None
    set_at: datetime | None = None


def review_budget(engine: Engine, user_id: str) -> ReviewBudget:
    """The caller's organisation's budget, for anyone who may read the queue or set it."""
    may_set = allowed(get_user(engine, user_id).role, SET_REVIEW_BUDGET)
    who = require(engine, user_id, SET_REVIEW_BUDGET if may_set else READ_QUEUE)
    return _stored(engine, who.organisation)


def set_review_budget(
    engine: Engine, user_id: str, budget_per_day: object, reason: str | None = None
) -> tuple[ReviewBudget, AuditEntry]:
    """Set (or clear, with None) the caller's organisation's budget; supervisors and admins."""
    who = require(engine, user_id, SET_REVIEW_BUDGET)
    value = check_budget(budget_per_day)
    old = _stored(engine, who.organisation)
    new = ReviewBudget(who.organisation, value, who.user_id, now_utc())
    others = engine.sql(
        f"SELECT * FROM review_budgets WHERE organisation <> {literal(who.organisation)}"
    ).to_pylist()
    rows = [*others, {name: getattr(new, name) for name in ReviewBudget.__slots__}]
    table = pa.Table.from_pylist(rows, schema=_SCHEMA)
    detail = {"old": old.budget_per_day, "new": value}
    entry = audit.record(
        engine, who.user_id, "set_review_budget", who.organisation,
        (reason or "").strip() or DEFAULT_REASON, detail, replaces={"review_budgets": table},
    )  # fmt: skip
    return new, entry


def check_budget(value: object) -> int | None:
    """`value` as a budget: None, or a whole number from 1 to MAX_BUDGET_PER_DAY."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError(
            f"budget_per_day must be a whole number of alerts or null, not {value!r}",
            field="budget_per_day",
        )
    if not 1 <= value <= MAX_BUDGET_PER_DAY:
        raise InvalidValueError(
            f"budget_per_day must be from 1 to {MAX_BUDGET_PER_DAY} alerts a day, not {value}",
            field="budget_per_day",
        )
    return value


def _stored(engine: Engine, organisation: str) -> ReviewBudget:
    found = engine.sql(
        f"SELECT * FROM review_budgets WHERE organisation = {literal(organisation)}"
    ).to_pylist()
    if not found:
        return ReviewBudget(organisation, None)
    row = found[0]
    budget = row["budget_per_day"]
    return ReviewBudget(
        organisation, None if budget is None else int(budget), row["set_by"], row["set_at"]
    )


_SCHEMA = pa.schema(
    [
        ("organisation", pa.string()),
        ("budget_per_day", pa.int64()),
        ("set_by", pa.string()),
        ("set_at", pa.timestamp("us")),
    ]
)
assert [f.name for f in _SCHEMA] == get_table("review_budgets").column_names

__all__ = [
    "MAX_BUDGET_PER_DAY",
    "ReviewBudget",
    "check_budget",
    "review_budget",
    "set_review_budget",
]
