"""The sets of identifiers a store can put into a PSI query, registered by name.

A set reads raw values from the store's canonical tables and normalises them with the
identifier kind it declares, so both organisations send values in the same form.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.share.identifiers import normalise_all

_SETS: dict[str, IdentifierSet] = {}


class IdentifierSet(ABC):
    """Named values of one kind taken from a store."""

    NAME: ClassVar[str]
    KIND: ClassVar[str]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        if "NAME" in vars(cls):  # abstract helpers in between declare no name
            _SETS[cls.NAME] = cls()

    @abstractmethod
    def raw_sql(self) -> str:
        """A SELECT of one text column `value` (fixed SQL: no user input in it)."""

    def values(self, engine: Engine) -> list[str]:
        """Distinct normalised values, sorted."""
        raw = engine.sql(self.raw_sql()).column("value").to_pylist()
        return normalise_all(self.KIND, [v for v in raw if v is not None])


class OwnAccounts(IdentifierSet):
    NAME, KIND = "accounts", "account"

    def raw_sql(self) -> str:
        return "SELECT account_id AS value FROM accounts"


class CounterpartyAccounts(IdentifierSet):
    """Accounts at other institutions that this store's customers paid or were paid by."""

    NAME, KIND = "counterparty-accounts", "account"

    def raw_sql(self) -> str:
        return (
            "SELECT value FROM (SELECT src_account AS value FROM transactions UNION "
            "SELECT dst_account FROM transactions) WHERE value NOT IN "
            "(SELECT account_id FROM accounts)"
        )


class _IdentifierColumn(IdentifierSet):
    """A kind held in `identifiers`, `parties` and `events` (same column name in the last two)."""

    PARTY_COLUMN: ClassVar[str | None] = None

    def raw_sql(self) -> str:
        parts = [f"SELECT value FROM identifiers WHERE kind = '{self.KIND}'"]
        if self.PARTY_COLUMN:
            parts.append(f"SELECT {self.PARTY_COLUMN} FROM parties")
        parts.append(f"SELECT {self.KIND} FROM events")
        return " UNION ".join(parts)


class Phones(_IdentifierColumn):
    NAME, KIND, PARTY_COLUMN = "phones", "phone", "phone"


class Emails(_IdentifierColumn):
    NAME, KIND, PARTY_COLUMN = "emails", "email", "email"


class Devices(_IdentifierColumn):
    NAME, KIND = "devices", "device"


class Ips(_IdentifierColumn):
    NAME, KIND = "ips", "ip"


def identifier_set(name: str) -> IdentifierSet:
    """The registered set called `name`, with the known sets in the error."""
    if name not in _SETS:
        raise FraudnetError(f"unknown identifier set {name!r}; known: {', '.join(sorted(_SETS))}")
    return _SETS[name]


def default_set_for(kind: str) -> IdentifierSet:
    """What a responder matches a request of `kind` against: its own holdings of that kind."""
    for candidate in _SETS.values():
        if kind == candidate.KIND and candidate.NAME != "counterparty-accounts":
            return candidate
    raise FraudnetError(f"no identifier set holds kind {kind!r}")


def values_from_file(path: str, kind: str) -> list[str]:
    """Normalised values of `kind` from a text file, one a line; a file with none is an error."""
    try:
        with open(path, encoding="utf-8") as handle:
            raw = [line.strip() for line in handle if line.strip()]
    except (OSError, UnicodeDecodeError) as err:
        raise FraudnetError(f"cannot read values ({err})", file=path) from None
    values = normalise_all(kind, raw)
    if not values:
        raise FraudnetError(f"no readable {kind} values (of {len(raw)} lines)", file=path)
    return values


def query_values(
    engine: Engine, set_name: str | None, values_file: str | None, kind: str
) -> list[str]:
    """What a store sends: a named set of its own, or values read from a file."""
    if values_file:
        return values_from_file(values_file, kind)
    chosen = identifier_set(set_name) if set_name else default_set_for(kind)
    if kind != chosen.KIND:
        raise FraudnetError(f"set {chosen.NAME!r} holds {chosen.KIND} values, not {kind}")
    return chosen.values(engine)
