"""ISO 20022 in: camt.053 statements and pain.001 payment initiations as canonical rows.

Each document is parsed by xml_safe and validated by `xmlschema` against fraudnet's minimal
hand-written XSD 1.1 for that message (schemas/*-minimal.xsd: what fraudnet reads is checked,
every other element may appear). A schema error inside one entry (`Ntry`, `CdtTrfTxInf`)
refuses that entry, quarantined with its XPath; the others load. An error above the entries
refuses its statement or payment block; a document of another kind refuses the document.

camt.053: the statement's account (with its servicer and owner) and one payment per entry,
a credit paid from the related debtor account, a debit paid to the creditor account.
pain.001: the debtor account and party per payment block, one payment per transfer.
Counterparty accounts appear only as payment ends: the document does not describe them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import xmlschema
from lxml import etree

from fraudnet.interchange.records import DocumentFormat, Extracted, line_of, local, xpath_of
from fraudnet.interchange.xml_safe import UnsafeXmlError, parse_xml

SCHEMAS = Path(__file__).parent / "schemas"
ISO = "urn:iso:std:iso:20022:tech:xsd:"


@dataclass(frozen=True)
class _Message:
    kind: str  # camt.053 or pain.001
    schema_file: str
    written_namespace: str

    def namespace_ok(self, namespace: str) -> bool:
        pattern = re.escape(ISO + self.kind) + r"\.001\.[0-9]{2}"
        return re.fullmatch(pattern, namespace) is not None


CAMT053 = _Message("camt.053", "camt053-minimal.xsd", ISO + "camt.053.001.02")
PAIN001 = _Message("pain.001", "pain001-minimal.xsd", ISO + "pain.001.001.03")


@functools.cache
def iso_schema(message: _Message, namespace: str) -> xmlschema.XMLSchema11:
    """The minimal schema with its target namespace set to the document's version."""
    text = (SCHEMAS / message.schema_file).read_text(encoding="utf-8")
    return xmlschema.XMLSchema11(
        text.replace(message.written_namespace, namespace), defuse="always"
    )


class _IsoFormat(DocumentFormat):
    message: ClassVar[_Message]
    entry: ClassVar[str]  # the element one payment comes from
    block: ClassVar[str]  # the element above the entries (statement, payment block)

    def extract(self, path: Path) -> Extracted:
        got = Extracted()
        try:
            tree = parse_xml(path)
        except UnsafeXmlError as err:
            got.reject(self.primary_table, err.row or 1, "/", err.message)
            return got
        root = tree.getroot()
        namespace = etree.QName(root).namespace or ""
        if local(root.tag) != "Document" or not self.message.namespace_ok(namespace):
            got.reject(
                self.primary_table,
                line_of(root),
                "/",
                f"not an ISO 20022 {self.message.kind} document (root {local(root.tag)!r}, "
                f"namespace {namespace or 'none'!r})",
            )
            return got
        refused: dict[Any, str] = {}
        for error in iso_schema(self.message, namespace).iter_errors(tree):
            element = error.elem if error.elem is not None else root
            holder = _ancestor(element, self.entry)
            if holder is None:
                holder = _ancestor(element, self.block)
            if holder is None:
                reason = f"{self.message.kind} document refused: {error.reason}"
                got.reject(self.primary_table, line_of(element), xpath_of(element), reason)
                return got
            refused.setdefault(
                holder, f"{self.message.kind} schema: {error.reason} ({xpath_of(element)})"
            )
        self.read(got, root, refused)
        return got

    def read(self, got: Extracted, root: Any, refused: dict[Any, str]) -> None:
        raise NotImplementedError


def _ancestor(element: Any, name: str) -> Any:
    node = element
    while node is not None:
        if local(node.tag) == name:
            return node
        node = node.getparent()
    return None


def _children(element: Any, name: str) -> list[Any]:
    return [c for c in element if isinstance(c.tag, str) and local(c.tag) == name]


def _find(element: Any, *path: str) -> Any:
    node = element
    for name in path:
        if node is None:
            return None
        found = _children(node, name)
        node = found[0] if found else None
    return node


def _text(element: Any, *path: str) -> str | None:
    node = _find(element, *path)
    if node is None or node.text is None or not node.text.strip():
        return None
    return str(node.text.strip())


def _account_id(account: Any) -> str | None:
    return _text(account, "Id", "IBAN") or _text(account, "Id", "Othr", "Id")


def _bic(agent: Any) -> str | None:
    return _text(agent, "FinInstnId", "BICFI") or _text(agent, "FinInstnId", "BIC")


def _country(account_id: str | None) -> str | None:
    if account_id and re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", account_id):
        return account_id[:2]
    return None


def _unstructured(element: Any) -> str:
    """The free-text remittance lines (RmtInf/Ustrd), joined."""
    info = _find(element, "RmtInf")
    if info is None:
        return ""
    return " ".join(t.text.strip() for t in _children(info, "Ustrd") if t.text and t.text.strip())


def _refuse(got: Extracted, element: Any, where: str, reason: str) -> None:
    got.reject(
        "transactions", line_of(element), where, reason, etree.tostring(element, encoding="unicode")
    )


def _owner(
    got: Extracted, account_id: str | None, name: str | None, element: Any, where: str
) -> str | None:
    if not account_id or not name:
        return None
    party_id = f"iso20022:{account_id}"
    got.add(
        "parties",
        line_of(element),
        where,
        {"party_id": party_id, "name": name, "source": "iso20022"},
    )
    return party_id


CHANNEL_BY_FAMILY = {"CWDL": "cash_out", "CDPT": "cash_in", "CCRD": "card", "XBCT": "intl_wire"}
"""Bank transaction codes (family or sub-family) that say the rail; anything else is `other`."""


class Camt053Format(_IsoFormat):
    name: ClassVar[str] = "camt053"
    message: ClassVar[_Message] = CAMT053
    entry: ClassVar[str] = "Ntry"
    block: ClassVar[str] = "Stmt"

    def read(self, got: Extracted, root: Any, refused: dict[Any, str]) -> None:
        statement_list = _children(_find(root, "BkToCstmrStmt"), "Stmt")
        for s, statement in enumerate(statement_list, start=1):
            where = f"/Document/BkToCstmrStmt/Stmt[{s}]"
            if statement in refused:
                _refuse(got, statement, where, refused[statement])
                continue
            acct = _find(statement, "Acct")
            account_id = _account_id(acct)
            holder = _owner(got, account_id, _text(acct, "Ownr", "Nm"), acct, f"{where}/Acct/Ownr")
            got.add(
                "accounts",
                line_of(acct),
                f"{where}/Acct",
                {
                    "account_id": account_id,
                    "institution": _bic(_find(acct, "Svcr")),
                    "jurisdiction": _country(account_id),
                    "holder_party_id": holder,
                    "currency": _text(acct, "Ccy"),
                    "source": "iso20022",
                },
            )
            for n, entry in enumerate(_children(statement, "Ntry"), start=1):
                here = f"{where}/Ntry[{n}]"
                if entry in refused:
                    _refuse(got, entry, here, refused[entry])
                    continue
                got.add(
                    "transactions", line_of(entry), here, _entry(entry, account_id, statement, n)
                )


def _entry(entry: Any, account_id: str | None, statement: Any, n: int) -> dict[str, str | None]:
    details = _find(entry, "NtryDtls", "TxDtls")
    parties = _find(details, "RltdPties")
    credit = _text(entry, "CdtDbtInd") == "CRDT"
    other = _account_id(_find(parties, "DbtrAcct" if credit else "CdtrAcct"))
    codes = {
        _text(entry, "BkTxCd", "Domn", "Fmly", "Cd"),
        _text(entry, "BkTxCd", "Domn", "Fmly", "SubFmlyCd"),
    }
    channel = next((c for f, c in CHANNEL_BY_FAMILY.items() if f in codes), "other")
    if channel in ("cash_in", "cash_out"):
        channel = "cash_in" if credit else "cash_out"
    amount = _find(entry, "Amt")
    reference = _unstructured(details)
    txn_id = (
        _text(entry, "AcctSvcrRef")
        or _text(details, "Refs", "AcctSvcrRef")
        or _text(details, "Refs", "TxId")
        or _text(entry, "NtryRef")
        or f"{_text(statement, 'Id')}/{n}"
    )
    return {
        "txn_id": txn_id,
        "ts": _text(entry, "BookgDt", "DtTm") or _text(entry, "BookgDt", "Dt"),
        "amount": amount.text.strip() if amount is not None and amount.text else None,
        "currency": amount.get("Ccy") if amount is not None else None,
        "src_account": other if credit else account_id,
        "dst_account": account_id if credit else other,
        "channel": channel,
        "reference": reference or None,
        "source": "iso20022",
    }


class Pain001Format(_IsoFormat):
    name: ClassVar[str] = "pain001"
    message: ClassVar[_Message] = PAIN001
    entry: ClassVar[str] = "CdtTrfTxInf"
    block: ClassVar[str] = "PmtInf"

    def read(self, got: Extracted, root: Any, refused: dict[Any, str]) -> None:
        blocks = _children(_find(root, "CstmrCdtTrfInitn"), "PmtInf")
        for b, block in enumerate(blocks, start=1):
            where = f"/Document/CstmrCdtTrfInitn/PmtInf[{b}]"
            if block in refused:
                _refuse(got, block, where, refused[block])
                continue
            debtor_acct = _find(block, "DbtrAcct")
            debtor = _account_id(debtor_acct)
            holder = _owner(
                got, debtor, _text(block, "Dbtr", "Nm"), _find(block, "Dbtr"), f"{where}/Dbtr"
            )
            got.add(
                "accounts",
                line_of(debtor_acct),
                f"{where}/DbtrAcct",
                {
                    "account_id": debtor,
                    "institution": _bic(_find(block, "DbtrAgt")),
                    "jurisdiction": _country(debtor),
                    "holder_party_id": holder,
                    "currency": _text(debtor_acct, "Ccy"),
                    "source": "iso20022",
                },
            )
            when = _text(block, "ReqdExctnDt", "DtTm") or _text(block, "ReqdExctnDt", "Dt")
            when = when or _text(block, "ReqdExctnDt")
            block_id = _text(block, "PmtInfId")
            for n, transfer in enumerate(_children(block, "CdtTrfTxInf"), start=1):
                here = f"{where}/CdtTrfTxInf[{n}]"
                if transfer in refused:
                    _refuse(got, transfer, here, refused[transfer])
                    continue
                got.add(
                    "transactions",
                    line_of(transfer),
                    here,
                    _transfer(transfer, debtor, when, block_id, n),
                )


def _transfer(
    transfer: Any, debtor: str | None, when: str | None, block_id: str | None, n: int
) -> dict[str, str | None]:
    end_to_end = _text(transfer, "PmtId", "EndToEndId")
    if not end_to_end or end_to_end == "NOTPROVIDED":
        end_to_end = _text(transfer, "PmtId", "InstrId") or str(n)
    creditor = _account_id(_find(transfer, "CdtrAcct"))
    amount = _find(transfer, "Amt", "InstdAmt")
    abroad = _country(creditor) is not None and _country(creditor) != _country(debtor)
    reference = _unstructured(transfer)
    return {
        "txn_id": f"{block_id}/{end_to_end}",
        "ts": when,
        "amount": amount.text.strip() if amount is not None and amount.text else None,
        "currency": amount.get("Ccy") if amount is not None else None,
        "src_account": debtor,
        "dst_account": creditor,
        "channel": "intl_wire" if abroad else "other",
        "reference": reference or None,
        "source": "iso20022",
    }
