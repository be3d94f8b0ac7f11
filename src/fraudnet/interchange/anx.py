"""i2 Analyst's Notebook Exchange (ANX) charts, written with `anxwritter`.

Entities are typed by their role in the network, so ANB's legend and type filters show the
structure at once: "Herder", "Victim", "Account holder" for parties; "Herder account",
"Collector account", "Mule account (tier 2+)", "Mule account (tier 1)", "Victim account"
and "Account" for accounts; "Device", "IP address" and "Cash". Holding an account is a link
"Holds"; each payment is a "Payment" link from payer to payee account with its amount (a
Number attribute, exact to the penny), currency, channel and transaction id, dated in UTC
(ANB time zone UTC). The file is checked twice: by anxwritter's validator before writing,
and after writing by parsing it (defusedxml) and resolving every link end, type and
attribute class.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from anxwritter import ANXChart, TimeZone

from fraudnet.interchange.network import NetworkData, PaymentRow, RoleRow, money
from fraudnet.interchange.registry import (
    ExportFormat,
    ExportInvalid,
    ExportOptions,
    ExportSummary,
    register_format,
)

UTC_ZONE = TimeZone(id=1, name="UTC")
ROLE_ORDER = ("herder", "collector", "mule_tier2plus", "mule_tier1", "victim")
PARTY_TYPES = {"herder": "Herder", "victim": "Victim", None: "Account holder"}
ACCOUNT_TYPES = {
    "herder": "Herder account",
    "collector": "Collector account",
    "mule_tier2plus": "Mule account (tier 2+)",
    "mule_tier1": "Mule account (tier 1)",
    "victim": "Victim account",
    None: "Account",
}
OTHER_TYPES = {"device": "Device", "ip": "IP address", "cash": "Cash"}
ICONS = {"party": "person", "account": "account", "device": "computer", "ip": "computer"}
PAYMENT = "Payment"
HOLDS = "Holds"
CASH_ID = "cash"


def main_role(roles: list[RoleRow]) -> str | None:
    """The role that types an entity when it has several: herder first, victim last."""
    names = {r.role for r in roles}
    return next((r for r in ROLE_ORDER if r in names), None)


def _role_attributes(roles: list[RoleRow]) -> dict[str, Any]:
    if not roles:
        return {}
    return {
        "Roles": ", ".join(sorted({r.role for r in roles})),
        "Confidence": max(r.confidence for r in roles),
        "Evidence": " | ".join(r.summary for r in roles if r.summary)[:2000],
    }


class _Chart:
    def __init__(self, data: NetworkData) -> None:
        self.data = data
        self.chart = ANXChart()
        self.types: set[str] = set()

    def entity_type(self, name: str, icon: str) -> str:
        if name not in self.types:
            self.chart.add_entity_type(name=name, icon_file=icon)
            self.types.add(name)
        return name

    def build(self) -> ANXChart:
        self.chart.add_link_type(name=PAYMENT)
        self.chart.add_link_type(name=HOLDS)
        self.chart.settings.summary.title = f"fraudnet network {self.data.network_id}"
        for party in sorted(self.data.parties.values(), key=lambda p: p.party_id):
            roles = self.data.roles_of(party.party_id)
            attributes: dict[str, Any] = {"Party id": party.party_id, **_role_attributes(roles)}
            for key, value in (
                ("Date of birth", party.dob.isoformat() if party.dob else None),
                ("Phone", ", ".join(party.phones) or None),
                ("E-mail", ", ".join(party.emails) or None),
                ("Country", party.country),
            ):
                if value:
                    attributes[key] = value
            self.chart.add_icon(
                id=f"party:{party.party_id}",
                type=self.entity_type(PARTY_TYPES.get(main_role(roles), "Herder"), ICONS["party"]),
                label=self.data.label(party),
                attributes=attributes,
            )
        for account in sorted(self.data.accounts.values(), key=lambda a: a.account_id):
            roles = self.data.roles_of(account.account_id)
            attributes = {"Account": account.account_id, **_role_attributes(roles)}
            for key, value in (
                ("Institution", account.institution),
                ("Jurisdiction", account.jurisdiction),
                ("Currency", account.currency),
            ):
                if value:
                    attributes[key] = value
            self.chart.add_icon(
                id=f"account:{account.account_id}",
                type=self.entity_type(ACCOUNT_TYPES[main_role(roles)], ICONS["account"]),
                label=account.account_id,
                attributes=attributes,
            )
            if account.holder_party_id in self.data.parties:
                self.chart.add_link(
                    from_id=f"party:{account.holder_party_id}",
                    to_id=f"account:{account.account_id}",
                    type=HOLDS,
                    arrow="->",
                )
        self.others()
        for payment in self.data.payments:
            self.payment(payment)
        return self.chart

    def others(self) -> None:
        for role in self.data.roles:
            if role.subject_kind in ("device", "ip"):
                self.chart.add_icon(
                    id=f"{role.subject_kind}:{role.subject}",
                    type=self.entity_type(OTHER_TYPES[role.subject_kind], ICONS["device"]),
                    label=role.subject,
                    attributes=_role_attributes(self.data.roles_of(role.subject)),
                )
        if any(p.src_account is None or p.dst_account is None for p in self.data.payments):
            self.chart.add_icon(
                id=CASH_ID, type=self.entity_type(OTHER_TYPES["cash"], "cash"), label="cash"
            )

    def payment(self, p: PaymentRow) -> None:
        self.chart.add_link(
            from_id=f"account:{p.src_account}" if p.src_account else CASH_ID,
            to_id=f"account:{p.dst_account}" if p.dst_account else CASH_ID,
            type=PAYMENT,
            arrow="->",
            label=f"{p.currency} {money(p.amount)}",
            date=p.ts.strftime("%Y-%m-%d"),
            time=p.ts.strftime("%H:%M:%S"),
            timezone=UTC_ZONE,
            description=f"{p.kind} payment by {p.channel}: {p.reference or ''}",
            attributes={
                "Amount": float(p.amount),
                "Currency": p.currency,
                "Channel": p.channel,
                "Transaction": p.txn_id,
            },
        )


def parse_chart(path: Path) -> Element:
    """The chart's XML root, parsed with defusedxml (no entities, no external references)."""
    root: Element = SafeET.parse(str(path)).getroot()
    return root


def chart_problems(root: Element) -> list[str]:
    """Every link end, entity type, link type and attribute class must resolve."""
    if root.tag != "Chart":
        return [f"root element is {root.tag!r}, not 'Chart'"]
    entity_types = {e.get("Name") for e in root.iter("EntityType")}
    link_types = {e.get("Name") for e in root.iter("LinkType")}
    classes = {e.get("Id") for e in root.iter("AttributeClass")}
    entity_ids = {e.get("EntityId") for e in root.iter("Entity")}
    problems = []
    for style in root.iter("IconStyle"):
        if style.get("Type") not in entity_types:
            problems.append(f"entity type {style.get('Type')!r} is not declared")
    for link in root.iter("Link"):
        for end in ("End1Id", "End2Id"):
            if link.get(end) not in entity_ids:
                problems.append(f"link end {link.get(end)!r} is not an entity")
    for style in root.iter("LinkStyle"):
        if style.get("Type") not in link_types:
            problems.append(f"link type {style.get('Type')!r} is not declared")
    for attr in root.iter("Attribute"):
        if attr.get("AttributeClassReference") not in classes:
            problems.append(f"attribute {attr.get('AttributeClass')!r} has no class")
    return problems


def _attributes(item: Element) -> dict[str, str]:
    return {str(a.get("AttributeClass")): str(a.get("Value")) for a in item.iter("Attribute")}


@register_format
class AnxFormat(ExportFormat):
    """An i2 Analyst's Notebook chart (.anx, UTF-16 XML)."""

    name = "anx"
    suffix = ".anx"
    description = "i2 Analyst's Notebook Exchange chart: entities typed by role, payment links"

    def render(self, data: NetworkData, options: ExportOptions) -> bytes:
        chart = _Chart(data).build()
        errors = chart.validate()
        if errors:
            raise ExportInvalid(f"anxwritter refused the chart: {errors[:3]}")
        return b"".join(chart.iter_anx_bytes(compact=False))

    def validate(self, path: Path) -> list[str]:
        try:
            root = parse_chart(path)
        except Exception as err:  # defusedxml and expat raise several types
            return [f"{path.name}: not a readable ANX chart ({err})"]
        return chart_problems(root)

    def read_back(self, path: Path) -> ExportSummary:
        root = parse_chart(path)
        accounts: set[str] = set()
        parties = 0
        payments: list[dict[str, str]] = []
        for item in root.iter("ChartItem"):
            attributes = _attributes(item)
            if item.find(".//Link/LinkStyle[@Type='Payment']") is not None:
                payments.append(attributes)
            elif "Account" in attributes:
                accounts.add(attributes["Account"])
            elif "Party id" in attributes:
                parties += 1
        return ExportSummary(
            accounts=frozenset(accounts),
            parties=parties,
            payments=len(payments),
            amount=sum((Decimal(p["Amount"]) for p in payments), Decimal(0)),
            payment_ids=frozenset(p["Transaction"] for p in payments),
        )
