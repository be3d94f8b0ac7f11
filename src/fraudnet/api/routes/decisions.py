"""Decisions: confirm or reject a mule (labels), accept or split an entity merge (judgements)."""

from __future__ import annotations

from fastapi import APIRouter

from fraudnet.api.auth import CallerDep
from fraudnet.api.convert import row
from fraudnet.api.models import DecisionResult, MergeDecision, MuleDecision
from fraudnet.workspace.decisions import decide_merge, decide_mule

router = APIRouter(prefix="/api/decisions", tags=["decisions"])


@router.post("/mule", response_model=DecisionResult)
def mule(caller: CallerDep, body: MuleDecision) -> DecisionResult:
    """Confirm (label `mule`) or reject (`legitimate`) an account; the next detect trains on it."""
    engine, user = caller.engine, caller.user_id
    written, entry = caller.settings.handle.write(
        lambda: decide_mule(
            engine, user, body.account_id, body.verdict, body.reason, body.network_id
        )
    )
    return DecisionResult(written=row(written), audit_seq=entry.seq)


@router.post("/merge", response_model=DecisionResult)
def merge(caller: CallerDep, body: MergeDecision) -> DecisionResult:
    """Accept (POSITIVE) or split (NEGATIVE) two parties; the next resolve respects it."""
    engine, user = caller.engine, caller.user_id
    written, entry = caller.settings.handle.write(
        lambda: decide_merge(
            engine, user, body.party_id_l, body.party_id_r, body.verdict, body.reason
        )
    )
    return DecisionResult(written=row(written), audit_seq=entry.seq)
