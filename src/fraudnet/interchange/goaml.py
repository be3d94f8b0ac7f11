"""goAML STR/SAR XML for an account or a network, validated before a byte is written.

The report follows fraudnet's own schema (schemas/goaml-report.xsd, the published report
structure) and the FIU's profile (codes, mandatory fields, reporting entity). Payments are
bi-party `transaction`s with `t_from`/`t_to` accounts; the holder rides in the account as
`client_number` (its party id) and a signatory person or a `t_entity`, so an import gives
back the same accounts, parties and payments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import xmlschema
from lxml import etree

from fraudnet.atomic import write_atomic
from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.ingest.sqltext import sql_string
from fraudnet.interchange.goaml_profile import GoamlProfile, ProfileError
from fraudnet.interchange.registry import (
    ExportFormat,
    ExportOptions,
    ExportSummary,
    register_format,
)
from fraudnet.interchange.xml_safe import parse_xml

if TYPE_CHECKING:
    from fraudnet.interchange.network import NetworkData

SCHEMA_PATH = Path(__file__).parent / "schemas" / "goaml-report.xsd"
SWIFT = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
UNKNOWN_INSTITUTION = "UNKNOWN"


class GoamlError(FraudnetError, ValueError):
    """A report that cannot be built or does not validate."""


@functools.cache
def goaml_schema() -> xmlschema.XMLSchema:
    """fraudnet's goAML schema, parsed with xmlschema's defused parser."""
    return xmlschema.XMLSchema(str(SCHEMA_PATH), defuse="always")


@dataclass(frozen=True)
class GoamlReport:
    """The validated XML and what could not go in (with the reason, counted)."""

    xml: bytes
    transactions: int
    left_out: dict[str, int]


def validate_goaml(tree: Any, profile: GoamlProfile | None = None) -> list[str]:
    """Every schema error (with its path) and profile violation; empty when the report passes."""
    errors = [f"{e.path}: {e.reason}" for e in goaml_schema().iter_errors(tree)]
    if profile is not None:
        errors += profile.violations(tree)
    return errors


def build_goaml(
    engine: Engine,
    *,
    network_id: str | None = None,
    account_id: str | None = None,
    profile: GoamlProfile | None = None,
    reason: str | None = None,
    submitted_at: dt.datetime | None = None,
) -> GoamlReport:
    """The STR/SAR for one network (its member accounts' payments) or one account."""
    if (network_id is None) == (account_id is None):
        raise GoamlError("name exactly one of a network or an account to report")
    chosen = profile or GoamlProfile.from_yaml()
    return _built(chosen, _Scope.load(engine, network_id, account_id), reason, submitted_at)


def _built(
    chosen: GoamlProfile, scope: _Scope, reason: str | None, submitted_at: dt.datetime | None
) -> GoamlReport:
    report, left_out = _report(chosen, scope, reason, submitted_at or dt.datetime.now(dt.UTC))
    if not len(report.findall("transaction")):
        raise GoamlError(
            f"nothing to report for {scope.label}: no payment in {chosen.currency_code_local} "
            f"between two known accounts (left out: {left_out or 'none'})"
        )
    tree = report.getroottree()
    errors = validate_goaml(tree, chosen)
    if errors:
        shown = "; ".join(errors[:5])
        raise GoamlError(f"the goAML report for {scope.label} does not validate: {shown}")
    xml = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return GoamlReport(xml, len(report.findall("transaction")), left_out)


def export_goaml(engine: Engine, out: Path | str, **kwargs: Any) -> GoamlReport:
    """`build_goaml` written atomically to `out`."""
    built = build_goaml(engine, **kwargs)
    write_atomic(out, built.xml)
    return built


@dataclass
class _Scope:
    label: str
    transactions: list[dict[str, Any]]
    accounts: dict[str, dict[str, Any]]
    parties: dict[str, dict[str, Any]]

    @classmethod
    def from_network(cls, data: NetworkData) -> _Scope:
        """The registry's view of a network (personal fields already dropped when redacted)."""
        accounts = {
            k: {**dataclasses.asdict(a), "closed_at": None} for k, a in data.accounts.items()
        }
        parties = {}
        for key, party in data.parties.items():
            row = dataclasses.asdict(party)
            row["email"] = party.emails[0] if party.emails else None
            parties[key] = row
        payments = [dataclasses.asdict(p) for p in data.payments]
        return cls(f"network {data.network_id}", payments, accounts, parties)

    @classmethod
    def load(cls, engine: Engine, network_id: str | None, account_id: str | None) -> _Scope:
        if network_id is not None:
            if "network_roles" not in engine.table_names():
                raise GoamlError("the store has no networks yet (run `fraudnet networks`)")
            members = (
                f"SELECT subject FROM network_roles WHERE network_id = {sql_string(network_id)} "
                "AND subject_kind = 'account'"
            )
            label = f"network {network_id}"
            if not engine.sql(members).num_rows:
                raise GoamlError(f"no accounts in network {network_id!r}")
            where = f"src_account IN ({members}) AND dst_account IN ({members})"
        else:
            label = f"account {account_id}"
            value = sql_string(str(account_id))
            where = f"(src_account = {value} OR dst_account = {value})"
        txns = engine.sql(f"SELECT * FROM transactions WHERE {where} ORDER BY ts, txn_id")
        transactions = txns.to_pylist()
        ids = sorted({t[k] for t in transactions for k in ("src_account", "dst_account") if t[k]})
        accounts = _by_key(engine, "accounts", "account_id", ids)
        holders = sorted({a["holder_party_id"] for a in accounts.values() if a["holder_party_id"]})
        return cls(label, transactions, accounts, _by_key(engine, "parties", "party_id", holders))


def _by_key(engine: Engine, table: str, key: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    listed = ", ".join(sql_string(i) for i in ids)
    rows = engine.sql(f"SELECT * FROM {table} WHERE {key} IN ({listed})").to_pylist()
    return {r[key]: r for r in rows}


def _report(
    profile: GoamlProfile, scope: _Scope, reason: str | None, submitted_at: dt.datetime
) -> tuple[Any, dict[str, int]]:
    report = etree.Element("report")
    entity = profile.reporting_entity
    _sub(report, "rentity_id", str(profile.rentity_id))
    _sub(report, "rentity_branch", entity.get("rentity_branch"))
    _sub(report, "submission_code", profile.submission_code)
    _sub(report, "report_code", profile.report_code)
    _sub(report, "entity_reference", f"fraudnet {scope.label}"[:255])
    _sub(report, "submission_date", _when(submitted_at))
    _sub(report, "currency_code_local", profile.currency_code_local)
    person = entity.get("reporting_person")
    if isinstance(person, dict):
        rp = etree.SubElement(report, "reporting_person")
        for tag in ("first_name", "last_name", "email", "occupation"):
            _sub(rp, tag, person.get(tag))
    location = entity.get("location")
    if isinstance(location, dict):
        loc = etree.SubElement(report, "location")
        for tag in ("address_type", "address", "town", "city", "zip", "country_code", "state"):
            _sub(loc, tag, location.get(tag))
    _sub(
        report, "reason", reason or f"Accounts acting together as {scope.label}, found by fraudnet"
    )
    left_out: dict[str, int] = {}
    for txn in scope.transactions:
        why = _skip_reason(profile, txn)
        if why:
            left_out[why] = left_out.get(why, 0) + 1
            continue
        report.append(_transaction(profile, scope, txn))
    indicators = etree.SubElement(report, "report_indicators")
    for code in profile.indicators:
        _sub(indicators, "indicator", code)
    return report, left_out


def _skip_reason(profile: GoamlProfile, txn: dict[str, Any]) -> str | None:
    if not txn["src_account"] or not txn["dst_account"]:
        return "cash or unknown counterpart: goAML needs an account on both sides here"
    if txn["currency"] != profile.currency_code_local:
        return f"not in {profile.currency_code_local} (the store holds no exchange rate)"
    return None


def _transaction(profile: GoamlProfile, scope: _Scope, txn: dict[str, Any]) -> Any:
    element = etree.Element("transaction")
    _sub(element, "transactionnumber", txn["txn_id"])
    _sub(element, "transaction_location", profile.transaction_location)
    _sub(element, "transaction_description", txn.get("reference"))
    _sub(element, "date_transaction", _when(txn["ts"]))
    channel = txn["channel"] or "other"
    _sub(
        element, "transmode_code", profile.transmode.get(channel) or _missing(channel, "transmode")
    )
    _sub(element, "transmode_comment", profile.transmode_comment or channel)
    _sub(element, "amount_local", _money(txn["amount"]))
    funds = profile.funds.get(channel) or _missing(channel, "funds")
    for side, account_id in (("from", txn["src_account"]), ("to", txn["dst_account"])):
        holder = etree.SubElement(element, f"t_{side}")
        _sub(holder, f"{side}_funds_code", funds)
        account = scope.accounts.get(account_id) or {"account_id": account_id}
        holder.append(_account(profile, scope, f"{side}_account", account))
        _sub(holder, f"{side}_country", account.get("jurisdiction") or profile.default_country)
    return element


def _account(profile: GoamlProfile, scope: _Scope, tag: str, account: dict[str, Any]) -> Any:
    element = etree.Element(tag)
    institution = account.get("institution") or UNKNOWN_INSTITUTION
    if SWIFT.match(institution):
        _sub(element, "swift", institution)
    else:
        _sub(element, "institution_code", institution)
    account_id = str(account["account_id"])
    _sub(element, "account", account_id)
    _sub(element, "currency_code", account.get("currency") or profile.currency_code_local)
    party = scope.parties.get(account.get("holder_party_id") or "")
    _sub(element, "account_name", _name(profile, _holder_name(party) or account_id))
    if IBAN.match(account_id):
        _sub(element, "iban", account_id)
    _sub(element, "client_number", account.get("holder_party_id"))
    kind = account.get("kind")
    _sub(element, "personal_account_type", profile.account_type.get(kind) if kind else None)
    if party is not None and party.get("kind") == "org":
        entity = etree.SubElement(element, "t_entity")
        _sub(entity, "name", _name(profile, _holder_name(party)))
    elif party is not None and _names(party)[0]:
        signatory = etree.SubElement(element, "signatory")
        _sub(signatory, "is_primary", "true")
        signatory.append(_person(profile, party))
        _sub(signatory, "role", profile.signatory_role)
    _sub(element, "opened", _when(account.get("opened_at")))
    _sub(element, "closed", _when(account.get("closed_at")))
    return element


def _person(profile: GoamlProfile, party: dict[str, Any]) -> Any:
    element = etree.Element("t_person")
    gender = (party.get("gender") or "").strip().lower()
    _sub(element, "gender", profile.gender.get(gender))
    first, last = _names(party)
    _sub(element, "first_name", _name(profile, first))
    _sub(element, "last_name", _name(profile, last))
    dob = party.get("dob")
    _sub(element, "birthdate", f"{dob.isoformat()}T00:00:00" if dob else None)
    _sub(element, "nationality1", party.get("nationality"))
    _sub(element, "residence", party.get("country"))
    _sub(element, "email", party.get("email"))
    return element


def _names(party: dict[str, Any]) -> tuple[str | None, str | None]:
    """Given and family name; a full name alone is split at its last space."""
    given, family = party.get("given_name"), party.get("family_name")
    if given and family:
        return str(given), str(family)
    name = str(party.get("name") or "").strip()
    if " " in name:
        first, _, last = name.rpartition(" ")
        return first, last
    return None, None


def _holder_name(party: dict[str, Any] | None) -> str | None:
    if party is None:
        return None
    if party.get("name"):
        return str(party["name"])
    first, last = _names(party)
    return f"{first} {last}" if first and last else None


ASCII_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "’": "'",
        "‘": "'",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
    }
)
NOT_ASCII_NAME = re.compile(r"[^a-zA-Z0-9 .'-]")


def _name(profile: GoamlProfile, name: str | None) -> str | None:
    """The name as written, or, for an FIU that takes ASCII only, transliterated (Zoë: Zoe)."""
    if name is None or not profile.ascii_names:
        return name
    decomposed = unicodedata.normalize("NFKD", name.translate(ASCII_LETTERS))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return NOT_ASCII_NAME.sub("", plain).strip() or None


def _missing(channel: str, lookup: str) -> str:
    raise ProfileError(f"channel {channel!r} has no code", field=f"lookups.{lookup}")


def _sub(parent: Any, tag: str, value: object) -> None:
    """A child element holding `value`; nothing when the value is absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return
    etree.SubElement(parent, tag).text = str(value)


def _when(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.replace(microsecond=0).isoformat()
    return f"{value.isoformat()}T00:00:00"


def _money(value: Decimal | None) -> str:
    return f"{Decimal(value or 0).quantize(Decimal('0.01'))}"


@register_format
class GoamlExport(ExportFormat):
    """`fraudnet export STORE --network ID --format goaml`: the network as an STR.

    The FIU profile comes from `ExportOptions.extra["goaml_profile"]` (a path or a
    `GoamlProfile`); the shipped example profile otherwise.
    """

    name: ClassVar[str] = "goaml"
    suffix: ClassVar[str] = ".xml"
    description: ClassVar[str] = "goAML STR/SAR XML, validated against fraudnet's goAML schema"

    def _profile(self, options: ExportOptions | None) -> GoamlProfile:
        chosen = (options.extra if options else {}).get("goaml_profile")
        if isinstance(chosen, GoamlProfile):
            return chosen
        return GoamlProfile.from_yaml(chosen) if chosen else GoamlProfile.from_yaml()

    def render(self, data: NetworkData, options: ExportOptions) -> bytes:
        self._options = options
        built = _built(self._profile(options), _Scope.from_network(data), None, None)
        return built.xml

    def validate(self, path: Path) -> list[str]:
        return validate_goaml(parse_xml(path), self._profile(getattr(self, "_options", None)))

    def read_back(self, path: Path) -> ExportSummary:
        root = parse_xml(path).getroot()
        accounts = frozenset(str(e.text) for e in root.iter("account"))
        payments = root.findall("transaction")
        holders = {str(e.text) for e in root.iter("client_number")}
        total = sum((Decimal(str(t.findtext("amount_local"))) for t in payments), Decimal(0))
        return ExportSummary(
            accounts=accounts,
            parties=len(holders),
            payments=len(payments),
            amount=total,
            payment_ids=frozenset(str(t.findtext("transactionnumber")) for t in payments),
        )
