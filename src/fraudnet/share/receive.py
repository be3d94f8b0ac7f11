"""Accept a package into `shared_intel`, or refuse it with one clear reason (fail closed).

Checks, in order: a well-formed fraudnet package, a known sender, a signature that
verifies with the sender's key, addressed to this organisation, not expired (nor dated in
the future), a valid 3x5x2 grade. Accepted claims land in `shared_intel` with their
provenance; nothing is written to this store's own accounts, parties or labels. Tokens are
resolved against the accounts this store knows (its own and its counterparties) so that
`subject_account` says which account a claim is about here. Receiving the same package
again adds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.engine.types import arrow_schema
from fraudnet.errors import FraudnetError
from fraudnet.schema import get_table
from fraudnet.share.contents import SHARED_IDENTIFIER_KINDS
from fraudnet.share.envelope import open_envelope, verify
from fraudnet.share.grading import Grading
from fraudnet.share.keys import OrgKeys
from fraudnet.share.tokens import pair_key, token
from fraudnet.utc import naive_utc

CLOCK_SKEW = timedelta(minutes=5)
MAX_ITEMS = 100_000
MAX_AMOUNT = Decimal(10) ** 16
PENNY = Decimal("0.01")
TEXT_FIELDS = ("claim", "subject_kind", "subject_token", "institution", "network_ref", "amount")


@dataclass(frozen=True, slots=True)
class Receipt:
    """What happened to a package: accepted claims, how many matched here, or a duplicate."""

    package_id: str
    sender: str
    claims: int
    matched: int
    duplicate: bool


def receive_package(
    engine: Engine, path: str | Path, keys: OrgKeys, now: datetime | None = None
) -> Receipt:
    """Verify the package at `path` and record its claims, or refuse it (FraudnetError)."""
    payload = verified_payload(Path(path).read_bytes(), keys, now)
    package_id = payload["package_id"]
    if _already_received(engine, payload["sender"], package_id):
        return Receipt(package_id, payload["sender"], 0, 0, True)
    rows = intel_rows(engine, payload, keys, now)
    engine.append("shared_intel", rows)
    matched = sum(1 for v in rows["subject_account"].to_pylist() if v)
    return Receipt(package_id, payload["sender"], rows.num_rows, matched, False)


def verified_payload(data: bytes, keys: OrgKeys, now: datetime | None = None) -> dict[str, Any]:
    """The payload of a package that passes every check; else the first failure, one line."""
    envelope = open_envelope(data)
    payload = envelope["payload"]
    sender = _text(payload, "sender")
    if envelope.get("signer") != sender:
        raise FraudnetError("refused: signer and sender differ")
    try:
        partner = keys.partner(sender)
    except FraudnetError as err:
        raise FraudnetError(f"refused: sender {sender!r} is not a known partner") from err
    verify(envelope, partner)
    _check_recipient(payload, keys.org)
    _check_dates(payload, now or datetime.now(UTC))
    Grading.from_dict(payload.get("grading"))
    _check_items(payload)
    return payload


def intel_rows(
    engine: Engine, payload: dict[str, Any], keys: OrgKeys, now: datetime | None = None
) -> pa.Table:
    """One `shared_intel` row per claim, with the account it means in this store where known."""
    partner = keys.partner(payload["sender"])
    key = pair_key(keys.agreement, partner.agreement_public, partner.org, keys.org)
    known = known_tokens(engine, key)
    grading = Grading.from_dict(payload["grading"])
    received = naive_utc(now or datetime.now(UTC))
    rows = [
        _row(payload, index, item, grading, known, received) | {"signer_key": partner.fingerprint}
        for index, item in enumerate(payload["items"])
    ]
    columns = get_table("shared_intel").column_names
    return pa.Table.from_pylist(rows).select(columns) if rows else _empty()


def known_tokens(engine: Engine, key: bytes) -> dict[tuple[str, str], str]:
    """(kind, token) -> account in this store, for every account and linked identifier it holds."""
    accounts = engine.sql(
        "SELECT account_id FROM accounts UNION SELECT account_id FROM counterparty_accounts "
        "UNION SELECT src_account FROM transactions UNION SELECT dst_account FROM transactions"
    )["account_id"].to_pylist()
    known = {("account", token(key, "account", a)): a for a in accounts if a}
    kinds = ", ".join(f"'{k}'" for k in SHARED_IDENTIFIER_KINDS)
    linked = engine.sql(
        "SELECT i.kind, i.value, MIN(COALESCE(a.account_id, i.owner)) AS account "
        "FROM identifiers i LEFT JOIN accounts a ON a.holder_party_id = i.owner "
        f"WHERE i.kind IN ({kinds}) GROUP BY i.kind, i.value"
    ).to_pylist()
    for row in linked:
        known.setdefault((row["kind"], token(key, row["kind"], row["value"])), row["account"])
    return known


def _row(
    payload: dict[str, Any],
    index: int,
    item: dict[str, Any],
    grading: Grading,
    known: dict[tuple[str, str], str],
    received: datetime,
) -> dict[str, Any]:
    kind, tok = item.get("subject_kind"), item.get("subject_token")
    return {
        "package_id": payload["package_id"],
        "item": index,
        "sender": payload["sender"],
        "package_kind": str(payload.get("kind")),
        "claim": str(item.get("claim")),
        "subject_kind": kind,
        "subject_token": tok,
        "subject_account": known.get((str(kind), str(tok))) if tok else None,
        "institution": item.get("institution"),
        "amount": _amount(item.get("amount"), index),
        "network_ref": item.get("network_ref"),
        "evidence": json.dumps(item.get("evidence", {}), sort_keys=True),
        **grading.as_dict(),
        "created_at": _instant(payload, "created_at"),
        "expires_at": _instant(payload, "expires_at"),
        "received_at": received,
    }


def _already_received(engine: Engine, sender: str, package_id: str) -> bool:
    seen = engine.sql("SELECT DISTINCT sender, package_id FROM shared_intel").to_pylist()
    return {"sender": sender, "package_id": package_id} in seen


def _check_recipient(payload: dict[str, Any], org: str) -> None:
    recipient = _text(payload, "recipient")
    if recipient != org:
        raise FraudnetError(f"refused: addressed to {recipient!r}, not to {org!r}")


def _check_dates(payload: dict[str, Any], now: datetime) -> None:
    current = naive_utc(now)
    if _instant(payload, "expires_at") <= current:
        raise FraudnetError(f"refused: expired at {payload['expires_at']}")
    if _instant(payload, "created_at") > current + CLOCK_SKEW:
        raise FraudnetError(f"refused: created in the future ({payload['created_at']})")


def _check_items(payload: dict[str, Any]) -> None:
    _text(payload, "package_id")
    items = payload.get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise FraudnetError("refused: package items are not a list of objects")
    if len(items) > MAX_ITEMS:
        raise FraudnetError(f"refused: more than {MAX_ITEMS} items")
    for index, item in enumerate(items):
        _check_item(index, item)


def _check_item(index: int, item: dict[str, Any]) -> None:
    """Every field a claim carries is text (or absent) and its evidence an object."""
    for name in TEXT_FIELDS:
        if item.get(name) is not None and not isinstance(item[name], str):
            raise FraudnetError(f"refused: item {index} field {name!r} is not text")
    if not isinstance(item.get("claim"), str):
        raise FraudnetError(f"refused: item {index} has no claim")
    if not isinstance(item.get("evidence", {}), dict):
        raise FraudnetError(f"refused: item {index} evidence is not an object")
    _amount(item.get("amount"), index)


def _text(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value:
        raise FraudnetError(f"refused: package has no {name}")
    return value


def _instant(payload: dict[str, Any], name: str) -> datetime:
    try:
        return naive_utc(datetime.fromisoformat(_text(payload, name)))
    except ValueError as err:
        raise FraudnetError(f"refused: {name} is not an ISO time") from err


def _amount(value: Any, index: int) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as err:
        raise FraudnetError(f"refused: item {index} amount {value!r} is not a decimal") from err
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT or amount != amount.quantize(PENNY):
        raise FraudnetError(f"refused: item {index} amount {value!r} is not money (pence)")
    return amount


def _empty() -> pa.Table:
    return arrow_schema(get_table("shared_intel")).empty_table()
