"""Workspace settings kept on the server: the team's per-day review budget."""

from __future__ import annotations

from fastapi import APIRouter

from fraudnet.api.auth import CallerDep
from fraudnet.api.convert import utc
from fraudnet.api.models import NewReviewBudget, ReviewBudget
from fraudnet.workspace import settings
from fraudnet.workspace.audit import AuditEntry

router = APIRouter(prefix="/api/settings", tags=["settings"])


def _out(found: settings.ReviewBudget, entry: AuditEntry | None = None) -> ReviewBudget:
    return ReviewBudget(
        organisation=found.organisation,
        budget_per_day=found.budget_per_day,
        set_by=found.set_by,
        set_at=utc(found.set_at),
        audit_seq=entry.seq if entry is not None else None,
    )


@router.get("/review-budget", response_model=ReviewBudget)
def review_budget(caller: CallerDep) -> ReviewBudget:
    """Your organisation's per-day review budget (null: none set); anyone who reads the queue."""
    return _out(settings.review_budget(caller.engine, caller.user_id))


@router.put("/review-budget", response_model=ReviewBudget)
def set_review_budget(caller: CallerDep, body: NewReviewBudget) -> ReviewBudget:
    """Supervisors and admins: set (or clear, with null) the budget, 1 to 100000; audited."""
    engine, user = caller.engine, caller.user_id
    found, entry = caller.settings.handle.write(
        lambda: settings.set_review_budget(engine, user, body.budget_per_day, body.reason)
    )
    return _out(found, entry)
