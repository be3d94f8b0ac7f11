"""Analysts' judgements on pairs of parties: stored as rows, respected by every later run.

A judgement is POSITIVE (same entity: always merged), NEGATIVE (never in the same entity)
or UNSURE (no effect). Rows are only appended, with who decided and when, so the history
of decisions is kept; the latest judgement of a pair is the one in force.
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.schema.resolve import JUDGEMENTS
from fraudnet.utc import naive_utc

POSITIVE, NEGATIVE, UNSURE = JUDGEMENTS


def _ordered(party_l: str, party_r: str) -> tuple[str, str]:
    return (party_l, party_r) if party_l < party_r else (party_r, party_l)


def _known_parties(engine: Engine, ids: tuple[str, str]) -> set[str]:
    listed = pa.table({"party_id": list(ids)})
    engine.temp_table("_resolve_judged_ids", listed)
    try:
        found = engine.sql(
            "SELECT p.party_id FROM parties p JOIN _resolve_judged_ids j ON p.party_id = j.party_id"
        )
    finally:
        engine.drop_temp("_resolve_judged_ids")
    return {str(v) for v in found.column("party_id").to_pylist()}


def judge_link(
    engine: Engine,
    party_l: str,
    party_r: str,
    judgement: str,
    decided_by: str,
    reason: str | None = None,
    decided_at: datetime | None = None,
) -> dict[str, object]:
    """Record an analyst's decision on a pair of parties; returns the row written."""
    row = judgement_row(engine, party_l, party_r, judgement, decided_by, reason, decided_at)
    engine.append("link_judgements", pa.Table.from_pylist([row]))
    return row


def judgement_row(
    engine: Engine,
    party_l: str,
    party_r: str,
    judgement: str,
    decided_by: str,
    reason: str | None = None,
    decided_at: datetime | None = None,
) -> dict[str, object]:
    """The checked `link_judgements` row for a decision, not yet written (to commit it with
    something else, such as its audit entry)."""
    verdict = judgement.upper()
    if verdict not in JUDGEMENTS:
        raise InvalidValueError(
            f"judgement must be one of {', '.join(JUDGEMENTS)}, not {judgement!r}"
        )
    if party_l == party_r:
        raise InvalidValueError("a judgement needs two different parties")
    if not decided_by.strip():
        raise InvalidValueError("decided_by must name who decided")
    missing = {party_l, party_r} - _known_parties(engine, (party_l, party_r))
    if missing:
        raise InvalidValueError(f"unknown party id(s): {', '.join(sorted(missing))}")
    left, right = _ordered(party_l, party_r)
    when = naive_utc(decided_at or datetime.now(UTC))
    row: dict[str, object] = {
        "party_id_l": left,
        "party_id_r": right,
        "judgement": verdict,
        "decided_by": decided_by,
        "decided_at": when,
        "reason": reason,
    }
    return row


def latest_judgements(engine: Engine) -> pl.DataFrame:
    """The judgement in force for each judged pair (the latest; UNSURE included)."""
    frame = pl.from_arrow(engine.table("link_judgements"))
    assert isinstance(frame, pl.DataFrame)
    return (
        frame.with_row_index("_order")
        .sort("decided_at", "_order")
        .group_by("party_id_l", "party_id_r", maintain_order=True)
        .last()
        .select("party_id_l", "party_id_r", "judgement", "decided_by", "decided_at")
    )
