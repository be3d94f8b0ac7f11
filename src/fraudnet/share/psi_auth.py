"""PSI messages between organisations, signed by the sender and checked by the recipient.

Without a signature a PSI header's sender is only a claim: anyone could spend a partner's
query cap, or answer a request in its name. Each message that leaves a store is the framed
message of `psi_messages` followed by a trailer: a marker, the sender key's fingerprint and
an Ed25519 signature (the sender's package key, `share.keys`) over a domain label and every
byte before the trailer, header included. The header already names the recipient, so a
message signed for one partner cannot be handed to another. Opening a message fails closed:
unsigned, signed by a key that is not the named sender's, tampered with, or addressed to
another organisation, each with its own reason.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature

from fraudnet.errors import FraudnetError
from fraudnet.share.keys import OrgKeys, fingerprint
from fraudnet.share.psi_messages import PsiHeader, unpack_message

DOMAIN = b"fraudnet-psi-signed/1\n"
MARKER = b"\nFRAUDNET-PSI-SIG\x01"
FINGERPRINT_BYTES = 32
SIGNATURE_BYTES = 64
TRAILER_BYTES = len(MARKER) + FINGERPRINT_BYTES + SIGNATURE_BYTES


def sign_message(message: bytes, message_type: str, keys: OrgKeys) -> bytes:
    """`message` (a packed PSI message from `keys.org`) with its signature trailer."""
    header, _ = unpack_message(message, message_type, "outgoing message")
    if header.sender != keys.org:
        raise FraudnetError(f"{keys.org} cannot sign a PSI message from {header.sender!r}")
    signature = keys.signing.sign(DOMAIN + message)
    return message + MARKER + keys.fingerprint.encode("ascii") + signature


def open_message(
    data: bytes, expected_type: str, keys: OrgKeys, source: str
) -> tuple[PsiHeader, list[bytes]]:
    """Header and parts of a message for `keys.org`, only once its signature verifies."""
    if len(data) < TRAILER_BYTES or data[-TRAILER_BYTES:][: len(MARKER)] != MARKER:
        unpack_message(data, expected_type, source)  # junk is named as junk first
        raise FraudnetError(
            "refused: the PSI message is not signed (or its signature was cut off)", file=source
        )
    body = data[:-TRAILER_BYTES]
    trailer = data[-TRAILER_BYTES + len(MARKER) :]
    signer_key = trailer[:FINGERPRINT_BYTES].decode("ascii", "replace")
    signature = trailer[FINGERPRINT_BYTES:]
    header, parts = unpack_message(body, expected_type, source)
    if header.recipient != keys.org:
        raise FraudnetError(
            f"refused: PSI {header.message_type} is addressed to {header.recipient!r}, "
            f"not {keys.org!r}",
            file=source,
        )
    try:
        sender = keys.partner(header.sender)
    except FraudnetError:
        raise FraudnetError(
            f"refused: PSI {header.message_type} from {header.sender!r}, whose public keys "
            "this organisation never imported",
            file=source,
        ) from None
    if signer_key != fingerprint(sender.signing_public):
        raise FraudnetError(
            f"refused: PSI {header.message_type} signed with a key that is not {header.sender}'s",
            file=source,
        )
    try:
        sender.signing_public.verify(signature, DOMAIN + body)
    except InvalidSignature:
        raise FraudnetError(
            f"refused: PSI {header.message_type} signature does not verify for "
            f"{header.sender} (altered after signing)",
            file=source,
        ) from None
    return header, parts
