"""FollowTheMoney JSON lines: the entity stream Aleph and the `ftm` tools read.

One network becomes: a Project (the network), Person or Company per party, BankAccount per
account, Ownership from holder to account, Payment per payment (payer, beneficiary, their
accounts, Decimal amount, currency, date), ProjectParticipant for a party's role,
UnknownLink from an account to the Project for an account's role, and a Note for a device or
IP role. Accounts whose holder the store does not know (other banks' customers) are paid by
or to a LegalEntity "holder of <account>"; cash has one LegalEntity "cash". Dates are FtM's
zoneless dates, in UTC (FtM's date type drops the seconds of a value ending in Z). Ids come
from FtM's `make_id`: SHA-1 of the values, which anyone can recompute, so never a pseudonym.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy, model
from followthemoney.exc import InvalidData

from fraudnet.interchange.banking import is_bic, is_iban
from fraudnet.interchange.network import (
    AccountRow,
    NetworkData,
    PartyRow,
    PaymentRow,
    RoleRow,
    money,
)
from fraudnet.interchange.registry import (
    ExportFormat,
    ExportOptions,
    ExportSummary,
    register_format,
)

ID_PREFIX = "fraudnet"
PARTY_SCHEMATA = ("Person", "Company")


def entity_id(*parts: str) -> str:
    """FtM's own id for fraudnet `parts`: an unkeyed SHA-1 (see the module docstring)."""
    proxy = model.make_entity("Thing")
    made = proxy.make_id(ID_PREFIX, *parts)
    assert made is not None
    return made


def ftm_date(value: Any) -> str:
    """A stored UTC instant or a date as FtM's zoneless date text (seconds kept)."""
    if hasattr(value, "hour"):
        return str(value.replace(microsecond=0, tzinfo=None).isoformat())
    return str(value.isoformat())


class _Entities:
    """Builds the entity list for one network, keeping ids consistent between entities."""

    def __init__(self, data: NetworkData) -> None:
        self.data = data
        self.out: list[EntityProxy] = []
        self.project_id = entity_id("network", data.network_id)

    def make(self, schema: str, *id_parts: str, **props: Any) -> EntityProxy:
        proxy = model.make_entity(schema)
        proxy.id = entity_id(schema.lower(), *id_parts)
        for prop, value in props.items():
            if value is not None and value != []:
                proxy.add(prop, value)
        self.out.append(proxy)
        return proxy

    def build(self) -> list[EntityProxy]:
        self.project()
        holders = {pid: self.party(p) for pid, p in sorted(self.data.parties.items())}
        accounts = {aid: self.account(a) for aid, a in sorted(self.data.accounts.items())}
        owners = {aid: self.owner(a, holders) for aid, a in sorted(self.data.accounts.items())}
        for payment in self.data.payments:
            self.payment(payment, owners, accounts)
        for role in self.data.roles:
            self.role(role, holders, accounts)
        return self.out

    def project(self) -> None:
        s = self.data.summary
        proxy = model.make_entity("Project")
        proxy.id = self.project_id
        proxy.add("name", self.data.network_id)
        proxy.add("projectId", self.data.network_id)
        proxy.add("summary", _network_summary(s))
        for prop, key in (("startDate", "first_activity"), ("endDate", "last_activity")):
            if s.get(key) is not None:
                proxy.add(prop, ftm_date(s[key]))
        if s.get("typology"):
            proxy.add("keywords", s["typology"])
        self.out.append(proxy)

    def party(self, party: PartyRow) -> EntityProxy:
        schema = "Company" if party.kind == "org" else "Person"
        props: dict[str, Any] = {
            "name": self.data.label(party),
            "notes": f"fraudnet party_id: {party.party_id}",
            "country": party.country,
            "address": ", ".join(x for x in (party.address, party.city, party.postcode) if x)
            or None,
            "phone": party.phones,
            "email": party.emails,
        }
        if schema == "Person":
            props |= {
                "firstName": party.given_name,
                "lastName": party.family_name,
                "birthDate": ftm_date(party.dob) if party.dob else None,
                "nationality": party.nationality,
                "gender": (party.gender or "").lower() or None,
            }
        return self.make(schema, party.party_id, **props)

    def account(self, account: AccountRow) -> EntityProxy:
        iban = is_iban(account.account_id)
        return self.make(
            "BankAccount",
            account.account_id,
            iban=account.account_id if iban else None,
            accountNumber=None if iban else account.account_id,
            bic=account.institution if is_bic(account.institution) else None,
            bankName=None if is_bic(account.institution) else account.institution,
            country=account.jurisdiction,
            currency=account.currency,
            openingDate=ftm_date(account.opened_at) if account.opened_at else None,
            accountType=account.kind,
        )

    def owner(self, account: AccountRow, holders: dict[str, EntityProxy]) -> EntityProxy:
        """The account's holder (with an Ownership), or a placeholder LegalEntity."""
        asset = entity_id("bankaccount", account.account_id)
        if account.holder_party_id and account.holder_party_id in holders:
            holder = holders[account.holder_party_id]
            self.make(
                "Ownership",
                account.holder_party_id,
                account.account_id,
                owner=holder.id,
                asset=asset,
                role="account holder",
            )
            return holder
        return self.make(
            "LegalEntity",
            "holder",
            account.account_id,
            name=f"holder of {account.account_id}",
        )

    def payment(
        self,
        payment: PaymentRow,
        owners: dict[str, EntityProxy],
        accounts: dict[str, EntityProxy],
    ) -> None:
        cash = self.cash()
        payer = owners[payment.src_account] if payment.src_account else cash
        payee = owners[payment.dst_account] if payment.dst_account else cash
        self.make(
            "Payment",
            payment.txn_id,
            payer=payer.id,
            beneficiary=payee.id,
            payerAccount=accounts[payment.src_account].id if payment.src_account else None,
            beneficiaryAccount=accounts[payment.dst_account].id if payment.dst_account else None,
            amount=money(payment.amount),
            currency=payment.currency,
            date=ftm_date(payment.ts),
            transactionNumber=payment.txn_id,
            purpose=payment.reference,
            summary=f"{payment.kind} payment by {payment.channel}",
            project=self.project_id,
        )

    def cash(self) -> EntityProxy:
        existing = [e for e in self.out if e.id == entity_id("legalentity", "cash")]
        return existing[0] if existing else self.make("LegalEntity", "cash", name="cash")

    def role(
        self,
        role: RoleRow,
        holders: dict[str, EntityProxy],
        accounts: dict[str, EntityProxy],
    ) -> None:
        about = f"{role.summary} (confidence {role.confidence:.2f})"
        key = (role.subject_kind, role.subject, role.role)
        if role.subject_kind == "party" and role.subject in holders:
            self.make(
                "ProjectParticipant",
                *key,
                participant=holders[role.subject].id,
                project=self.project_id,
                role=role.role,
                summary=about,
            )
        elif role.subject_kind == "account" and role.subject in accounts:
            self.make(
                "UnknownLink",
                *key,
                subject=accounts[role.subject].id,
                object=self.project_id,
                role=role.role,
                summary=about,
            )
        else:
            self.make(
                "Note",
                *key,
                name=f"{role.subject_kind} {role.subject}: {role.role}",
                entity=self.project_id,
                summary=about,
                ipMentioned=role.subject if role.subject_kind == "ip" else None,
            )


def _network_summary(s: dict[str, Any]) -> str:
    return (
        f"fraudnet network: {s.get('size')} accounts, {s.get('victims')} victims, "
        f"victim funds {money(s.get('victim_funds') or 0)}, funds out "
        f"{money(s.get('funds_out') or 0)}, {s.get('herders')} herders; "
        f"seeded from {s.get('seeded_from')}"
    )


def read_entities(path: Path) -> list[EntityProxy]:
    """Parse a FtM JSON-lines file with the library (values re-cleaned: untrusted input)."""
    entities = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                entities.append(model.get_proxy(json.loads(line), cleaned=False))
    return entities


@register_format
class FtmFormat(ExportFormat):
    """FollowTheMoney entities, one JSON object a line."""

    name = "ftm"
    suffix = ".ftm.json"
    description = "FollowTheMoney JSON lines (Aleph, ftm tools: GEXF, Cypher, RDF)"

    def render(self, data: NetworkData, options: ExportOptions) -> bytes:
        entities = _Entities(data).build()
        return "".join(
            json.dumps(e.to_dict(), sort_keys=True, ensure_ascii=False) + "\n" for e in entities
        ).encode("utf-8")

    def validate(self, path: Path) -> list[str]:
        """Each line must parse, name a known schema, and pass that schema's validation;
        every entity reference must point at an entity in the file."""
        problems: list[str] = []
        ids: set[str] = set()
        refs: list[tuple[int, str]] = []
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                problems.extend(_line_problems(number, line, ids, refs))
        problems.extend(
            f"line {n}: reference to missing entity {r}" for n, r in refs if r not in ids
        )
        return problems

    def read_back(self, path: Path) -> ExportSummary:
        entities = read_entities(path)
        payments = [e for e in entities if e.schema.name == "Payment"]
        accounts = [e for e in entities if e.schema.name == "BankAccount"]
        return ExportSummary(
            accounts=frozenset(
                (e.first("iban") or e.first("accountNumber") or "") for e in accounts
            ),
            parties=sum(1 for e in entities if e.schema.name in PARTY_SCHEMATA),
            payments=len(payments),
            amount=sum((Decimal(e.first("amount") or 0) for e in payments), Decimal(0)),
            payment_ids=frozenset(e.first("transactionNumber") or "" for e in payments),
        )


def _line_problems(number: int, line: str, ids: set[str], refs: list[tuple[int, str]]) -> list[str]:
    if not line.strip():
        return []
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as err:
        return [f"line {number}: not JSON ({err.msg})"]
    schema = model.get(raw.get("schema", "")) if isinstance(raw, dict) else None
    if schema is None:
        return [f"line {number}: unknown FtM schema {raw.get('schema')!r}"]
    try:
        schema.validate(raw)  # raises on a value its type rejects
    except InvalidData as err:
        return [f"line {number}: {schema.name} {json.dumps(err.errors, sort_keys=True)}"]
    given = raw.get("properties", {})
    missing = [p for p in schema.required if not given.get(p)]  # validate skips absent ones
    if missing:
        return [f"line {number}: {schema.name} lacks required {', '.join(missing)}"]
    if not raw.get("id"):
        return [f"line {number}: {schema.name} has no id"]
    ids.add(raw["id"])
    proxy = model.get_proxy(raw, cleaned=False)
    for prop, value in proxy.itervalues():
        if prop.type.name == "entity":
            refs.append((number, value))
    return []
