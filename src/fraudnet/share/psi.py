"""Hit/no-hit matching of exact identifiers by private set intersection (openmined-psi).

ECDH-PSI: the requester blinds its values with a one-time key; the responder blinds them again
and sends its own set blinded once, in a compressed filter. Only the requester learns anything:
in `cardinality` mode how many of its values the partner holds (the responder shuffles, so not
which), in `intersection` mode which. The responder learns the size of the requester's set.
A requester can still probe guessed values: the responder caps queries (see `psi_store`).
"""

from __future__ import annotations

import importlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fraudnet.errors import FraudnetError
from fraudnet.share.psi_messages import PsiHeader, pack_message, unpack_message

FALSE_POSITIVE_RATE = 1e-9
"""Chance, over the whole query, that a non-matching value is reported as a hit."""

MODES = ("cardinality", "intersection")


def _psi() -> Any:
    """openmined-psi, imported on first use (it loads a native library)."""
    try:
        return importlib.import_module("private_set_intersection.python")
    except ImportError:
        raise FraudnetError("PSI needs openmined-psi: pip install openmined-psi") from None


@dataclass(frozen=True, slots=True)
class PsiSession:
    """What the requester keeps between sending a request and reading the answer."""

    session_id: str
    sender: str
    partner: str
    kind: str
    mode: str
    client_key: bytes
    values: tuple[str, ...]

    def to_row(self) -> dict[str, object]:
        return {
            "session_id": self.session_id,
            "partner": self.partner,
            "kind": self.kind,
            "mode": self.mode,
            "client_key": self.client_key.hex(),
            "request_values": json.dumps(list(self.values)),
        }

    @classmethod
    def from_row(cls, row: dict[str, Any], sender: str) -> PsiSession:
        return cls(
            session_id=row["session_id"],
            sender=sender,
            partner=row["partner"],
            kind=row["kind"],
            mode=row["mode"],
            client_key=bytes.fromhex(row["client_key"]),
            values=tuple(json.loads(row["request_values"])),
        )


@dataclass(frozen=True, slots=True)
class PsiResult:
    """What the requester learned: a count, and in intersection mode the values themselves."""

    session_id: str
    partner: str
    kind: str
    mode: str
    set_size: int
    partner_set_size: int
    matched_count: int
    matched_values: tuple[str, ...] | None


def start_request(
    sender: str, partner: str, kind: str, values: list[str], mode: str
) -> tuple[PsiSession, bytes]:
    """A new session and the request message for `partner` (values already normalised)."""
    _check_mode(mode)
    if not values:
        raise FraudnetError(f"no {kind} values to ask about")
    client = _psi().client.CreateWithNewKey(mode == "intersection")
    session = PsiSession(
        secrets.token_hex(16),
        sender,
        partner,
        kind,
        mode,
        client.GetPrivateKeyBytes(),
        tuple(values),
    )
    request = client.CreateRequest(list(values)).SerializeToString()
    header = _header("request", session.session_id, sender, partner, kind, mode, len(values))
    return session, pack_message(header, [request])


def read_request(message: bytes, source: str) -> tuple[PsiHeader, Any]:
    """Header and parsed request; the set size is the count actually inside, not the claim."""
    header, parts = unpack_message(message, "request", source)
    return header, parse_request(header, parts, source)


def parse_request(header: PsiHeader, parts: list[bytes], source: str) -> Any:
    """The request's protobuf, from the parts of an unpacked (or verified) message."""
    request = _parse_proto(_psi().Request(), parts, 1, source)[0]
    _check_mode(header.mode, source)
    return request


def answer_request(
    header: PsiHeader, request: Any, responder: str, values: list[str], mode: str
) -> bytes:
    """The response message: the request blinded again, and the responder's set as a filter."""
    _check_mode(mode)
    count = len(request.encrypted_elements)
    server = _psi().server.CreateWithNewKey(mode == "intersection")
    setup = server.CreateSetupMessage(
        FALSE_POSITIVE_RATE, max(count, 1), values, _psi().DataStructure.GCS
    )
    response = server.ProcessRequest(request)
    reply = _header(
        "response", header.session_id, responder, header.sender, header.kind, mode, len(values)
    )
    return pack_message(reply, [setup.SerializeToString(), response.SerializeToString()])


def read_response(message: bytes, source: str) -> tuple[PsiHeader, list[bytes]]:
    header, parts = unpack_message(message, "response", source)
    check_response_parts(parts, source)
    return header, parts


def check_response_parts(parts: list[bytes], source: str) -> None:
    if len(parts) != 2:
        raise FraudnetError(f"a PSI response has 2 parts, this one {len(parts)}", file=source)


def finish_request(
    session: PsiSession, header: PsiHeader, parts: list[bytes], source: str
) -> PsiResult:
    """What the requester learns from the response to its own session."""
    _check_reply(session, header, source)
    setup, response = _parse_proto(_psi().ServerSetup(), parts[:1], 1, source) + _parse_proto(
        _psi().Response(), parts[1:], 1, source
    )
    revealing = header.mode == "intersection"
    client = _psi().client.CreateFromKey(session.client_key, revealing)
    matched = _matched(client, setup, response, session.values, revealing)
    count = len(matched) if matched is not None else client.GetIntersectionSize(setup, response)
    return PsiResult(
        session.session_id,
        session.partner,
        session.kind,
        header.mode,
        len(session.values),
        header.set_size,
        int(count),
        matched,
    )


def _matched(
    client: Any, setup: Any, response: Any, values: tuple[str, ...], revealing: bool
) -> tuple[str, ...] | None:
    if not revealing:
        return None
    return tuple(sorted(values[i] for i in client.GetIntersection(setup, response)))


def _check_reply(session: PsiSession, header: PsiHeader, source: str) -> None:
    if header.sender != session.partner:
        raise FraudnetError(
            f"response is from {header.sender!r}, the request went to {session.partner!r}",
            file=source,
        )
    if header.recipient != session.sender or header.kind != session.kind:
        raise FraudnetError("response does not answer this store's request", file=source)
    if header.mode == "intersection" and session.mode != "intersection":
        raise FraudnetError("response reveals more than was asked for", file=source)


def _parse_proto(empty: Any, parts: list[bytes], expected: int, source: str) -> list[Any]:
    if len(parts) != expected:
        raise FraudnetError(f"PSI message has {len(parts)} parts, expected {expected}", file=source)
    try:
        empty.ParseFromString(parts[0])
    except Exception as err:  # protobuf's DecodeError has no stable import path
        raise FraudnetError(f"damaged PSI payload ({type(err).__name__})", file=source) from None
    return [empty]


def _header(
    message_type: str,
    session_id: str,
    sender: str,
    recipient: str,
    kind: str,
    mode: str,
    set_size: int,
) -> PsiHeader:
    created = datetime.now(UTC).isoformat(timespec="seconds")
    return PsiHeader(message_type, session_id, sender, recipient, kind, mode, set_size, created)


def _check_mode(mode: str, source: str | None = None) -> None:
    if mode not in MODES:
        raise FraudnetError(
            f"unknown PSI mode {mode!r}; use one of {', '.join(MODES)}", file=source
        )
