"""goAML reports in: transactions, their accounts and the holders, through the usual checks.

The report is parsed by xml_safe and validated against fraudnet's goAML schema. A schema
error inside one `transaction` refuses that transaction (quarantined with its XPath and
reason) and the others still load; an error in the report header refuses the document.
Codes go back to fraudnet values through the FIU profile (`FRAUDNET_GOAML_PROFILE`, or the
shipped example): the channel comes from `transmode_comment` when it names one.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, ClassVar

from lxml import etree

from fraudnet.interchange.goaml import UNKNOWN_INSTITUTION, goaml_schema
from fraudnet.interchange.goaml_profile import GoamlProfile
from fraudnet.interchange.records import DocumentFormat, Extracted, Values, line_of, xpath_of
from fraudnet.interchange.xml_safe import UnsafeXmlError, parse_xml

PROFILE_ENV = "FRAUDNET_GOAML_PROFILE"


class GoamlReportFormat(DocumentFormat):
    name: ClassVar[str] = "goaml"
    extensions: ClassVar[tuple[str, ...]] = ()

    def extract(self, path: Path) -> Extracted:
        got = Extracted()
        try:
            tree = parse_xml(path)
        except UnsafeXmlError as err:
            got.reject(self.primary_table, err.row or 1, "/", err.message)
            return got
        root = tree.getroot()
        if root.tag != "report":
            got.reject(
                self.primary_table, line_of(root), "/", f"not a goAML report: root is {root.tag!r}"
            )
            return got
        bad: dict[Any, str] = {}
        for error in goaml_schema().iter_errors(tree):
            element = error.elem if error.elem is not None else root
            path_text = xpath_of(element)
            txn = _enclosing_transaction(element)
            if txn is None:
                got.reject(
                    self.primary_table,
                    line_of(element),
                    path_text,
                    f"goAML report refused: {error.reason}",
                )
                return got
            bad.setdefault(txn, f"goAML schema: {error.reason} ({path_text})")
        profile = _profile()
        currency = root.findtext("currency_code_local")
        for index, txn in enumerate(root.iterfind("transaction"), start=1):
            where = f"/report/transaction[{index}]"
            if txn in bad:
                snippet = etree.tostring(txn, encoding="unicode")
                got.reject("transactions", line_of(txn), where, bad[txn], snippet)
                continue
            _transaction(got, profile, txn, where, currency)
        return got


def _enclosing_transaction(element: Any) -> Any:
    node = element
    while node is not None:
        if node.tag == "transaction" and node.getparent() is not None:
            return node
        node = node.getparent()
    return None


def _profile() -> GoamlProfile:
    chosen = os.environ.get(PROFILE_ENV)
    return GoamlProfile.from_yaml(chosen) if chosen else GoamlProfile.from_yaml()


def _text(element: Any, path: str) -> str | None:
    value = element.findtext(path)
    return value.strip() if value and value.strip() else None


def _transaction(
    got: Extracted, profile: GoamlProfile, txn: Any, where: str, currency: str | None
) -> None:
    sides: dict[str, str | None] = {}
    for side in ("from", "to"):
        holder = txn.find(f"t_{side}")
        if holder is None:
            holder = txn.find(f"t_{side}_my_client")
        account = holder.find(f"{side}_account") if holder is not None else None
        sides[side] = _account(got, profile, account, holder, f"{where}/{local_name(holder)}", side)
    transmode = _text(txn, "transmode_code") or ""
    got.add(
        "transactions",
        line_of(txn),
        where,
        {
            "txn_id": _text(txn, "transactionnumber"),
            "ts": _text(txn, "date_transaction"),
            "amount": _text(txn, "amount_local"),
            "currency": currency,
            "src_account": sides["from"],
            "dst_account": sides["to"],
            "channel": profile.channel_for(transmode, _text(txn, "transmode_comment")),
            "reference": _text(txn, "transaction_description"),
            "source": "goaml",
        },
    )


def local_name(element: Any) -> str:
    return str(element.tag) if element is not None else "t_from"


def _account(
    got: Extracted, profile: GoamlProfile, account: Any, holder: Any, where: str, side: str
) -> str | None:
    if account is None:
        return None
    account_id = _text(account, "account")
    path = f"{where}/{side}_account"
    institution = _text(account, "swift") or _text(account, "institution_code")
    kinds = {code: kind for kind, code in profile.account_type.items()}
    party_id = _text(account, "client_number")
    entity = account.find("t_entity")
    person = account.find("signatory/t_person")
    if party_id is None and (entity is not None or person is not None):
        party_id = (
            "goaml-"
            + hashlib.sha1(etree.tostring(entity if entity is not None else person)).hexdigest()[
                :16
            ]
        )
    got.add(
        "accounts",
        line_of(account),
        path,
        {
            "account_id": account_id,
            "institution": None if institution == UNKNOWN_INSTITUTION else institution,
            "jurisdiction": _text(holder, f"{side}_country"),
            "opened_at": _text(account, "opened"),
            "closed_at": _text(account, "closed"),
            "holder_party_id": party_id,
            "kind": kinds.get(_text(account, "personal_account_type") or ""),
            "currency": _text(account, "currency_code"),
            "source": "goaml",
        },
    )
    if entity is not None:
        got.add("parties", line_of(entity), f"{path}/t_entity", _entity(party_id, entity))
    elif person is not None:
        got.add(
            "parties",
            line_of(person),
            f"{path}/signatory/t_person",
            _person(profile, party_id, person),
        )
    return account_id


def _entity(party_id: str | None, entity: Any) -> Values:
    return {"party_id": party_id, "kind": "org", "name": _text(entity, "name"), "source": "goaml"}


def _person(profile: GoamlProfile, party_id: str | None, person: Any) -> Values:
    first, last = _text(person, "first_name"), _text(person, "last_name")
    genders: dict[str, str] = {}
    for word, code in profile.gender.items():
        genders.setdefault(code, word)
    birth = _text(person, "birthdate")
    return {
        "party_id": party_id,
        "kind": "person",
        "name": " ".join(n for n in (first, last) if n) or None,
        "given_name": first,
        "family_name": last,
        "dob": birth[:10] if birth else None,
        "gender": genders.get(_text(person, "gender") or ""),
        "nationality": _text(person, "nationality1"),
        "country": _text(person, "residence"),
        "email": _text(person, "email"),
        "source": "goaml",
    }
