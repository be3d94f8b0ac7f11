"""PSI queries against a store: open sessions, the query log, the per-partner cap, the hits.

Every step writes a `psi_query_log` row. The responder refuses a partner that has used its
cap of queries or values in the period, and logs the refusal too: probing shows in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.share.psi import (
    PsiResult,
    PsiSession,
    answer_request,
    finish_request,
    read_request,
    read_response,
    start_request,
)
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
    engine: Engine, me: str, partner: str, kind: str, values: list[str], mode: str
) -> bytes:
    """Start a query: keep the session in the store, log it, return the request bytes."""
    session, message = start_request(me, partner, kind, values, mode)
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
    return message


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


def respond(
    engine: Engine,
    me: str,
    message: bytes,
    source: str,
    partner: str,
    values: list[str],
    cap: QueryCap,
    allow_intersection: bool,
) -> bytes:
    """Answer a partner's request within its cap; intersection only when allowed."""
    header, request = read_request(message, source)
    _check_addressing(header, me, partner, source)
    asked = len(request.encrypted_elements)
    log = _log_row(header, "respond", partner, set_size=len(values), partner_set_size=asked)
    try:
        _check_mode_allowed(header.mode, allow_intersection, partner)
        cap.check(*used_by(engine, partner, _now() - cap.period), asked, partner)
    except FraudnetError as err:
        engine.append("psi_query_log", pa.Table.from_pylist([log | {"refused": err.message}]))
        raise
    answer = answer_request(header, request, me, values, header.mode)
    engine.append("psi_query_log", pa.Table.from_pylist([log]))
    return answer


def _check_mode_allowed(mode: str, allow_intersection: bool, partner: str) -> None:
    """The client fixes the mode in its request, so a responder can only refuse, not downgrade."""
    if mode == "intersection" and not allow_intersection:
        raise FraudnetError(
            f"{partner!r} asked which values match; this store answers how many only "
            "(ask again with --mode cardinality, or respond with --allow-intersection)"
        )


def _check_addressing(header: PsiHeader, me: str, partner: str, source: str) -> None:
    if header.recipient != me:
        raise FraudnetError(
            f"request is addressed to {header.recipient!r}, not {me!r}", file=source
        )
    if header.sender != partner:
        raise FraudnetError(
            f"request says it is from {header.sender!r}, expected {partner!r}", file=source
        )


def finish(engine: Engine, me: str, message: bytes, source: str) -> PsiResult:
    """Read the answer to this store's own request: log it, keep the hits, close the session."""
    header, parts = read_response(message, source)
    sessions = engine.table("psi_sessions").to_pylist()
    open_rows = [r for r in sessions if r["session_id"] == header.session_id]
    if not open_rows:
        raise FraudnetError(
            f"no open PSI session {header.session_id!r} in this store (finished already?)",
            file=source,
        )
    result = finish_request(PsiSession.from_row(open_rows[0], me), header, parts, source)
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
