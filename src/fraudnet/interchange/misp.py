"""MISP events, built offline with PyMISP from MISP's own object templates.

One network is one event (distribution 0: this organisation only) holding `bank-account`,
`person` (or `legal-entity` for an organisation), `phone-number` and `transaction` objects.
References follow MISP's own goAML export: a transaction refers to the paying account with
`from` and the receiving one with `to`; an account refers to its holder with `owned-by`; a
person refers to a phone with `uses`. Network roles are the person's `role` attributes and
the account's `text`; device and IP roles are event attributes. Amounts are Decimal strings,
times UTC with an offset.
"""

from __future__ import annotations

import json
from datetime import UTC
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import phonenumbers
from pymisp import MISPEvent, MISPObject

from fraudnet.interchange.banking import is_bic, is_iban
from fraudnet.interchange.network import NetworkData, PartyRow, PaymentRow, money
from fraudnet.interchange.registry import (
    ExportFormat,
    ExportOptions,
    ExportSummary,
    register_format,
)

DISTRIBUTION_ORG_ONLY = 0
GENDERS = {"male": "Male", "female": "Female", "other": "Other"}
PARTY_OBJECTS = ("person", "legal-entity")


def e164(phone: str) -> str | None:
    """A phone number in E.164 (UK numbers without a country code taken as GB), else None."""
    try:
        parsed = phonenumbers.parse(phone, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _obj(name: str, values: dict[str, Any]) -> MISPObject:
    """A template-checked object (strict: an unknown relation raises) with the non-empty values."""
    obj = MISPObject(name, strict=True)
    for relation, value in values.items():
        for one in value if isinstance(value, list) else [value]:
            if one is not None and one != "":
                obj.add_attribute(relation, value=one)
    return obj


class _Event:
    def __init__(self, data: NetworkData) -> None:
        self.data = data
        self.event = MISPEvent()

    def build(self) -> MISPEvent:
        s = self.data.summary
        ev = self.event
        ev.info = (
            f"fraudnet network {self.data.network_id}: {s.get('size')} accounts, "
            f"{s.get('victims')} victims, victim funds {money(s.get('victim_funds') or 0)}"
        )
        ev.distribution = DISTRIBUTION_ORG_ONLY
        ev.threat_level_id = 2
        ev.analysis = 1
        ev.add_tag(f'fraudnet:network="{self.data.network_id}"')
        parties = {pid: self.party(p) for pid, p in sorted(self.data.parties.items())}
        accounts = {aid: self.account(aid, parties) for aid in sorted(self.data.accounts)}
        for payment in self.data.payments:
            self.transaction(payment, accounts)
        for role in self.data.roles:
            if role.subject_kind in ("ip", "device"):
                ev.add_attribute(
                    "ip-src" if role.subject_kind == "ip" else "text",
                    role.subject,
                    comment=f"{role.subject_kind} role {role.role}: {role.summary}",
                    to_ids=False,
                )
        return ev

    def party(self, party: PartyRow) -> MISPObject:
        roles = sorted({r.role for r in self.data.roles_of(party.party_id)})
        note = f"fraudnet party_id: {party.party_id}"
        if party.kind == "org":
            obj = _obj("legal-entity", {"name": self.data.label(party), "text": note})
        else:
            obj = _obj(
                "person",
                {
                    "full-name": self.data.label(party),
                    "first-name": party.given_name,
                    "last-name": party.family_name,
                    "date-of-birth": party.dob.isoformat() if party.dob else None,
                    "gender": GENDERS.get((party.gender or "").lower()),
                    "nationality": party.nationality,
                    "address": ", ".join(
                        x for x in (party.address, party.city, party.postcode, party.country) if x
                    )
                    or None,
                    "e-mail": party.emails,
                    "role": roles,
                    "text": note,
                },
            )
        self.event.add_object(obj)
        for phone in sorted({n for n in map(e164, party.phones) if n}):
            number = self.event.add_object(_obj("phone-number", {"phone-number": phone}))
            obj.add_reference(number.uuid, "uses")
        return obj

    def account(self, account_id: str, parties: dict[str, MISPObject]) -> MISPObject:
        a = self.data.accounts[account_id]
        roles = self.data.roles_of(account_id)
        text = "; ".join(f"{r.role}: {r.summary}" for r in roles) or None
        obj = _obj(
            "bank-account",
            {
                "account": account_id,
                "iban": account_id if is_iban(account_id) else None,
                "swift": a.institution if is_bic(a.institution) else None,
                "institution-name": None if is_bic(a.institution) else a.institution,
                "currency-code": a.currency,
                "opened": a.opened_at.replace(tzinfo=UTC) if a.opened_at else None,
                "personal-account-type": {"business": "A - Business"}.get(a.kind or "")
                or ("B - Personal Current" if a.kind == "personal" else None),
                "text": text,
            },
        )
        holder = parties.get(a.holder_party_id or "")
        if holder is not None:
            obj.add_reference(holder.uuid, "owned-by")
        self.event.add_object(obj)
        return obj

    def transaction(self, p: PaymentRow, accounts: dict[str, MISPObject]) -> None:
        src = self.data.accounts.get(p.src_account or "")
        dst = self.data.accounts.get(p.dst_account or "")
        obj = _obj(
            "transaction",
            {
                "transaction-number": p.txn_id,
                "date": p.ts.replace(tzinfo=UTC),
                "amount": money(p.amount),
                "transmode-code": p.channel,
                "from-country": src.jurisdiction if src else None,
                "to-country": dst.jurisdiction if dst else None,
                "text": f"{p.currency} {money(p.amount)} ({p.kind}); "
                f"reference: {p.reference or ''}",
            },
        )
        if p.src_account:
            obj.add_reference(accounts[p.src_account].uuid, "from")
        if p.dst_account:
            obj.add_reference(accounts[p.dst_account].uuid, "to")
        self.event.add_object(obj)


@cache
def template(name: str) -> dict[str, Any]:
    """MISP's object template `name` as shipped inside PyMISP (offline)."""
    path = (
        resources.files("pymisp") / "data" / "misp-objects" / "objects" / name / "definition.json"
    )
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def load_event(path: Path) -> MISPEvent:
    event = MISPEvent()
    event.load(path.read_text(encoding="utf-8"))
    return event


def event_problems(event: MISPEvent) -> list[str]:
    """Each object against its template: known relations and types, required attributes;
    and every reference to an object in the event."""
    problems: list[str] = []
    uuids = {o.uuid for o in event.objects}
    for obj in event.objects:
        problems.extend(_object_problems(obj))
        problems.extend(
            f"{obj.name} {obj.uuid}: reference to missing object {ref.referenced_uuid}"
            for ref in obj.references
            if ref.referenced_uuid not in uuids
        )
    return problems


def _object_problems(obj: MISPObject) -> list[str]:
    where = f"{obj.name} {obj.uuid}"
    try:
        tmpl = template(obj.name)
    except FileNotFoundError:
        return [f"{where}: no MISP object template {obj.name!r}"]
    problems = []
    relations = [a.object_relation for a in obj.attributes]
    for attr in obj.attributes:
        spec = tmpl["attributes"].get(attr.object_relation)
        if spec is None:
            problems.append(f"{where}: {attr.object_relation!r} is not in the template")
        elif spec["misp-attribute"] != attr.type:
            problems.append(f"{where}: {attr.object_relation} has type {attr.type}")
        elif not spec.get("multiple") and relations.count(attr.object_relation) > 1:
            problems.append(f"{where}: {attr.object_relation} given more than once")
    missing = [r for r in tmpl.get("required", []) if r not in relations]
    if missing:
        problems.append(f"{where}: missing required {', '.join(missing)}")
    one_of = tmpl.get("requiredOneOf", [])
    if one_of and not set(one_of) & set(relations):
        problems.append(f"{where}: needs one of {', '.join(one_of)}")
    return problems


@register_format
class MispFormat(ExportFormat):
    """A MISP event (JSON, as MISP's event import reads it)."""

    name = "misp"
    suffix = ".misp.json"
    description = "MISP event with bank-account, person, phone-number and transaction objects"

    def render(self, data: NetworkData, options: ExportOptions) -> bytes:
        event = _Event(data).build()
        return (event.to_json(indent=1, sort_keys=False) + "\n").encode("utf-8")

    def validate(self, path: Path) -> list[str]:
        try:
            event = load_event(path)
        except Exception as err:  # PyMISP raises several types for a bad event
            return [f"{path.name}: PyMISP cannot load the event ({err})"]
        return event_problems(event)

    def read_back(self, path: Path) -> ExportSummary:
        event = load_event(path)
        by_name = {
            name: event.get_objects_by_name(name) for name in ("bank-account", "transaction")
        }
        payments = by_name["transaction"]
        return ExportSummary(
            accounts=frozenset(
                o.get_attributes_by_relation("account")[0].value for o in by_name["bank-account"]
            ),
            parties=sum(len(event.get_objects_by_name(n)) for n in PARTY_OBJECTS),
            payments=len(payments),
            amount=sum(
                (Decimal(o.get_attributes_by_relation("amount")[0].value) for o in payments),
                Decimal(0),
            ),
            payment_ids=frozenset(
                o.get_attributes_by_relation("transaction-number")[0].value for o in payments
            ),
        )
