"""FollowTheMoney entities in (JSON lines): people, companies, bank accounts and payments.

Each line is one entity, checked by the `followthemoney` model: an unknown schema or
property, or a value its property type cannot read (a date that is not one), refuses that
line, quarantined with the property named. Person/Company/Organization/LegalEntity become
`parties`, BankAccount `accounts` (id: IBAN, else account number), Payment `transactions`
(payer and beneficiary accounts resolved through the file's BankAccount entities), and an
Ownership of a bank account sets the account's holder. Other schemata are refused by name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, ClassVar

from fraudnet.ingest.container import read_source
from fraudnet.ingest.jsonl_records import parse_line
from fraudnet.ingest.load import IngestError
from fraudnet.interchange.records import DocumentFormat, Extracted, Values
from fraudnet.schema.enums import ACCOUNT_KINDS, CHANNELS

PARTY_SCHEMATA = {"Person": "person", "Company": "org", "Organization": "org", "LegalEntity": "org"}
RELATIONS = ("Ownership",)
CONTEXT = ("Project", "ProjectParticipant", "UnknownLink", "Note")
"""Read and checked, but not rows: fraudnet's own export adds them around a network."""
PARTY_NOTE = re.compile(r"fraudnet party_id: (\S+)")


def _model() -> Any:
    try:
        from followthemoney import model
    except ImportError as err:  # an optional extra
        raise IngestError(
            "FtM import needs the followthemoney package: pip install 'fraudnet[interchange]'"
        ) from err
    return model


def _placeholder(obj: dict[str, Any]) -> bool:
    """fraudnet's export stands in a LegalEntity for cash and for unknown holders: not parties."""
    if obj.get("schema") != "LegalEntity":
        return False
    name = _first(obj, "name") or ""
    parts = ("cash",) if name == "cash" else ("holder", name.removeprefix("holder of "))
    made = _model().make_entity("Thing").make_id("fraudnet", "legalentity", *parts)
    return bool(made == obj.get("id"))


class FtmFormat(DocumentFormat):
    name: ClassVar[str] = "ftm"

    def extract(self, path: Path) -> Extracted:
        got = Extracted()
        source = read_source(path, None)
        entities: list[tuple[int, dict[str, Any]]] = []
        for number, line in enumerate(source.text.split("\n"), start=1):
            if not line.strip(" \t\r"):
                continue
            where = f"/line[{number}]"
            obj, reason = parse_line(line)
            if obj is None:
                got.reject(self.primary_table, number, where, reason or "not a JSON object", line)
                continue
            problem = _check(obj)
            if problem:
                got.reject(_table_of(obj) or self.primary_table, number, where, problem, line)
                continue
            entities.append((number, obj))
        _rows(got, _dangling(got, entities))
        return got


def _dangling(
    got: Extracted, entities: list[tuple[int, dict[str, Any]]]
) -> list[tuple[int, dict[str, Any]]]:
    """Ownership lines must name a BankAccount of this file as the asset; others are refused."""
    accounts = {obj["id"] for _, obj in entities if obj["schema"] == "BankAccount"}
    kept = []
    for line, obj in entities:
        if obj["schema"] == "Ownership" and _first(obj, "asset") not in accounts:
            reason = "Ownership whose asset is not a BankAccount in this file"
            got.reject("accounts", line, f"/line[{line}]", reason, json.dumps(obj)[:2000])
        else:
            kept.append((line, obj))
    return kept


def _table_of(obj: dict[str, Any]) -> str | None:
    schema = obj.get("schema")
    if schema in PARTY_SCHEMATA:
        return "parties"
    return {"BankAccount": "accounts", "Payment": "transactions"}.get(str(schema))


def _check(obj: dict[str, Any]) -> str | None:
    """Why the model refuses this entity, naming the schema or property; None when it passes."""
    if not isinstance(obj.get("id"), str) or not obj["id"].strip():
        return "FtM entity has no id"
    schema = _model().get(obj.get("schema")) if isinstance(obj.get("schema"), str) else None
    if schema is None:
        return f"unknown FtM schema {obj.get('schema')!r}"
    known = (*PARTY_SCHEMATA, "BankAccount", "Payment", *RELATIONS, *CONTEXT)
    if schema.name not in known:
        return f"FtM schema {schema.name} has no fraudnet table"
    properties = obj.get("properties", {})
    if not isinstance(properties, dict):
        return "FtM properties must be an object"
    for name, values in properties.items():
        prop = schema.get(name)
        if prop is None:
            return f"unknown property {name!r} for FtM {schema.name}"
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return f"property {name!r} must be a list of texts"
        for value in values:
            if prop.type.name != "entity" and prop.type.clean(value, proxy=None) is None:
                return f"property {name!r}: {value[:80]!r} is not a valid {prop.type.name}"
    return None


def _first(obj: dict[str, Any], name: str) -> str | None:
    values = obj.get("properties", {}).get(name) or []
    if not values:
        return None
    return str(values[0]).strip() or None


def _rows(got: Extracted, entities: list[tuple[int, dict[str, Any]]]) -> None:
    accounts = {
        obj["id"]: _first(obj, "iban") or _first(obj, "accountNumber")
        for _, obj in entities
        if obj["schema"] == "BankAccount"
    }
    party_ids = {
        obj["id"]: _party_id(obj) for _, obj in entities if obj["schema"] in PARTY_SCHEMATA
    }
    holders = {
        _first(obj, "asset"): party_ids.get(_first(obj, "owner") or "", _first(obj, "owner"))
        for _, obj in entities
        if obj["schema"] == "Ownership" and _first(obj, "asset") in accounts
    }
    for line, obj in entities:
        schema, where = obj["schema"], f"/line[{line}]"
        if schema in PARTY_SCHEMATA and not _placeholder(obj):
            got.add("parties", line, where, _party(obj, PARTY_SCHEMATA[schema]))
        elif schema == "BankAccount":
            got.add(
                "accounts", line, where, _account(obj, accounts[obj["id"]], holders.get(obj["id"]))
            )
        elif schema == "Payment":
            got.add("transactions", line, where, _payment(obj, accounts))


def _party_id(obj: dict[str, Any]) -> str:
    """fraudnet's own party id when the entity carries it (its export notes it), else the FtM id."""
    for note in obj.get("properties", {}).get("notes") or []:
        found = PARTY_NOTE.search(str(note))
        if found:
            return found.group(1)
    return str(obj["id"])


def _party(obj: dict[str, Any], kind: str) -> Values:
    return {
        "party_id": _party_id(obj),
        "kind": kind,
        "name": _first(obj, "name"),
        "given_name": _first(obj, "firstName"),
        "family_name": _first(obj, "lastName"),
        "dob": _first(obj, "birthDate"),
        "gender": _first(obj, "gender"),
        "nationality": (_first(obj, "nationality") or "").upper() or None,
        "country": (_first(obj, "country") or "").upper() or None,
        "phone": _first(obj, "phone"),
        "email": _first(obj, "email"),
        "address": _first(obj, "address"),
        "source": "ftm",
    }


def _account(obj: dict[str, Any], account_id: str | None, holder: str | None) -> Values:
    return {
        "account_id": account_id,
        "institution": _first(obj, "bic") or _first(obj, "bankName"),
        "jurisdiction": (_first(obj, "country") or "").upper() or None,
        "holder_party_id": holder,
        "currency": _first(obj, "currency"),
        "kind": kind if (kind := _first(obj, "accountType")) in ACCOUNT_KINDS else None,
        "opened_at": _first(obj, "openingDate"),
        "closed_at": _first(obj, "closingDate"),
        "source": "ftm",
    }


def _payment(obj: dict[str, Any], accounts: dict[str, str | None]) -> Values:
    payer, payee = _first(obj, "payerAccount"), _first(obj, "beneficiaryAccount")
    programme = _first(obj, "programme") or (_first(obj, "summary") or "").rpartition(" by ")[2]
    return {
        "txn_id": _first(obj, "transactionNumber") or obj["id"],
        "ts": _first(obj, "date"),
        "amount": _first(obj, "amount"),
        "currency": _first(obj, "currency"),
        "src_account": accounts.get(payer or "", payer),
        "dst_account": accounts.get(payee or "", payee),
        "channel": programme if programme in CHANNELS else "other",
        "reference": _first(obj, "purpose"),
        "source": "ftm",
    }


def ftm_line(entity: dict[str, Any]) -> str:
    """One entity as the JSON line this reader takes (used by tests and the fuzz)."""
    return json.dumps(entity, ensure_ascii=False)
