"""Signed envelopes: canonical JSON of the payload, an Ed25519 signature over those bytes.

Canonical JSON is sorted keys, no insignificant whitespace, UTF-8, no floats (money travels
as Decimal strings), so sender and receiver sign and verify the very same bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidSignature

from fraudnet.errors import FraudnetError
from fraudnet.share.keys import OrgKeys, Partner

FORMAT = "fraudnet-intel-package/1"


def canonical_json(value: Any) -> bytes:
    """The one byte form of `value` that is signed and verified."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def seal(payload: dict[str, Any], keys: OrgKeys) -> bytes:
    """The package file: payload, signer and signature over the payload's canonical bytes."""
    signature = keys.signing.sign(canonical_json(payload))
    envelope = {
        "format": FORMAT,
        "payload": payload,
        "signer": keys.org,
        "signer_key": keys.fingerprint,
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    return canonical_json(envelope) + b"\n"


def open_envelope(data: bytes) -> dict[str, Any]:
    """The envelope as an object, refusing anything that is not a fraudnet package."""
    try:
        envelope = json.loads(data.decode("utf-8"), parse_float=_no_float)
    except (UnicodeDecodeError, ValueError) as err:
        raise FraudnetError(f"refused: not a package ({type(err).__name__})") from err
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise FraudnetError(f"refused: not a {FORMAT} file")
    if not isinstance(envelope.get("payload"), dict):
        raise FraudnetError("refused: package has no payload object")
    return envelope


def verify(envelope: dict[str, Any], partner: Partner) -> None:
    """Fail closed unless the payload was signed by `partner`'s signing key."""
    if envelope.get("signer_key") != partner.fingerprint:
        raise FraudnetError(f"refused: signed with a key that is not {partner.org}'s")
    try:
        signature = base64.b64decode(str(envelope.get("signature", "")), validate=True)
        partner.signing_public.verify(signature, canonical_json(envelope["payload"]))
    except (InvalidSignature, binascii.Error, ValueError) as err:
        raise FraudnetError(f"refused: signature does not verify for {partner.org}") from err


def _no_float(text: str) -> Any:
    raise ValueError(f"number {text} is not allowed (money travels as a string)")
