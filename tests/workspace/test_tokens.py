"""Bearer tokens: they round-trip, expire, and any change to them or the key breaks them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fraudnet.errors import FraudnetError
from fraudnet.workspace.tokens import InvalidToken, issue_token, token_key, verify_token

KEY = b"k" * 32


def test_token_round_trips_with_its_lifetime() -> None:
    now = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    token, claims = issue_token(KEY, "ana", timedelta(hours=2), now=now)
    back = verify_token(KEY, token, now=now + timedelta(hours=1, minutes=59))
    assert back == claims and back.user_id == "ana"
    assert back.expires_at == now + timedelta(hours=2)
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(KEY, token, now=now + timedelta(hours=2))


def test_other_key_tampered_body_and_garbage_are_refused() -> None:
    token, _ = issue_token(KEY, "ana")
    with pytest.raises(InvalidToken, match="signature"):
        verify_token(b"x" * 32, token)
    body, signature = token.split(".")
    forged_body = issue_token(KEY, "adm")[0].split(".")[0]
    with pytest.raises(InvalidToken, match="signature"):
        verify_token(KEY, f"{forged_body}.{signature}")
    for garbage in ("", ".", "abc", f"{body}.", f".{signature}", "a.b.c", "é.é"):
        with pytest.raises(InvalidToken):
            verify_token(KEY, garbage)


def test_key_from_file_must_be_long_enough(tmp_path: Path) -> None:
    short = tmp_path / "short.key"
    short.write_bytes(b"tooshort")
    with pytest.raises(FraudnetError, match="shorter than 16"):
        token_key(short)
    good = tmp_path / "good.key"
    good.write_bytes(b"0123456789abcdef-more\n")
    assert token_key(good) == b"0123456789abcdef-more"
    assert token_key(None) != token_key(None)  # no file: a fresh random key each time
