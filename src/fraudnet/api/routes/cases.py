"""Cases, case notes, shares with partners, and the packages a partner can read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from fraudnet.api.auth import CallerDep
from fraudnet.api.convert import row, rows
from fraudnet.api.models import (
    CaseList,
    CaseSummary,
    CaseView,
    ExportRequest,
    NewCase,
    NewNote,
    NewShare,
    Note,
    Share,
    SharedPackage,
    SharedPackageList,
    SharedPackageView,
    Written,
)
from fraudnet.workspace.cases import (
    add_note,
    get_case,
    list_cases,
    open_case,
    read_package,
    share_case,
    shared_packages,
)
from fraudnet.workspace.exports import export_report

router = APIRouter(prefix="/api", tags=["cases"])

Id = Annotated[str, Path(min_length=1, max_length=200)]


@router.get("/cases", response_model=CaseList)
def cases(caller: CallerDep) -> CaseList:
    """Your organisation's cases, newest first."""
    found = list_cases(caller.engine, caller.user_id)
    return CaseList(items=[CaseSummary(**r) for r in rows(found)])


@router.post("/cases", response_model=Written)
def new_case(caller: CallerDep, body: NewCase) -> Written:
    """Open a case owned by your organisation (optionally about one network)."""
    engine, user = caller.engine, caller.user_id
    written, entry = caller.settings.handle.write(
        lambda: open_case(engine, user, body.title, body.reason, body.network_id)
    )
    return Written(id=str(written["case_id"]), audit_seq=entry.seq)


@router.get("/cases/{case_id}", response_model=CaseView)
def case(caller: CallerDep, case_id: Id) -> CaseView:
    """A case of your organisation with its notes and shares (others: 403, audited)."""
    engine, user = caller.engine, caller.user_id
    found = caller.settings.handle.write(lambda: get_case(engine, user, case_id))
    return CaseView(
        case=CaseSummary(**row(found.case)),
        notes=[Note(**r) for r in rows(found.notes)],
        shares=[Share(**r) for r in rows(found.shares)],
    )


@router.post("/cases/{case_id}/notes", response_model=Written)
def note(caller: CallerDep, case_id: Id, body: NewNote) -> Written:
    """Append a note to a case."""
    engine, user = caller.engine, caller.user_id
    written, entry = caller.settings.handle.write(
        lambda: add_note(engine, user, case_id, body.text)
    )
    return Written(id=str(written["note_id"]), audit_seq=entry.seq)


@router.post("/cases/{case_id}/shares", response_model=Written)
def share(caller: CallerDep, case_id: Id, body: NewShare) -> Written:
    """Share a snapshot of the case (nothing personal) with a partner organisation."""
    engine, user = caller.engine, caller.user_id
    written, entry = caller.settings.handle.write(
        lambda: share_case(engine, user, case_id, body.partner, body.reason)
    )
    return Written(id=str(written["share_id"]), audit_seq=entry.seq)


@router.get("/shared", response_model=SharedPackageList)
def shared(caller: CallerDep) -> SharedPackageList:
    """Partners: the packages shared with your organisation."""
    found = shared_packages(caller.engine, caller.user_id)
    return SharedPackageList(items=[SharedPackage(**r) for r in rows(found)])


@router.get("/shared/{share_id}", response_model=SharedPackageView)
def package(caller: CallerDep, share_id: Id) -> SharedPackageView:
    """Partners: one package shared with your organisation (any other id: 404)."""
    return SharedPackageView(**row(read_package(caller.engine, caller.user_id, share_id)))


@router.post(
    "/networks/{network_id}/export",
    response_class=Response,
    responses={200: {"content": {"text/html": {}, "application/pdf": {}}}},
)
def export(caller: CallerDep, network_id: Id, body: ExportRequest) -> Response:
    """The network's intelligence report as HTML or PDF, redacted unless asked (audited)."""
    engine, user = caller.engine, caller.user_id
    done = caller.settings.handle.write(
        lambda: export_report(engine, user, network_id, body.format, body.reason, body.redact)
    )
    disposition = f'attachment; filename="{done.filename}"'
    headers = {"content-disposition": disposition, "x-audit-seq": str(done.entry.seq)}
    return Response(done.content, media_type=done.media_type, headers=headers)
