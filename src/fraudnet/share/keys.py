"""Each organisation's keys, kept in a key directory outside its store, files mode 0600.

An organisation holds an Ed25519 key that signs its packages and an X25519 key from which
it and each partner derive the same HMAC key for keyed tokens (one per sender and
recipient, see `fraudnet.share.tokens`) without ever sending a secret. Partners' public
keys are imported into `partners/`, with whether the partner is entitled to raw personal
data. Nothing here logs or prints a private key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from fraudnet.atomic import private_dir, write_atomic
from fraudnet.errors import FraudnetError

ORG_FILE = "org.json"
SIGNING_FILE = "signing.key"
AGREEMENT_FILE = "agreement.key"
PARTNERS = "partners"
ORG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class Partner:
    """A partner organisation's public keys, and whether it may receive raw personal data."""

    org: str
    signing_public: Ed25519PublicKey
    agreement_public: X25519PublicKey
    entitled_to_personal_data: bool = False

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public)


@dataclass(frozen=True)
class OrgKeys:
    """This organisation's private keys and the partners it knows."""

    org: str
    signing: Ed25519PrivateKey
    agreement: X25519PrivateKey
    folder: Path

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing.public_key())

    def partner(self, org: str) -> Partner:
        """A partner's public keys, or a clear error if it was never imported."""
        path = self.folder / PARTNERS / f"{check_org(org)}.json"
        if not path.is_file():
            raise FraudnetError(f"unknown partner {org!r}: import its public keys first")
        return read_public(path)


def check_org(name: str) -> str:
    """An organisation name: lower-case letters, digits and dashes, as file names allow."""
    if not ORG_PATTERN.match(name):
        raise FraudnetError(f"organisation name {name!r}: use lower-case letters, digits, dashes")
    return name


def fingerprint(key: Ed25519PublicKey) -> str:
    """A short, stable name for a public signing key (first 16 bytes of its SHA-256)."""
    return hashlib.sha256(_raw_public(key)).hexdigest()[:32]


def init_keys(org: str, folder: str | Path) -> OrgKeys:
    """Create fresh keys for `org` in `folder`; an existing key directory is never overwritten."""
    directory = private_dir(folder)
    if (directory / SIGNING_FILE).exists():
        raise FraudnetError(f"{directory}: already holds keys; use a new directory")
    keys = OrgKeys(
        check_org(org), Ed25519PrivateKey.generate(), X25519PrivateKey.generate(), directory
    )
    write_atomic(directory / SIGNING_FILE, _private_pem(keys.signing))
    write_atomic(directory / AGREEMENT_FILE, _private_pem(keys.agreement))
    write_atomic(directory / ORG_FILE, json.dumps({"org": keys.org}) + "\n")
    private_dir(directory / PARTNERS)
    return keys


def load_keys(folder: str | Path) -> OrgKeys:
    """This organisation's keys from its key directory."""
    directory = Path(folder)
    try:
        org = json.loads((directory / ORG_FILE).read_text())["org"]
        signing = _load_private((directory / SIGNING_FILE).read_bytes())
        agreement = _load_private((directory / AGREEMENT_FILE).read_bytes())
    except (OSError, ValueError, KeyError) as err:
        raise FraudnetError(
            f"{directory}: not a fraudnet key directory ({type(err).__name__})"
        ) from err
    if not isinstance(signing, Ed25519PrivateKey) or not isinstance(agreement, X25519PrivateKey):
        raise FraudnetError(f"{directory}: key files hold the wrong kind of key")
    return OrgKeys(check_org(org), signing, agreement, directory)


def public_bundle(keys: OrgKeys) -> str:
    """The JSON a partner imports: organisation name and both public keys, no secret."""
    bundle = {
        "org": keys.org,
        "signing_public": _b64(_raw_public(keys.signing.public_key())),
        "agreement_public": _b64(_raw_public(keys.agreement.public_key())),
        "fingerprint": keys.fingerprint,
    }
    return json.dumps(bundle, indent=2, sort_keys=True) + "\n"


def import_partner(keys: OrgKeys, bundle_path: str | Path, entitled: bool = False) -> Partner:
    """Record a partner's public keys; `entitled` lets packages to it carry raw personal data."""
    partner = _parse_bundle(Path(bundle_path), entitled)
    if partner.org == keys.org:
        raise FraudnetError(f"{bundle_path}: this is {keys.org}'s own public key")
    record = json.loads(Path(bundle_path).read_text())
    record["entitled_to_personal_data"] = entitled
    write_atomic(
        keys.folder / PARTNERS / f"{partner.org}.json", json.dumps(record, indent=2) + "\n"
    )
    return partner


def read_public(path: Path) -> Partner:
    return _parse_bundle(path, None)


def _parse_bundle(path: Path, entitled: bool | None) -> Partner:
    try:
        record = json.loads(path.read_text())
        signing = Ed25519PublicKey.from_public_bytes(base64.b64decode(record["signing_public"]))
        agreement = X25519PublicKey.from_public_bytes(base64.b64decode(record["agreement_public"]))
        org = check_org(str(record["org"]))
    except (ValueError, KeyError, TypeError) as err:
        raise FraudnetError(f"{path}: not a fraudnet public key bundle") from err
    flag = bool(record.get("entitled_to_personal_data", False)) if entitled is None else entitled
    if record.get("fingerprint") not in (None, fingerprint(signing)):
        raise FraudnetError(f"{path}: fingerprint does not match the signing key")
    return Partner(org, signing, agreement, flag)


def _private_pem(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _load_private(pem: bytes) -> object:
    return serialization.load_pem_private_key(pem, password=None)


def _raw_public(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
