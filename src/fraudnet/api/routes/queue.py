"""GET /api/alerts: the alert queue with reasons, sortable and paged."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from fraudnet.api.auth import CallerDep
from fraudnet.api.convert import rows
from fraudnet.api.models import Alert, AlertPage
from fraudnet.workspace.queue import MAX_PAGE_SIZE, alert_queue, split_reasons

router = APIRouter(prefix="/api", tags=["queue"])


@router.get("/alerts", response_model=AlertPage)
def alerts(
    caller: CallerDep,
    sort: Literal["rank", "score", "account_id", "alert_day"] = "rank",
    order: Literal["asc", "desc"] = "asc",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    day: date | None = None,
) -> AlertPage:
    """The newest detect run's alerts with reasons in plain words and the latest decision."""
    found = alert_queue(caller.engine, caller.user_id, sort, order == "desc", page, page_size, day)
    items = [Alert(**{**r, "reasons": split_reasons(r["reasons"])}) for r in rows(found.items)]
    return AlertPage(total=found.total, page=found.page, page_size=found.page_size, items=items)
