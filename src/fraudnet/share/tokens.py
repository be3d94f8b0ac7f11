"""Keyed tokens: HMAC-SHA256 of a normalised identifier under a key per sender and recipient.

Both sides derive the same key by X25519 agreement and HKDF, bound to the direction
(sender, recipient), so a token means something only to the one recipient it was made for;
another partner, or anyone without the key, cannot recompute it from a phone number, as
they could an unkeyed hash. Whoever holds the key can still try candidate values
(docs/sharing.md), so tokens travel only inside signed, addressed packages.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

TOKEN_INFO = b"fraudnet token key v1"
_SEP = "\x1f"


def pair_key(own: X25519PrivateKey, partner: X25519PublicKey, sender: str, recipient: str) -> bytes:
    """The token key for packages from `sender` to `recipient`; either side can derive it."""
    shared = own.exchange(partner)
    info = TOKEN_INFO + _SEP.join(("", sender, recipient)).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def normalise(kind: str, value: str) -> str:
    """The form both sides tokenise: trimmed; emails lower-case; accounts without spaces."""
    text = value.strip()
    if kind == "email":
        return text.lower()
    if kind in ("account", "phone"):
        return "".join(text.split()).upper()
    return text


def token(key: bytes, kind: str, value: str) -> str:
    """A keyed token for `value` of `kind` (the kind is inside, so kinds never collide)."""
    message = f"{kind}{_SEP}{normalise(kind, value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
