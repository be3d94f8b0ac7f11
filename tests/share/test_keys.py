"""Keys live in owner-only files outside the store; the public bundle carries no secret."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from fraudnet.errors import FraudnetError
from fraudnet.share.keys import import_partner, init_keys, load_keys, public_bundle


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_key_files_are_owner_only(tmp_path: Path) -> None:
    keys = init_keys("bank-a", tmp_path / "keys")
    assert _mode(keys.folder) == 0o700
    files = [p for p in keys.folder.rglob("*") if p.is_file()]
    assert len(files) >= 3
    for path in files:
        assert _mode(path) == 0o600, path
    assert _mode(keys.folder / "partners") == 0o700


def test_public_bundle_holds_no_private_key(tmp_path: Path) -> None:
    keys = init_keys("bank-a", tmp_path / "keys")
    bundle = public_bundle(keys)
    for private in (keys.signing, keys.agreement):
        raw = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        assert raw.hex() not in bundle
        assert base64.b64encode(raw).decode() not in bundle


def test_keys_round_trip_and_are_never_overwritten(tmp_path: Path) -> None:
    keys = init_keys("bank-a", tmp_path / "keys")
    assert load_keys(tmp_path / "keys").fingerprint == keys.fingerprint
    with pytest.raises(FraudnetError, match="already holds keys"):
        init_keys("bank-a", tmp_path / "keys")
    with pytest.raises(FraudnetError, match="organisation name"):
        init_keys("Bank A", tmp_path / "other")


def test_partner_import_checks_the_bundle(tmp_path: Path) -> None:
    own = init_keys("bank-a", tmp_path / "a")
    other = init_keys("bank-b", tmp_path / "b")
    bundle = tmp_path / "b.pub.json"
    bundle.write_text(public_bundle(other).replace(other.fingerprint, "0" * 32))
    with pytest.raises(FraudnetError, match="fingerprint"):
        import_partner(own, bundle)
    bundle.write_text(public_bundle(other))
    assert import_partner(own, bundle).fingerprint == other.fingerprint
    assert own.partner("bank-b").fingerprint == other.fingerprint
    with pytest.raises(FraudnetError, match="unknown partner"):
        own.partner("bank-c")
