"""PSI queries against a store: open sessions, the query log, the per-partner cap, the hits.

Every step writes a `psi_query_log` row. The responder refuses a partner that has used its
cap of queries or values in the period, and logs the refusal too: probing shows in the log.
Messages leave signed by this organisation's key and are read only once the sender's
signature and the addressing verify (`psi_auth`), so the cap counts the partner that really
asked; a request answered once is refused if it comes again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.share.keys import OrgKeys
from fraudnet.share.psi import (
    PsiResult,
    PsiSession,
    answer_request,
    check_response_parts,
    finish_request,
    parse_request,
    start_request,
)
from fraudnet.share.psi_auth import open_message, sign_message
from fraudnet.share.psi_messages import PsiHeader


class QueryCapError(FraudnetError):
    """A partner asked more than its cap allows in the period."""


@dataclass(frozen=True, slots=True)
class QueryCap:
    """At most `max_queries` answered queries and `max_values` values per partner per period."""

    max_queries: int = 10
    max_values: int = 1_000_000
    period: timedelta = timedelta(days=1)

    def check(self, used_queries: int, used_values: int, asked: int, partner: str) -> None:
        """Raise QueryCapError when answering `asked` more values would pass the cap."""
        hours = self.period.total_seconds() / 3600
        if used_queries + 1 > self.max_queries:
            raise QueryCapError(
                f"query cap reached for {partner!r}: {used_queries} of {self.max_queries} "
                f"queries already answered in the last {hours:g} h"
            )
        if used_values + asked > self.max_values:
            raise QueryCapError(
                f"value cap reached for {partner!r}: {used_values} values answered in the last "
                f"{hours:g} h, {asked} more asked, cap {self.max_values}"
            )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _log_row(header: PsiHeader, role: str, partner: str, **sizes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "session_id": header.session_id,
        "role": role,
        "partner": partner,
        "kind": header.kind,
        "mode": header.mode,
        "logged_at": _now(),
    }
    return row | sizes


def send_request(
    engine: Engine, keys: OrgKeys, partner: str, kind: str, values: list[str], mode: str
) -> bytes:
    """Start a query: keep the session in the store, log it, return the signed request."""
    session, message = start_request(keys.org, partner, kind, values, mode)
    row = session.to_row() | {"created_at": _now()}
    log = {
        "session_id": session.session_id,
        "role": "request",
        "partner": partner,
        "kind": kind,
        "mode": mode,
        "logged_at": row["created_at"],
        "set_size": len(values),
    }
    engine.commit(
        appends={
            "psi_sessions": pa.Table.from_pylist([row]),
            "psi_query_log": pa.Table.from_pylist([log]),
        }
    )
    return sign_message(message, "request", keys)


def used_by(engine: Engine, partner: str, since: datetime) -> tuple[int, int]:
    """Queries and values this store answered for `partner` since `since`."""
    rows = engine.table("psi_query_log").to_pylist()
    answered = [
        r
        for r in rows
        if r["role"] == "respond"
        and r["partner"] == partner
        and r["refused"] is None
        and r["logged_at"] >= since
    ]
    return len(answered), sum(r["partner_set_size"] or 0 for r in answered)


def read_signed_request(message: bytes, keys: OrgKeys, source: str) -> PsiHeader:
    """The header of a request for this organisation, once its signature verifies."""
    return open_message(message, "request", keys, source)[0]


def respond(
    engine: Engine,
    keys: OrgKeys,
    message: bytes,
    source: str,
    partner: str,
    values: list[str],
    cap: QueryCap,
    allow_intersection: bool,
) -> bytes:
    """Answer a partner's signed request within its cap; intersection only when allowed."""
    header, parts = open_message(message, "request", keys, source)
    request = parse_request(header, parts, source)
    _check_sender(header, partner, source)
    asked = len(request.encrypted_elements)
    log = _log_row(header, "respond", partner, set_size=len(values), partner_set_size=asked)
    try:
        _check_not_answered(engine, header, source)
        _check_mode_allowed(header.mode, allow_intersection, partner)
        cap.check(*used_by(engine, partner, _now() - cap.period), asked, partner)
    except FraudnetError as err:
        engine.append("psi_query_log", pa.Table.from_pylist([log | {"refused": err.message}]))
        raise
    answer = answer_request(header, request, keys.org, values, header.mode)
    engine.append("psi_query_log", pa.Table.from_pylist([log]))
    return sign_message(answer, "response", keys)


def _check_not_answered(engine: Engine, header: PsiHeader, source: str) -> None:
    """A replayed request would cost the partner a query and tell the replayer nothing new."""
    rows = engine.table("psi_query_log").to_pylist()
    if any(
        r["session_id"] == header.session_id and r["role"] == "respond" and r["refused"] is None
        for r in rows
    ):
        raise FraudnetError(
            f"refused: PSI request {header.session_id} from {header.sender!r} was answered "
            "already (a replay)",
            file=source,
        )


def _check_mode_allowed(mode: str, allow_intersection: bool, partner: str) -> None:
    """The client fixes the mode in its request, so a responder can only refuse, not downgrade."""
    if mode == "intersection" and not allow_intersection:
        raise FraudnetError(
            f"{partner!r} asked which values match; this store answers how many only "
            "(ask again with --mode cardinality, or respond with --allow-intersection)"
        )


def _check_sender(header: PsiHeader, partner: str, source: str) -> None:
    if header.sender != partner:
        raise FraudnetError(
            f"request says it is from {header.sender!r}, expected {partner!r}", file=source
        )


def finish(engine: Engine, keys: OrgKeys, message: bytes, source: str) -> PsiResult:
    """Read the signed answer to this store's own request: log it, keep the hits, close."""
    header, parts = open_message(message, "response", keys, source)
    check_response_parts(parts, source)
    sessions = engine.table("psi_sessions").to_pylist()
    open_rows = [r for r in sessions if r["session_id"] == header.session_id]
    if not open_rows:
        raise FraudnetError(
            f"no open PSI session {header.session_id!r} in this store (finished already?)",
            file=source,
        )
    result = finish_request(PsiSession.from_row(open_rows[0], keys.org), header, parts, source)
    _record_finish(engine, header, result, [r for r in sessions if r not in open_rows])
    return result


def _record_finish(
    engine: Engine, header: PsiHeader, result: PsiResult, remaining: list[dict[str, object]]
) -> None:
    log = _log_row(
        header,
        "finish",
        result.partner,
        set_size=result.set_size,
        partner_set_size=result.partner_set_size,
        result_size=result.matched_count,
    )
    matches = [
        {
            "session_id": result.session_id,
            "partner": result.partner,
            "kind": result.kind,
            "value": value,
            "matched_at": log["logged_at"],
        }
        for value in result.matched_values or ()
    ]
    appends = {"psi_query_log": pa.Table.from_pylist([log])}
    if matches:
        appends["psi_matches"] = pa.Table.from_pylist(matches)
    engine.commit(appends=appends, replaces={"psi_sessions": _sessions_table(engine, remaining)})


def _sessions_table(engine: Engine, rows: list[dict[str, object]]) -> pa.Table:
    schema = engine.table("psi_sessions").schema
    return pa.Table.from_pylist(rows, schema=schema)
