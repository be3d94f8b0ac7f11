"""Analysts' decisions that stick: a mule confirmed or rejected becomes a `labels` row (source
`analyst`, who and when), which the next `detect` trains on; an entity merge accepted or split
becomes a `link_judgements` row, which the next `resolve` respects.

Each decision and its audit entry are one commit: both are stored or neither.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.resolve.judgements import NEGATIVE, POSITIVE, judgement_row
from fraudnet.schema import get_table
from fraudnet.workspace import audit
from fraudnet.workspace.audit import AuditEntry
from fraudnet.workspace.guard import literal, now_utc, require
from fraudnet.workspace.permissions import DECIDE

MULE_VERDICTS = {"confirm": "mule", "reject": "legitimate"}
MERGE_VERDICTS = {"accept": POSITIVE, "split": NEGATIVE}


def decide_mule(
    engine: Engine,
    user_id: str,
    account_id: str,
    verdict: str,
    reason: str,
    network_id: str | None = None,
) -> tuple[dict[str, Any], AuditEntry]:
    """Confirm (`mule`) or reject (`legitimate`) an account; the label row and audit entry."""
    who = require(engine, user_id, DECIDE)
    if verdict not in MULE_VERDICTS:
        raise InvalidValueError(f"verdict must be confirm or reject, not {verdict!r}")
    if not reason.strip():
        raise InvalidValueError("a decision needs a reason", field="reason")
    acc = literal(account_id, "account_id")
    known = engine.sql(
        f"SELECT 1 FROM accounts WHERE account_id = {acc} UNION ALL SELECT 1 FROM transactions "
        f"WHERE src_account = {acc} OR dst_account = {acc} LIMIT 1"
    )
    if not known.num_rows:
        raise KeyError(f"no account {account_id!r} in this store")
    if network_id is not None:
        nid = literal(network_id, "network_id")
        if not engine.sql(f"SELECT 1 FROM networks WHERE network_id = {nid}").num_rows:
            raise KeyError(f"no network {network_id!r} in this store")
    row = {
        "subject": account_id,
        "label": MULE_VERDICTS[verdict],
        "network_id": network_id,
        "source": "analyst",
        "decided_by": who.user_id,
        "decided_at": now_utc(),
    }
    labels = pa.Table.from_pylist([row]).select(get_table("labels").column_names)
    detail = {"verdict": verdict, "label": row["label"], "network_id": network_id}
    entry = audit.record(
        engine, who.user_id, f"decide_mule_{verdict}", account_id, reason, detail,
        appends={"labels": labels},
    )  # fmt: skip
    return row, entry


def decide_merge(
    engine: Engine, user_id: str, party_l: str, party_r: str, verdict: str, reason: str
) -> tuple[dict[str, object], AuditEntry]:
    """Accept (POSITIVE: same entity) or split (NEGATIVE: never the same) a pair of parties."""
    who = require(engine, user_id, DECIDE)
    if verdict not in MERGE_VERDICTS:
        raise InvalidValueError(f"verdict must be accept or split, not {verdict!r}")
    if not reason.strip():
        raise InvalidValueError("a decision needs a reason", field="reason")
    for field, value in (("party_id_l", party_l), ("party_id_r", party_r)):
        literal(value, field)
    row = judgement_row(
        engine, party_l, party_r, MERGE_VERDICTS[verdict], who.user_id, reason, now_utc()
    )
    written = pa.Table.from_pylist([row]).select(get_table("link_judgements").column_names)
    subject = f"{row['party_id_l']}|{row['party_id_r']}"
    detail = {"verdict": verdict, "judgement": row["judgement"]}
    entry = audit.record(
        engine, who.user_id, f"decide_merge_{verdict}", subject, reason, detail,
        appends={"link_judgements": written},
    )  # fmt: skip
    return row, entry


__all__ = ["MERGE_VERDICTS", "MULE_VERDICTS", "decide_merge", "decide_mule"]
