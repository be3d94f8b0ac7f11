"""k-hop expansion, the path between two accounts, and the money timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from fraudnet.api.auth import CallerDep
from fraudnet.api.convert import rows
from fraudnet.api.models import Expansion, MoneyPathView, Node, PathStep, Payment, TimelineView
from fraudnet.workspace.explore import (
    MAX_HOPS,
    MAX_PATH_HOPS,
    MAX_TIMELINE,
    money_path,
    money_timeline,
)
from fraudnet.workspace.explore import expand as expand_subject

router = APIRouter(prefix="/api", tags=["explore"])

Id = Annotated[str, Query(min_length=1, max_length=200)]
OptionalId = Annotated[str | None, Query(min_length=1, max_length=200)]


@router.get("/graph/expand", response_model=Expansion)
def expand(
    caller: CallerDep,
    subject: Id,
    hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 1,
    max_nodes: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> Expansion:
    """Accounts within `hops` payments or shared devices/IPs of an account or party."""
    found = expand_subject(caller.engine, caller.user_id, subject, hops, max_nodes)
    return Expansion(subject=subject, hops=hops, nodes=[Node(**r) for r in rows(found)])


@router.get("/graph/path", response_model=MoneyPathView)
def path(
    caller: CallerDep,
    source: Id,
    target: Id,
    kind: Literal["strongest", "shortest"] = "strongest",
    max_hops: Annotated[int, Query(ge=1, le=MAX_PATH_HOPS)] = 6,
) -> MoneyPathView:
    """The strongest (largest bottleneck) or shortest money path from one account to another."""
    found = money_path(caller.engine, caller.user_id, source, target, kind, max_hops)
    return MoneyPathView(
        kind=kind,
        source=source,
        target=target,
        found=bool(found.accounts),
        accounts=found.accounts,
        bottleneck=found.bottleneck,
        payments=[PathStep(**r) for r in rows(found.payments)] if found.accounts else [],
    )


@router.get("/timeline", response_model=TimelineView)
def timeline(
    caller: CallerDep,
    account_id: OptionalId = None,
    network_id: OptionalId = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_TIMELINE)] = 2000,
) -> TimelineView:
    """Payments in time order for one account or a network's member accounts."""
    found = money_timeline(caller.engine, caller.user_id, account_id, network_id, start, end, limit)
    return TimelineView(
        account_id=account_id,
        network_id=network_id,
        truncated=found.truncated,
        payments=[Payment(**r) for r in rows(found.payments)],
    )
