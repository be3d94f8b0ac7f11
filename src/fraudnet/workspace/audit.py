"""The append-only, hash-chained audit log and the keyed anchor on its head.

Entry n's hash is SHA-256 over a canonical JSON serialisation of its fields, its `prev_hash`
(entry n-1's hash) included, so changing, removing, adding or moving any entry before the head
breaks the chain at that entry. Cutting entries off the end, or recomputing every hash after a
change, leaves a consistent chain: the anchor, an HMAC of the head under a key kept outside the
store, catches those when `verify` is given the key. See docs/workspace.md for what is and
isn't detected.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from fraudnet.engine import Data, Engine
from fraudnet.errors import FraudnetError
from fraudnet.schema import get_table

GENESIS_HASH = "0" * 64
KEY_FILE_ENV = "FRAUDNET_AUDIT_KEY_FILE"
_HASHED_FIELDS = ("seq", "at", "user_id", "action", "subject", "reason", "detail", "prev_hash")
_append_lock = threading.Lock()  # one process holds a DuckDB store for writing; threads queue


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit entry as stored; `hash` seals every other field."""

    seq: int
    at: datetime
    user_id: str
    action: str
    subject: str | None
    reason: str
    detail: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What `verify` found: the chain's length and head, and the first entry that is wrong."""

    entries: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str | None = None
    anchor_checked: bool = False

    @property
    def intact(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        """The one line the CLI prints."""
        if self.problem is not None:
            return f"audit log broken at seq {self.first_bad_seq}: {self.problem}"
        anchor = "anchor checked" if self.anchor_checked else "anchor NOT checked (no key)"
        head = f"head seq {self.head_seq} hash {self.head_hash}"
        return f"audit log intact: {self.entries} entries, {head}, {anchor}"


def canonical_detail(detail: Mapping[str, Any] | None) -> str:
    """The one JSON text a detail mapping is stored and hashed as."""
    return json.dumps(dict(detail or {}), sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the hashed fields (times in ISO 8601, microseconds)."""
    payload = {name: fields[name] for name in _HASHED_FIELDS}
    payload["at"] = payload["at"].isoformat(timespec="microseconds")
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def anchor_mac(key: bytes, seq: int, head_hash: str) -> str:
    """HMAC-SHA-256 binding the head's position and hash to the audit key."""
    return hmac.new(key, f"{seq}:{head_hash}".encode(), hashlib.sha256).hexdigest()


def audit_key(path: str | Path | None = None) -> bytes | None:
    """The anchor key from `path` or the file named by FRAUDNET_AUDIT_KEY_FILE; None if neither."""
    chosen = path if path is not None else os.environ.get(KEY_FILE_ENV)
    if not chosen:
        return None
    key = Path(chosen).read_bytes().strip()
    if len(key) < 16:
        raise FraudnetError("audit key is shorter than 16 bytes", file=str(chosen))
    return key


def record(
    engine: Engine,
    user: str,
    action: str,
    subject: str | None,
    reason: str,
    detail: Mapping[str, Any] | None = None,
    *,
    key: bytes | None = None,
    appends: Mapping[str, Data] | None = None,
    replaces: Mapping[str, Data] | None = None,
) -> AuditEntry:
    """Append one entry (re-signing the anchor when a key is known) in the commit of `appends`
    and `replaces`, so a change and its audit entry are stored together or not at all."""
    if not reason.strip():
        raise FraudnetError(f"audit entry for {action}: a reason is required", field="reason")
    key = key if key is not None else audit_key()
    with _append_lock:
        head_seq, head_hash = _head(engine)
        fields: dict[str, Any] = {
            "seq": head_seq + 1,
            "at": datetime.now(UTC).replace(tzinfo=None),
            "user_id": user,
            "action": action,
            "subject": subject,
            "reason": reason,
            "detail": canonical_detail(detail),
            "prev_hash": head_hash,
        }
        entry = AuditEntry(**fields, hash=entry_hash(fields))
        anchor = {"audit_anchor": _anchor_row(key, entry)} if key is not None else {}
        engine.commit(
            appends={**(appends or {}), "audit_log": _entry_row(entry)},
            replaces={**(replaces or {}), **anchor},
        )
    return entry


def verify(engine: Engine, key: bytes | None = None) -> VerifyReport:
    """Walk the chain in seq order and report the first entry that does not fit; then the anchor."""
    entries = read_entries(engine)
    expected_prev = GENESIS_HASH
    for position, entry in enumerate(entries, start=1):
        problem = _entry_problem(entry, position, expected_prev)
        if problem is not None:
            bad_seq = min(position, entry.seq)
            return VerifyReport(len(entries), entries[-1].seq, entries[-1].hash, bad_seq, problem)
        expected_prev = entry.hash
    head_seq = entries[-1].seq if entries else 0
    report = VerifyReport(len(entries), head_seq, expected_prev)
    return report if key is None else _check_anchor(engine, key, report)


def read_entries(engine: Engine) -> list[AuditEntry]:
    """Every stored entry in seq order (ties kept in storage order, which verify flags)."""
    rows = engine.sql('SELECT * FROM audit_log ORDER BY seq, "hash"').to_pylist()
    return [AuditEntry(**{name: row[name] for name in AuditEntry.__slots__}) for row in rows]


def _entry_problem(entry: AuditEntry, position: int, expected_prev: str) -> str | None:
    if entry.seq != position:
        if entry.seq < position:
            return "this seq appears more than once"
        return f"missing (the next stored entry is seq {entry.seq})"
    if entry.prev_hash != expected_prev:
        return f"its prev_hash does not match the hash of entry {position - 1}"
    if entry_hash(_fields(entry)) != entry.hash:
        return "its contents do not match its hash (edited)"
    return None


def _check_anchor(engine: Engine, key: bytes, report: VerifyReport) -> VerifyReport:
    anchors = engine.sql("SELECT seq, hash, mac FROM audit_anchor").to_pylist()
    problem = _anchor_problem(anchors, key, report)
    if problem is None:
        return VerifyReport(report.entries, report.head_seq, report.head_hash, anchor_checked=True)
    bad_seq = report.head_seq if report.entries else 1
    if anchors and int(anchors[0]["seq"]) > report.head_seq:
        bad_seq = report.head_seq + 1
    return VerifyReport(
        report.entries, report.head_seq, report.head_hash, bad_seq, problem, anchor_checked=True
    )


def _anchor_problem(anchors: list[dict[str, Any]], key: bytes, report: VerifyReport) -> str | None:
    if not anchors:
        return None if report.entries == 0 else "no anchor: the head was never signed"
    if len(anchors) > 1:
        return "more than one anchor row"
    seq, head_hash, mac = int(anchors[0]["seq"]), str(anchors[0]["hash"]), str(anchors[0]["mac"])
    if not hmac.compare_digest(anchor_mac(key, seq, head_hash), mac):
        return "anchor signature does not match (wrong key, or the anchor was forged)"
    if seq != report.head_seq or head_hash != report.head_hash:
        return f"the signed head is seq {seq} but the chain ends at seq {report.head_seq}"
    return None


def _head(engine: Engine) -> tuple[int, str]:
    rows = engine.sql('SELECT seq, "hash" FROM audit_log ORDER BY seq DESC LIMIT 1').to_pylist()
    return (int(rows[0]["seq"]), str(rows[0]["hash"])) if rows else (0, GENESIS_HASH)


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in _HASHED_FIELDS}


def _entry_row(entry: AuditEntry) -> pa.Table:
    row = {name: [getattr(entry, name)] for name in AuditEntry.__slots__}
    return pa.Table.from_pydict(row).select(get_table("audit_log").column_names)


def _anchor_row(key: bytes, entry: AuditEntry) -> pa.Table:
    return pa.Table.from_pydict(
        {
            "seq": [entry.seq],
            "hash": [entry.hash],
            "mac": [anchor_mac(key, entry.seq, entry.hash)],
            "signed_at": [entry.at],
        }
    )


__all__ = [
    "GENESIS_HASH",
    "KEY_FILE_ENV",
    "AuditEntry",
    "VerifyReport",
    "anchor_mac",
    "audit_key",
    "canonical_detail",
    "entry_hash",
    "read_entries",
    "record",
    "verify",
]
