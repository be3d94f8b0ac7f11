"""Build a signed intelligence package for one recipient, with grading and an expiry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.interchange.public_ids import refuse_public_ids
from fraudnet.share.contents import PackageContext, package_kind
from fraudnet.share.envelope import seal
from fraudnet.share.grading import Grading
from fraudnet.share.keys import OrgKeys, Partner
from fraudnet.share.tokens import pair_key, token

DEFAULT_VALID_DAYS = 30
MAX_VALID_DAYS = 365


@dataclass(frozen=True)
class PackageRequest:
    """What the sender asks for: which network, to whom, what kind, how graded, how long."""

    network_id: str
    recipient: str
    kind: str = "network"
    grading: Grading = field(default_factory=Grading)
    valid_days: int = DEFAULT_VALID_DAYS
    include_personal: bool = False
    rule: str | None = None


def build_package(
    engine: Engine, keys: OrgKeys, request: PackageRequest, now: datetime | None = None
) -> bytes:
    """The package file's bytes: canonical JSON, signed by this organisation."""
    partner = keys.partner(request.recipient)
    personal = personal_allowed(request, partner)
    if not 1 <= request.valid_days <= MAX_VALID_DAYS:
        raise FraudnetError(f"--valid-days must be 1 to {MAX_VALID_DAYS}")
    key = pair_key(keys.agreement, partner.agreement_public, keys.org, partner.org)
    ctx = PackageContext(
        engine,
        request.network_id,
        lambda kind, value: token(key, kind, value),
        personal,
        request.rule,
    )
    created = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    payload: dict[str, Any] = {
        "package_id": uuid.uuid4().hex,
        "kind": request.kind,
        "sender": keys.org,
        "recipient": partner.org,
        "created_at": created.isoformat(),
        "expires_at": (created + timedelta(days=request.valid_days)).isoformat(),
        "grading": request.grading.as_dict(),
        "personal_data": personal,
        "items": package_kind(request.kind).items(ctx),
    }
    refuse_public_ids(payload)  # STIX/FtM ids are recomputable from values: never pseudonyms
    return seal(payload, keys)


def personal_allowed(request: PackageRequest, partner: Partner) -> bool:
    """Raw personal data only if asked for, under handling code P, to an entitled partner."""
    if not request.include_personal:
        return False
    if not request.grading.permits_personal_data:
        raise FraudnetError("raw personal data needs handling code P (--handling P)")
    if not partner.entitled_to_personal_data:
        raise FraudnetError(f"{partner.org} is not entitled to raw personal data")
    return True
