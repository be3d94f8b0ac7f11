"""STIX 2.1 bundles: a network as a grouping of identities, bank accounts and payments.

STIX 2.1 has no bank account, so this module declares one: the `bank-account` observable
defined by the extension-definition `BANK_ACCOUNT_EXTENSION` (documented in
docs/interchange.md, carried in every bundle). A payment is a `related-to` relationship from
the paying account to the receiving one, with its amount (Decimal string), currency, channel
and transaction id in the `PAYMENT_EXTENSION` property extension; `start_time` is the UTC
time with a Z. Parties are `identity` objects whose `roles` are their network roles. A
bank-account id is uuid5 over the account number (the STIX rule for observables): anyone can
recompute it, so it is never a pseudonym.
"""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import stix2
from stix2 import properties as props
from stix2validator import ValidationOptions, validate_file

from fraudnet.interchange.banking import is_bic, is_iban
from fraudnet.interchange.network import NetworkData, PartyRow, RoleRow, money, utc_iso
from fraudnet.interchange.registry import (
    ExportFormat,
    ExportOptions,
    ExportSummary,
    register_format,
)

FRAUDNET_IDENTITY = "identity--3caef26f-37f8-4792-b6dd-9b2c61e3d8c0"
BANK_ACCOUNT_EXTENSION = "extension-definition--39ca5ef8-8b6a-41b3-8267-7745e7db8bf1"
PAYMENT_EXTENSION = "extension-definition--e8fdad41-a325-4d5f-8d5e-a767e8edb40e"
DEFINED_AT = "2026-12-02T00:00:00.000Z"
SCO_ID_WARNING = "{103}"  # the validator asks for uuid4 ids; STIX observables must use uuid5

BANK_ACCOUNT_SCHEMA = (
    "A bank account observed in payments. Properties: account_number (required; the "
    "account id as the bank keeps it: IBAN without spaces, GB-<sortcode>-<number>, or a "
    "source-prefixed id), iban, bic, institution (BIC or bank name), country (ISO 3166 "
    "alpha-2 of the institution), currency (ISO 4217), opened (timestamp, UTC), holder_ref "
    "(identity of the holder) and network_roles (roles in the network this bundle "
    "describes: victim, mule_tier1, mule_tier2plus, collector, herder). The id is uuid5 over "
    "account_number, so two bundles name the same account with the same id."
)
PAYMENT_SCHEMA = (
    "Adds a payment to a related-to relationship between two bank-account observables (or "
    "a bank account and the identity 'cash'): txn_id, amount (Decimal string, two places), "
    "currency (ISO 4217), channel (fps, chaps, bacs, card, cash_in, cash_out, intl_wire, "
    "crypto, internal, other), kind (victim, internal or out: a victim's payment in, a "
    "payment between members, money leaving) and reference (as typed by the payer). The "
    "relationship's start_time is when the payment was made, UTC."
)


@stix2.CustomObservable(
    "bank-account",
    [
        ("account_number", props.StringProperty(required=True)),
        ("iban", props.StringProperty()),
        ("bic", props.StringProperty()),
        ("institution", props.StringProperty()),
        ("country", props.StringProperty()),
        ("currency", props.StringProperty()),
        ("opened", props.TimestampProperty()),
        ("holder_ref", props.ReferenceProperty(valid_types=["identity"], spec_version="2.1")),
        ("network_roles", props.ListProperty(props.StringProperty)),
    ],
    id_contrib_props=["account_number"],
    extension_name=BANK_ACCOUNT_EXTENSION,
)
class BankAccount:
    """The bank-account observable (see BANK_ACCOUNT_SCHEMA)."""


BANK_ACCOUNT: Any = BankAccount  # stix2's decorator gives the class its properties at runtime


@stix2.CustomExtension(
    PAYMENT_EXTENSION,
    [
        ("extension_type", props.StringProperty(fixed="property-extension")),
        ("txn_id", props.StringProperty(required=True)),
        ("amount", props.StringProperty(required=True)),
        ("currency", props.StringProperty(required=True)),
        ("channel", props.StringProperty()),
        ("kind", props.StringProperty()),
        ("reference", props.StringProperty()),
    ],
)
class PaymentExtension:
    """The payment property extension (see PAYMENT_SCHEMA)."""


def extension_definitions() -> list[Any]:
    """The creator identity and the two extension definitions every bundle carries."""
    creator = stix2.Identity(
        id=FRAUDNET_IDENTITY,
        name="fraudnet",
        identity_class="system",
        description="fraudnet: networks, herders and fund tracing over bank data.",
        created=DEFINED_AT,
        modified=DEFINED_AT,
    )
    common = {
        "created_by_ref": FRAUDNET_IDENTITY,
        "created": DEFINED_AT,
        "modified": DEFINED_AT,
        "version": "1.0.0",
    }
    bank = stix2.ExtensionDefinition(
        id=BANK_ACCOUNT_EXTENSION,
        name="fraudnet bank-account",
        description="A bank account: a new observable type.",
        schema=BANK_ACCOUNT_SCHEMA,
        extension_types=["new-sco"],
        **common,
    )
    payment = stix2.ExtensionDefinition(
        id=PAYMENT_EXTENSION,
        name="fraudnet payment",
        description="A payment between two bank accounts, on a related-to relationship.",
        schema=PAYMENT_SCHEMA,
        extension_types=["property-extension"],
        **common,
    )
    return [creator, bank, payment]


class _Bundle:
    def __init__(self, data: NetworkData) -> None:
        self.data = data
        self.objects: list[Any] = []
        self.members: list[str] = []

    def add(self, obj: Any, member: bool = True) -> Any:
        self.objects.append(obj)
        if member:
            self.members.append(obj.id)
        return obj

    def build(self) -> list[Any]:
        for obj in extension_definitions():
            self.add(obj, member=False)
        parties = {pid: self.identity(p) for pid, p in sorted(self.data.parties.items())}
        accounts = {aid: self.account(aid, parties) for aid in sorted(self.data.accounts)}
        cash: Any = None
        if any(p.src_account is None or p.dst_account is None for p in self.data.payments):
            cash = self.add(
                stix2.Identity(
                    name="cash", identity_class="unknown", created_by_ref=FRAUDNET_IDENTITY
                )
            )
        for p in self.data.payments:
            src = accounts[p.src_account].id if p.src_account else cash.id
            dst = accounts[p.dst_account].id if p.dst_account else cash.id
            self.add(
                stix2.Relationship(
                    relationship_type="related-to",
                    source_ref=src,
                    target_ref=dst,
                    start_time=utc_iso(p.ts),
                    description=f"paid {p.currency} {money(p.amount)} by {p.channel}",
                    created_by_ref=FRAUDNET_IDENTITY,
                    extensions={
                        PAYMENT_EXTENSION: _drop_none(
                            {
                                "extension_type": "property-extension",
                                "txn_id": p.txn_id,
                                "amount": money(p.amount),
                                "currency": p.currency,
                                "channel": p.channel,
                                "kind": p.kind,
                                "reference": p.reference,
                            }
                        )
                    },
                )
            )
        self.addresses()
        grouping = stix2.Grouping(
            name=self.data.network_id,
            context="suspicious-activity",
            description=_describe(self.data),
            object_refs=self.members,
            created_by_ref=FRAUDNET_IDENTITY,
        )
        self.add(grouping, member=False)
        self.device_notes(grouping.id)
        return self.objects

    def identity(self, party: PartyRow) -> Any:
        contact = "; ".join([*party.phones, *party.emails]) or None
        roles = sorted({r.role for r in self.data.roles_of(party.party_id)})
        return self.add(
            stix2.Identity(
                **_drop_none(
                    {
                        "name": self.data.label(party),
                        "identity_class": "organization" if party.kind == "org" else "individual",
                        "description": f"fraudnet party_id: {party.party_id}",
                        "roles": roles or None,
                        "contact_information": contact,
                        "created_by_ref": FRAUDNET_IDENTITY,
                    }
                )
            )
        )

    def account(self, account_id: str, parties: dict[str, Any]) -> Any:
        a = self.data.accounts[account_id]
        holder = parties.get(a.holder_party_id or "")
        roles = sorted({r.role for r in self.data.roles_of(account_id)})
        return self.add(
            BANK_ACCOUNT(
                **_drop_none(
                    {
                        "account_number": account_id,
                        "iban": account_id if is_iban(account_id) else None,
                        "bic": a.institution if is_bic(a.institution) else None,
                        "institution": a.institution,
                        "country": a.jurisdiction,
                        "currency": a.currency,
                        "opened": utc_iso(a.opened_at) if a.opened_at else None,
                        "holder_ref": holder.id if holder else None,
                        "network_roles": roles or None,
                    }
                )
            )
        )

    def addresses(self) -> None:
        for role in self.data.roles:
            if role.subject_kind == "ip":
                kind = (
                    stix2.IPv4Address
                    if ip_address(role.subject).version == 4
                    else stix2.IPv6Address
                )
                self.add(kind(value=role.subject))

    def device_notes(self, grouping_id: str) -> None:
        for role in self.data.roles:
            if role.subject_kind in ("device", "ip"):
                self.add(
                    stix2.Note(
                        abstract=f"{role.subject_kind} {role.subject}: {role.role}",
                        content=_role_text(role),
                        object_refs=[grouping_id],
                        created_by_ref=FRAUDNET_IDENTITY,
                    ),
                    member=False,
                )


def _role_text(role: RoleRow) -> str:
    return f"{role.summary} (confidence {role.confidence:.2f})"


def _describe(data: NetworkData) -> str:
    s = data.summary
    return (
        f"fraudnet network {data.network_id}: {s.get('size')} accounts, {s.get('victims')} "
        f"victims, victim funds {money(s.get('victim_funds') or 0)}, funds out "
        f"{money(s.get('funds_out') or 0)}, typology {s.get('typology') or 'none'}"
    )


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


@register_format
class StixFormat(ExportFormat):
    """A STIX 2.1 bundle (JSON) with fraudnet's bank-account and payment extensions."""

    name = "stix"
    suffix = ".stix.json"
    description = "STIX 2.1 bundle with a bank-account observable extension (OpenCTI, MISP)"

    def render(self, data: NetworkData, options: ExportOptions) -> bytes:
        # stix2's own pretty Bundle.serialize is quadratic in the objects: each object is
        # serialised alone and the bundle is assembled here
        objects = [json.loads(obj.serialize()) for obj in _Bundle(data).build()]
        bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
        return (json.dumps(bundle, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def validate(self, path: Path) -> list[str]:
        """stix2-validator's errors and warnings, less its uuid4 warning on observables."""
        results = validate_file(str(path), ValidationOptions(version="2.1", silent=True))
        if results.fatal:
            return [f"{path.name}: {results.fatal.message}"]
        problems: list[str] = []
        for obj in results.object_results:
            problems.extend(f"{obj.object_id}: {e}" for e in obj.errors)
            problems.extend(f"{obj.object_id}: {w}" for w in obj.warnings if not _sco_id(str(w)))
        return problems

    def read_back(self, path: Path) -> ExportSummary:
        bundle = stix2.parse(path.read_text(encoding="utf-8"), allow_custom=False)
        objects = list(bundle.objects)
        accounts = [o for o in objects if o.type == "bank-account"]
        parties = [
            o
            for o in objects
            if o.type == "identity"
            and str(o.get("description", "")).startswith("fraudnet party_id")
        ]
        payments = [
            o.extensions[PAYMENT_EXTENSION]
            for o in objects
            if o.type == "relationship" and PAYMENT_EXTENSION in o.get("extensions", {})
        ]
        return ExportSummary(
            accounts=frozenset(a.account_number for a in accounts),
            parties=len(parties),
            payments=len(payments),
            amount=sum((Decimal(p.amount) for p in payments), Decimal(0)),
            payment_ids=frozenset(p.txn_id for p in payments),
        )


OBSERVABLE_TYPES = ("bank-account", "ipv4-addr", "ipv6-addr")
_ID_IN_WARNING = re.compile(r"Given ID value (\S+) is not a valid UUIDv4")


def _sco_id(warning: str) -> bool:
    """The validator's uuid4 warning about an observable, whose id must be uuid5 by the spec."""
    found = _ID_IN_WARNING.search(warning)
    if found is None or SCO_ID_WARNING not in warning:
        return False
    return found.group(1).split("--")[0] in OBSERVABLE_TYPES


def observable_id(account_id: str) -> str:
    """The STIX id of an account: uuid5 of its number under the STIX namespace (recomputable)."""
    return str(BANK_ACCOUNT(account_number=account_id).id)


__all__ = ["BANK_ACCOUNT_EXTENSION", "PAYMENT_EXTENSION", "StixFormat", "observable_id"]
