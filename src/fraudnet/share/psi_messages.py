"""The bytes two organisations exchange for one PSI query: a small header and protobuf parts.

Layout: magic, 4-byte header length, UTF-8 JSON header, then each part as an 8-byte length
and its bytes. The header holds routing only (session, sender, recipient, kind, mode); the
parts are openmined-psi's encrypted, shuffled or filter-encoded values, never plaintext.
"""

from __future__ import annotations

import json
import struct
from dataclasses import asdict, dataclass

from fraudnet.errors import FraudnetError

MAGIC = b"FRAUDNET-PSI\x01"
MAX_HEADER_BYTES = 64 * 1024
MESSAGE_TYPES = ("request", "response")


@dataclass(frozen=True, slots=True)
class PsiHeader:
    """Who a PSI message is from and for, and what it asks; carries no identifier."""

    message_type: str
    session_id: str
    sender: str
    recipient: str
    kind: str
    mode: str
    set_size: int
    created_at: str


def pack_message(header: PsiHeader, parts: list[bytes]) -> bytes:
    """One message as bytes, ready to be written to a file and handed over."""
    head = json.dumps(asdict(header), sort_keys=True).encode()
    framed = [MAGIC, struct.pack(">I", len(head)), head]
    for part in parts:
        framed += [struct.pack(">Q", len(part)), part]
    return b"".join(framed)


def unpack_message(data: bytes, expected_type: str, source: str) -> tuple[PsiHeader, list[bytes]]:
    """Header and parts of a message; any damage is one error naming `source`."""
    if not data.startswith(MAGIC):
        raise FraudnetError("not a fraudnet PSI message (wrong magic bytes)", file=source)
    offset = len(MAGIC)
    head_len = _read_length(data, offset, ">I", source)
    if head_len > MAX_HEADER_BYTES:
        raise FraudnetError("PSI header too large", file=source)
    header = _parse_header(data[offset + 4 : offset + 4 + head_len], source)
    if header.message_type != expected_type:
        raise FraudnetError(
            f"expected a PSI {expected_type}, got a {header.message_type}", file=source
        )
    return header, _read_parts(data, offset + 4 + head_len, source)


def _read_length(data: bytes, offset: int, fmt: str, source: str) -> int:
    size = struct.calcsize(fmt)
    if offset + size > len(data):
        raise FraudnetError("PSI message truncated", file=source)
    return int(struct.unpack_from(fmt, data, offset)[0])


def _read_parts(data: bytes, offset: int, source: str) -> list[bytes]:
    parts = []
    while offset < len(data):
        size = _read_length(data, offset, ">Q", source)
        offset += 8
        if offset + size > len(data):
            raise FraudnetError("PSI message truncated", file=source)
        parts.append(data[offset : offset + size])
        offset += size
    return parts


def _parse_header(raw: bytes, source: str) -> PsiHeader:
    try:
        fields = json.loads(raw.decode())
        header = PsiHeader(**fields)
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError) as err:
        raise FraudnetError(f"unreadable PSI header ({err})", file=source) from None
    if header.message_type not in MESSAGE_TYPES:
        raise FraudnetError(f"unknown PSI message type {header.message_type!r}", file=source)
    return header
