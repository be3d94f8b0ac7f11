"""Exact identifiers normalised one way on both sides, so a PSI hit means the same value.

Each kind is a class registered by `NAME` (account, iban, phone, email, device, ip). A value
that cannot be read as its kind returns None: it is left out of a PSI set rather than sent
in a form the partner would never match. Account ids follow ingest (`GB-<sortcode>-<account>`,
IBAN upper case without spaces), so ids already in a store pass through unchanged.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from abc import ABC, abstractmethod
from typing import ClassVar

from fraudnet.errors import FraudnetError

INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
UK_ACCOUNT = re.compile(r"^[0-9]{14}$")
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DEVICE_SHAPE = re.compile(r"^[a-z0-9][a-z0-9:._-]{3,127}$")

_KINDS: dict[str, IdentifierKind] = {}


class IdentifierKind(ABC):
    """One kind of exact identifier: how both organisations write it before matching."""

    NAME: ClassVar[str]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        _KINDS[cls.NAME] = cls()

    @abstractmethod
    def normalise(self, raw: str) -> str | None:
        """The canonical text of `raw`, or None when it is not a value of this kind."""


def _visible(raw: str) -> str:
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", raw)).strip()


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616 mod-97 check: a mistyped IBAN is refused instead of matching nothing."""
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


class Iban(IdentifierKind):
    NAME = "iban"

    def normalise(self, raw: str) -> str | None:
        compact = re.sub(r"[\s-]", "", _visible(raw)).upper()
        ok = IBAN_SHAPE.match(compact) and iban_checksum_ok(compact)
        return compact if ok else None


class Account(IdentifierKind):
    """UK sort code + account number as GB-ssssss-nnnnnnnn, an IBAN, or a source-prefixed id."""

    NAME = "account"

    def normalise(self, raw: str) -> str | None:
        text = _visible(raw)
        digits = re.sub(r"GB-|[-\s/]", "", text)
        if UK_ACCOUNT.match(digits):
            return f"GB-{digits[:6]}-{digits[6:]}"
        compact = text.replace(" ", "").upper()
        if len(compact) >= 15 and IBAN_SHAPE.match(compact):
            return compact  # as ingest does: shape only, so stored ids pass through unchanged
        return text or None


class Phone(IdentifierKind):
    """E.164 ('+447700900123'); national numbers are read as UK ones."""

    NAME = "phone"
    default_region = "GB"

    def normalise(self, raw: str) -> str | None:
        import phonenumbers

        try:
            number = phonenumbers.parse(_visible(raw), self.default_region)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_possible_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Email(IdentifierKind):
    """Lower case, trimmed; no provider-specific rewriting (dots, plus tags stay)."""

    NAME = "email"

    def normalise(self, raw: str) -> str | None:
        text = _visible(raw).lower()
        return text if EMAIL_SHAPE.match(text) else None


class Device(IdentifierKind):
    """A device fingerprint: lower case, trimmed, 4-128 characters of a plain alphabet."""

    NAME = "device"

    def normalise(self, raw: str) -> str | None:
        text = _visible(raw).lower()
        return text if DEVICE_SHAPE.match(text) else None


class Ip(IdentifierKind):
    """IPv4 or IPv6 in compressed form; IPv4-mapped IPv6 addresses as IPv4."""

    NAME = "ip"

    def normalise(self, raw: str) -> str | None:
        try:
            address = ipaddress.ip_address(_visible(raw))
        except ValueError:
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(address)


def identifier_kind(name: str) -> IdentifierKind:
    """The registered kind called `name`, with the known kinds in the error."""
    if name not in _KINDS:
        raise FraudnetError(f"unknown identifier kind {name!r}; known: {', '.join(sorted(_KINDS))}")
    return _KINDS[name]


def identifier_kinds() -> list[str]:
    return sorted(_KINDS)


def normalise_all(kind: str, values: list[str]) -> list[str]:
    """Distinct normalised values of one kind, sorted; unreadable values are dropped."""
    normaliser = identifier_kind(kind)
    kept = {normaliser.normalise(v) for v in values if v is not None}
    return sorted(v for v in kept if v)
