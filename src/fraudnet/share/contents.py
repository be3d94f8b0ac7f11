"""What a package can say, one class per kind, looked up by name (`package_kinds`).

Every subject (account, party, device, IP, phone, email) travels as a keyed token; what
travels in clear is what is not personal data: roles, confidences, institutions, amounts as
Decimal strings, transaction references, the sender's network id. Raw values are added
only when the caller passes `personal=True`, which `build_package` allows only under
handling code P to a partner entitled to personal data.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError

Tokeniser = Callable[[str, str], str]
Item = dict[str, Any]
MAX_TRANSACTION_REFS = 200
SHARED_IDENTIFIER_KINDS = ("phone", "email", "device", "ip")
OUTSIDE_CHANNELS = ("cash_out", "crypto", "intl_wire")
MEMBERS_VIEW = "share_members"


@dataclass(frozen=True)
class PackageContext:
    """What a content builder reads: the store, the network, how to tokenise, what is allowed."""

    engine: Engine
    network_id: str
    tokenise: Tokeniser
    personal: bool = False
    rule: str | None = None

    def subject(self, kind: str, value: str) -> Item:
        """A subject as it travels: its kind and token, plus the raw value only if allowed."""
        item: Item = {"subject_kind": kind, "subject_token": self.tokenise(kind, value)}
        if self.personal:
            item["raw"] = value
        return item


class PackageKind(abc.ABC):
    """One kind of package: the claims it builds from a store."""

    name: ClassVar[str]

    @abc.abstractmethod
    def items(self, ctx: PackageContext) -> list[Item]: ...


class NetworkPackage(PackageKind):
    """A network's summary, each member's role, and the identifiers members used."""

    name = "network"

    def items(self, ctx: PackageContext) -> list[Item]:
        roles = network_roles(ctx)
        return [summary_item(ctx, roles), *role_items(ctx, roles), *identifier_items(ctx, roles)]


class FreezePackage(PackageKind):
    """Where the network's victims' money is now: accounts, institutions, amounts held or sent."""

    name = "freeze"

    def items(self, ctx: PackageContext) -> list[Item]:
        network_roles(ctx)  # an unknown network fails here, not with an empty package
        return [freeze_item(ctx, row) for row in freeze_rows(ctx)]


_KINDS: dict[str, type[PackageKind]] = {k.name: k for k in (NetworkPackage, FreezePackage)}


def package_kind(name: str) -> PackageKind:
    if name not in _KINDS:
        raise FraudnetError(f"unknown package kind {name!r}; known: {', '.join(_KINDS)}")
    return _KINDS[name]()


def package_kinds() -> list[str]:
    return list(_KINDS)


def network_roles(ctx: PackageContext) -> list[dict[str, Any]]:
    """The network's role rows, or a clear error if the store has no such network."""
    roles = ctx.engine.table("network_roles")
    rows = [r for r in roles.to_pylist() if r["network_id"] == ctx.network_id]
    if not rows:
        raise FraudnetError(f"unknown network {ctx.network_id!r}: run `fraudnet networks` first")
    return rows


def summary_item(ctx: PackageContext, roles: list[dict[str, Any]]) -> Item:
    networks = [
        r for r in ctx.engine.table("networks").to_pylist() if r["network_id"] == ctx.network_id
    ]
    summary = networks[0] if networks else {}
    evidence = {
        key: _plain(summary.get(key))
        for key in (
            "size",
            "victims",
            "victim_funds",
            "funds_out",
            "herders",
            "first_activity",
            "last_activity",
        )
    }
    evidence["roles"] = _role_counts(roles)
    evidence["transactions"] = _transaction_refs(roles)
    return {"claim": "network_summary", "network_ref": ctx.network_id, "evidence": evidence}


def role_items(ctx: PackageContext, roles: list[dict[str, Any]]) -> list[Item]:
    return [
        {
            "claim": row["role"],
            "network_ref": ctx.network_id,
            **ctx.subject(row["subject_kind"], row["subject"]),
            "evidence": {
                "confidence": _plain(row["confidence"]),
                "transactions": _transaction_refs([row]),
            },
        }
        for row in roles
    ]


def identifier_items(ctx: PackageContext, roles: list[dict[str, Any]]) -> list[Item]:
    """Phones, emails, devices and IPs the network's accounts and parties are linked to."""
    members = sorted({r["subject"] for r in roles if r["subject_kind"] in ("account", "party")})
    rows = _identifiers_of(ctx.engine, members)
    return [
        {
            "claim": "network_identifier",
            "network_ref": ctx.network_id,
            **ctx.subject(kind, value),
            "evidence": {},
        }
        for kind, value in rows
    ]


def freeze_rows(ctx: PackageContext) -> list[dict[str, Any]]:
    """Held and sent-on amounts per account from the traces of this network's money."""
    traces = ctx.engine.table("traces").to_pylist()
    rule = ctx.rule or _default_rule(traces)
    members = {r["subject"] for r in network_roles(ctx)}
    where: dict[tuple[str, str], Decimal] = {}
    for row in traces:
        key = _freeze_key(row, rule, members)
        if key is not None:
            where[key] = where.get(key, Decimal(0)) + Decimal(row["amount"])
    institutions = _institutions(ctx.engine)
    return [
        {
            "claim": claim,
            "account": account,
            "amount": amount,
            "rule": rule,
            "institution": institutions.get(account),
        }
        for (claim, account), amount in sorted(where.items())
    ]


def freeze_item(ctx: PackageContext, row: dict[str, Any]) -> Item:
    return {
        "claim": row["claim"],
        "network_ref": ctx.network_id,
        **ctx.subject("account", row["account"]),
        "institution": row["institution"],
        "amount": str(row["amount"]),
        "evidence": {"rule": row["rule"]},
    }


def _freeze_key(row: dict[str, Any], rule: str, members: set[str]) -> tuple[str, str] | None:
    if row["rule"] != rule:
        return None
    if row["kind"] == "held" and row["account_id"] in members:
        return ("held_funds", row["account_id"])
    sent_on = row["kind"] == "exited" and row["exit_channel"] not in OUTSIDE_CHANNELS
    if (
        sent_on
        and row["destination"]
        and (row["destination"] in members or row["account_id"] in members)
    ):
        return ("funds_sent", row["destination"])
    return None


def _default_rule(traces: list[dict[str, Any]]) -> str:
    rules = sorted({r["rule"] for r in traces if r["rule"] != "poison"})
    if not rules:
        raise FraudnetError("no traces in the store: run `fraudnet trace` first")
    return "pro_rata" if "pro_rata" in rules else rules[0]


def _institutions(engine: Engine) -> dict[str, str | None]:
    known = engine.sql(
        "SELECT account_id, institution FROM counterparty_accounts "
        "UNION ALL SELECT account_id, institution FROM accounts"
    )
    return dict(zip(known["account_id"].to_pylist(), known["institution"].to_pylist(), strict=True))


def _identifiers_of(engine: Engine, members: list[str]) -> list[tuple[str, str]]:
    engine.temp_table(MEMBERS_VIEW, pa.table({"owner": pa.array(members, pa.string())}))
    try:
        kinds = ", ".join(f"'{k}'" for k in SHARED_IDENTIFIER_KINDS)
        rows = engine.sql(
            f"SELECT DISTINCT i.kind, i.value FROM identifiers i "
            f"JOIN {MEMBERS_VIEW} m ON m.owner = i.owner WHERE i.kind IN ({kinds}) "
            f"ORDER BY i.kind, i.value"
        )
    finally:
        engine.drop_temp(MEMBERS_VIEW)
    return list(zip(rows["kind"].to_pylist(), rows["value"].to_pylist(), strict=True))


def _transaction_refs(roles: list[dict[str, Any]]) -> list[str]:
    refs: set[str] = set()
    for row in roles:
        refs.update(json.loads(row["evidence"] or "{}").get("transactions", []))
    return sorted(refs)[:MAX_TRANSACTION_REFS]


def _role_counts(roles: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in roles:
        counts[row["role"]] = counts.get(row["role"], 0) + 1
    return counts


def _plain(value: Any) -> Any:
    """A JSON value that signs the same everywhere: Decimal and times as strings, no floats."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return f"{value:.4f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
