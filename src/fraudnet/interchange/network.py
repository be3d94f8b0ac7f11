"""One network as every export format sees it: roles, accounts, parties and payments.

The payments are the ones the intelligence report shows (victims' payments in, payments
between members, money leaving by cash, crypto or abroad), so a chart, a bundle and the
report agree. With `redact` the personal fields that `fraudnet.redact` masks (names, date
of birth, address, postcode, phones, e-mails) are dropped here, before any format sees them;
a party is then labelled by its id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.report.data import load_report_data

CENTS = Decimal("0.01")
ACCOUNTS_VIEW = "ix_accounts"
PARTIES_VIEW = "ix_parties"
TXNS_VIEW = "ix_txns"


@dataclass(frozen=True, slots=True)
class RoleRow:
    """A member's role in the network and the evidence summary behind it."""

    subject: str
    subject_kind: str  # account, party, device, ip
    role: str
    confidence: float
    summary: str
    transactions: tuple[str, ...]


@dataclass(slots=True)
class AccountRow:
    account_id: str
    institution: str | None = None
    jurisdiction: str | None = None
    currency: str | None = None
    opened_at: datetime | None = None
    holder_party_id: str | None = None
    kind: str | None = None


@dataclass(slots=True)
class PartyRow:
    party_id: str
    kind: str = "person"  # person or org
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    dob: date | None = None
    gender: str | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    nationality: str | None = None
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PaymentRow:
    txn_id: str
    ts: datetime  # naive, UTC
    src_account: str | None
    dst_account: str | None
    amount: Decimal
    currency: str
    channel: str
    reference: str | None
    kind: str  # victim, internal, out


@dataclass
class NetworkData:
    """Everything an export writes, personal fields already removed when `redacted`."""

    network_id: str
    summary: dict[str, Any]
    roles: list[RoleRow]
    accounts: dict[str, AccountRow]
    parties: dict[str, PartyRow]
    payments: list[PaymentRow]
    redacted: bool = False

    def roles_of(self, subject: str) -> list[RoleRow]:
        return [r for r in self.roles if r.subject == subject]

    def label(self, party: PartyRow) -> str:
        """The party's name, or `party <id>` when redacted or unnamed (formats need a name)."""
        return party.name or f"party {party.party_id}"

    def total(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0)).quantize(CENTS)


def utc_iso(value: datetime) -> str:
    """A stored instant (naive UTC) as ISO-8601 with a Z, to the second."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def money(value: Decimal | float | int) -> str:
    """Money as a Decimal string with two places: never a float."""
    return str(Decimal(str(value)).quantize(CENTS))


def load_network(engine: Engine, network_id: str, redact: bool = False) -> NetworkData:
    """Read one network from the store; an unknown id is a KeyError naming it."""
    report = load_report_data(engine, network_id)
    roles = [_role(r) for r in report.roles.iter_rows(named=True)]
    txns, txn_kinds = report.payments["txn_id"].to_list(), report.payments["kind"].to_list()
    kinds = dict(zip(txns, txn_kinds, strict=True))
    payments = _payments(engine, kinds)
    account_ids = {r.subject for r in roles if r.subject_kind == "account"}
    for p in payments:
        account_ids.update(a for a in (p.src_account, p.dst_account) if a)
    accounts = _accounts(engine, sorted(account_ids))
    party_ids = {r.subject for r in roles if r.subject_kind == "party"}
    party_ids.update(a.holder_party_id for a in accounts.values() if a.holder_party_id)
    parties = _parties(engine, sorted(party_ids), accounts)
    data = NetworkData(network_id, dict(report.network), roles, accounts, parties, payments)
    return redacted(data) if redact else data


def redacted(data: NetworkData) -> NetworkData:
    """`data` without the personal fields `fraudnet.redact` masks; ids and countries kept."""
    parties = {
        pid: replace(
            p,
            name=None,
            given_name=None,
            family_name=None,
            dob=None,
            address=None,
            postcode=None,
            phones=[],
            emails=[],
        )
        for pid, p in data.parties.items()
    }
    return replace(data, parties=parties, redacted=True)


def _role(row: dict[str, Any]) -> RoleRow:
    evidence = json.loads(row["evidence"] or "{}")
    return RoleRow(
        subject=row["subject"],
        subject_kind=row["subject_kind"],
        role=row["role"],
        confidence=float(row["confidence"] or 0.0),
        summary=str(evidence.get("summary", "")),
        transactions=tuple(evidence.get("transactions", [])),
    )


def _with_ids(engine: Engine, view: str, column: str, ids: list[str], sql: str) -> pa.Table:
    """Run `sql` against a temporary one-column table of `ids` (no values pasted into SQL)."""
    engine.temp_table(view, pa.table({column: pa.array(ids, pa.string())}))
    try:
        return engine.sql(sql)
    finally:
        engine.drop_temp(view)


def _payments(engine: Engine, kinds: dict[str, str]) -> list[PaymentRow]:
    sql = f"""
    SELECT t.txn_id, t.ts, t.src_account, t.dst_account, t.amount, t.currency, t.channel,
           t.reference FROM transactions t JOIN {TXNS_VIEW} v ON v.txn_id = t.txn_id
    """
    rows = _with_ids(engine, TXNS_VIEW, "txn_id", sorted(kinds), sql).to_pylist()
    payments = [
        PaymentRow(
            txn_id=r["txn_id"],
            ts=r["ts"],
            src_account=r["src_account"],
            dst_account=r["dst_account"],
            amount=Decimal(r["amount"]).quantize(CENTS),
            currency=r["currency"],
            channel=r["channel"],
            reference=r["reference"],
            kind=kinds[r["txn_id"]],
        )
        for r in rows
    ]
    return sorted(payments, key=lambda p: (p.ts, p.txn_id))


def _accounts(engine: Engine, ids: list[str]) -> dict[str, AccountRow]:
    """Customers' accounts in full; other banks' accounts with what the payment carried."""
    found = {a: AccountRow(a) for a in ids}
    sql = f"""
    SELECT c.account_id, c.institution, c.jurisdiction FROM counterparty_accounts c
    JOIN {ACCOUNTS_VIEW} v ON v.account_id = c.account_id
    """
    for r in _with_ids(engine, ACCOUNTS_VIEW, "account_id", ids, sql).to_pylist():
        found[r["account_id"]] = AccountRow(**r)
    sql = f"""
    SELECT a.account_id, a.institution, a.jurisdiction, a.currency, a.opened_at,
           a.holder_party_id, a.kind FROM accounts a
    JOIN {ACCOUNTS_VIEW} v ON v.account_id = a.account_id
    """
    for r in _with_ids(engine, ACCOUNTS_VIEW, "account_id", ids, sql).to_pylist():
        found[r["account_id"]] = AccountRow(**r)
    return found


PARTY_COLUMNS = (
    "party_id",
    "kind",
    "name",
    "given_name",
    "family_name",
    "dob",
    "gender",
    "address",
    "postcode",
    "city",
    "country",
    "nationality",
)


def _parties(
    engine: Engine, ids: list[str], accounts: dict[str, AccountRow]
) -> dict[str, PartyRow]:
    found = {p: PartyRow(p) for p in ids}
    select = ", ".join(f"p.{c}" for c in (*PARTY_COLUMNS, "phone", "email"))
    sql = f"SELECT {select} FROM parties p JOIN {PARTIES_VIEW} v ON v.party_id = p.party_id"
    for r in _with_ids(engine, PARTIES_VIEW, "party_id", ids, sql).to_pylist():
        party = PartyRow(**{c: r[c] for c in PARTY_COLUMNS})
        party.kind = party.kind or "person"
        party.phones = [r["phone"]] if r["phone"] else []
        party.emails = [r["email"]] if r["email"] else []
        found[party.party_id] = party
    _add_contacts(engine, found, accounts)
    return found


def _add_contacts(
    engine: Engine, parties: dict[str, PartyRow], accounts: dict[str, AccountRow]
) -> None:
    """Phones and e-mails from `identifiers`, owned by a party or by an account it holds."""
    holder = {a.account_id: a.holder_party_id for a in accounts.values() if a.holder_party_id}
    owners = sorted({*parties, *holder})
    sql = f"""
    SELECT DISTINCT i.owner, i.kind, i.value FROM identifiers i
    JOIN {PARTIES_VIEW} v ON v.party_id = i.owner WHERE i.kind IN ('phone', 'email')
    ORDER BY i.owner, i.kind, i.value
    """
    for r in _with_ids(engine, PARTIES_VIEW, "party_id", owners, sql).to_pylist():
        party = parties.get(r["owner"]) or parties.get(holder.get(r["owner"], ""))
        if party is None:
            continue
        found = party.phones if r["kind"] == "phone" else party.emails
        if r["value"] not in found:
            found.append(r["value"])
