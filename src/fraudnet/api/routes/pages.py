"""Account, party, entity and network pages."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from fraudnet.api.auth import CallerDep
from fraudnet.api.convert import row, rows
from fraudnet.api.models import (
    AccountView,
    EntityView,
    NetworkList,
    NetworkSummary,
    NetworkView,
    PartyView,
    Role,
)
from fraudnet.workspace.pages import account_page, entity_page, list_networks, network_page
from fraudnet.workspace.reads import read_party

router = APIRouter(prefix="/api", tags=["pages"])

Id = Annotated[str, Path(min_length=1, max_length=200)]
ReasonQuery = Annotated[
    str, Query(min_length=1, max_length=2000, description="Why you need this person's details.")
]


def _summary(values: dict[str, Any]) -> NetworkSummary:
    shape = values.get("typology_payments")
    return NetworkSummary(**{**values, "typology_payments": json.loads(shape) if shape else []})


def _roles(table_rows: list[dict[str, Any]]) -> list[Role]:
    return [Role(**{**r, "evidence": json.loads(r["evidence"])}) for r in table_rows]


@router.get("/accounts/{account_id}", response_model=AccountView)
def account(caller: CallerDep, account_id: Id) -> AccountView:
    """An account: scores with reasons, alerts, analyst decisions, network roles, totals."""
    page = account_page(caller.engine, caller.user_id, account_id)
    return AccountView(
        account=row(page.account),
        scores=rows(page.scores),
        alerts=rows(page.alerts),
        decisions=rows(page.decisions),
        roles=_roles(rows(page.roles)),
        payments=row(page.payments),
    )


@router.get("/parties/{party_id}", response_model=PartyView)
def party(caller: CallerDep, party_id: Id, reason: ReasonQuery) -> PartyView:
    """A person's or organisation's details: audited with your reason (refusals too)."""
    engine, user = caller.engine, caller.user_id
    found = caller.settings.handle.write(lambda: read_party(engine, user, party_id, reason))
    return PartyView(party=row(found))


@router.get("/entities/{entity_id}", response_model=EntityView)
def entity(caller: CallerDep, entity_id: Id, reason: ReasonQuery) -> EntityView:
    """A resolved entity: its member parties' details and the links that joined them (audited)."""
    engine, user = caller.engine, caller.user_id
    page = caller.settings.handle.write(lambda: entity_page(engine, user, entity_id, reason))
    return EntityView(entity_id=page.entity_id, members=rows(page.members), links=rows(page.links))


@router.get("/networks", response_model=NetworkList)
def networks(
    caller: CallerDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> NetworkList:
    """The networks found, best ranked first."""
    total, found = list_networks(caller.engine, caller.user_id, page, page_size)
    return NetworkList(total=total, items=[_summary(r) for r in rows(found)])


@router.get("/networks/{network_id}", response_model=NetworkView)
def network(caller: CallerDep, network_id: Id) -> NetworkView:
    """A network: its summary and every member's role with the evidence behind it."""
    page = network_page(caller.engine, caller.user_id, network_id)
    return NetworkView(network=_summary(row(page.network)), members=_roles(rows(page.roles)))
