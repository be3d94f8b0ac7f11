"""Signed bearer tokens for the API: who, until when, sealed with HMAC-SHA-256.

The token carries only the user id and its lifetime; the role and the disabled flag are read
from the store on every request, so disabling a user or changing a role takes effect at once.
The signing key lives outside the store (like the audit key): whoever can copy the store file
cannot mint tokens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fraudnet.errors import FraudnetError

KEY_FILE_ENV = "FRAUDNET_API_KEY_FILE"
DEFAULT_LIFETIME = timedelta(hours=8)  # one working shift
MIN_KEY_BYTES = 16


class InvalidToken(FraudnetError):
    """The bearer token is missing, malformed, forged or expired (the message says which)."""


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: str
    issued_at: datetime
    expires_at: datetime
    token_id: str


def token_key(path: str | Path | None = None) -> bytes:
    """The signing key from `path` or FRAUDNET_API_KEY_FILE; a fresh random key if neither.

    A random key lives only in this process: tokens stop working when the server restarts.
    """
    chosen = path if path is not None else os.environ.get(KEY_FILE_ENV)
    if not chosen:
        return secrets.token_bytes(32)
    key = Path(chosen).read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise FraudnetError(f"token key is shorter than {MIN_KEY_BYTES} bytes", file=str(chosen))
    return key


def issue_token(
    key: bytes, user_id: str, lifetime: timedelta = DEFAULT_LIFETIME, now: datetime | None = None
) -> tuple[str, TokenClaims]:
    """A token for `user_id` valid for `lifetime`, and what it claims."""
    issued = (now or datetime.now(UTC)).replace(microsecond=0)
    claims = TokenClaims(user_id, issued, issued + lifetime, secrets.token_hex(8))
    body = {
        "sub": claims.user_id,
        "iat": int(claims.issued_at.timestamp()),
        "exp": int(claims.expires_at.timestamp()),
        "jti": claims.token_id,
    }
    payload = _b64(json.dumps(body, sort_keys=True, separators=(",", ":")).encode())
    return f"{payload}.{_b64(_mac(key, payload))}", claims


def verify_token(key: bytes, token: str, now: datetime | None = None) -> TokenClaims:
    """The claims of a token this key signed that has not expired; else InvalidToken."""
    payload, dot, signature = token.partition(".")
    if not dot or not payload or not signature:
        raise InvalidToken("malformed bearer token")
    try:
        given = _unb64(signature)
    except ValueError:
        raise InvalidToken("malformed bearer token") from None
    if not hmac.compare_digest(given, _mac(key, payload)):
        raise InvalidToken("bearer token signature does not match")
    body = json.loads(_unb64(payload))
    claims = TokenClaims(
        str(body["sub"]),
        datetime.fromtimestamp(int(body["iat"]), UTC),
        datetime.fromtimestamp(int(body["exp"]), UTC),
        str(body["jti"]),
    )
    if (now or datetime.now(UTC)) >= claims.expires_at:
        raise InvalidToken("bearer token has expired; log in again")
    return claims


def _mac(key: bytes, payload: str) -> bytes:
    return hmac.new(key, b"fraudnet-api-token:" + payload.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, UnicodeEncodeError) as err:
        raise ValueError("not base64url") from err


__all__ = [
    "DEFAULT_LIFETIME",
    "KEY_FILE_ENV",
    "InvalidToken",
    "TokenClaims",
    "issue_token",
    "token_key",
    "verify_token",
]
