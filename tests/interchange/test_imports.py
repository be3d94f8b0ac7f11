"""Imports: goAML, FtM, camt.053 and pain.001 through the usual validation and quarantine."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from fraudnet.engine import Engine, open_engine
from fraudnet.ingest import IngestResult, ingest
from fraudnet.interchange.goaml import export_goaml
from tests.interchange import samples
from tests.interchange.test_xml_safe import BILLION_LAUGHS, _xxe
from tests.interchange.world import build_world

TXN_COLS = [
    "txn_id",
    "ts",
    "amount",
    "currency",
    "src_account",
    "dst_account",
    "channel",
    "reference",
]
ACCOUNT_COLS = [
    "account_id",
    "institution",
    "jurisdiction",
    "holder_party_id",
    "kind",
    "currency",
    "opened_at",
    "closed_at",
]
PARTY_COLS = [
    "party_id",
    "kind",
    "name",
    "given_name",
    "family_name",
    "dob",
    "gender",
    "nationality",
    "country",
    "email",
]


def _rows(engine: Engine, table: str, cols: list[str], where: str = "TRUE") -> list[dict[str, Any]]:
    key = cols[0]
    return engine.sql(
        f"SELECT {', '.join(cols)} FROM {table} WHERE {where} ORDER BY {key}"
    ).to_pylist()


def _balanced(result: IngestResult) -> None:
    for o in result.outcomes:
        assert o.rows_read == o.rows_loaded + o.rows_duplicate + o.rows_quarantined


def _quarantine(engine: Engine) -> list[dict[str, Any]]:
    return engine.sql("SELECT * FROM quarantine ORDER BY line, reason").to_pylist()


def test_goaml_round_trip_gives_the_same_accounts_parties_and_payments(
    duck_store: Engine, tmp_path: Path
) -> None:
    build_world(duck_store)
    out = tmp_path / "str.xml"
    export_goaml(duck_store, out, network_id="NW-1")
    with open_engine(tmp_path / "back.duckdb", "duckdb") as back:
        result = ingest(back, out, source_format="goaml")
        _balanced(result)
        assert result.rows_quarantined == 0
        sent = "txn_id IN ('T1', 'T2', 'T3')"
        assert _rows(back, "transactions", TXN_COLS) == _rows(
            duck_store, "transactions", TXN_COLS, sent
        )
        assert _rows(back, "accounts", ACCOUNT_COLS) == _rows(duck_store, "accounts", ACCOUNT_COLS)
        assert _rows(back, "parties", PARTY_COLS) == _rows(duck_store, "parties", PARTY_COLS)
        again = ingest(back, out, source_format="goaml")
        assert again.rows_loaded == 0 and again.rows_quarantined == 0
        assert back.count("transactions") == 3


def _report(duck_store: Engine, tmp_path: Path) -> Path:
    build_world(duck_store)
    out = tmp_path / "str.xml"
    export_goaml(duck_store, out, network_id="NW-1")
    return out


def test_goaml_bad_transaction_is_quarantined_with_its_xpath(
    duck_store: Engine, tmp_path: Path
) -> None:
    path = _report(duck_store, tmp_path)
    path.write_text(path.read_text().replace("<amount_local>900.50<", "<amount_local>lots<"))
    with open_engine(tmp_path / "in.duckdb", "duckdb") as store:
        result = ingest(store, path, source_format="goaml")
        _balanced(result)
        (row,) = _quarantine(store)
        assert row["target_table"] == "transactions" and row["file"] == str(path)
        assert "at /report/transaction[2]" in row["reason"] and "amount_local" in row["reason"]
        entry = json.loads(json.loads(row["raw"])["line"])  # reader rejects: raw text as `line`
        assert (
            entry["xpath"] == "/report/transaction[2]" and "<amount_local>lots<" in entry["entry"]
        )
        assert sorted(r["txn_id"] for r in _rows(store, "transactions", ["txn_id"])) == ["T1", "T3"]


def test_goaml_values_meet_the_canonical_checks(duck_store: Engine, tmp_path: Path) -> None:
    path = _report(duck_store, tmp_path)
    text = path.read_text()
    path.write_text(
        text.replace(
            "<date_transaction>2026-03-01T10:02:00<", "<date_transaction>1850-03-01T10:02:00<"
        )
    )
    with open_engine(tmp_path / "in.duckdb", "duckdb") as store:
        ingest(store, path, source_format="goaml")
        (row,) = _quarantine(store)
        assert row["field"] == "ts" and row["value"] == "1850-03-01T10:02:00"
        assert row["line"] == text[: text.index("<transactionnumber>T2")].count("\n")


def test_goaml_broken_header_refuses_the_document_once(duck_store: Engine, tmp_path: Path) -> None:
    path = _report(duck_store, tmp_path)
    path.write_text(path.read_text().replace("<submission_code>E<", "<submission_code>Q<"))
    with open_engine(tmp_path / "in.duckdb", "duckdb") as store:
        result = ingest(store, path, source_format="goaml")
        _balanced(result)
        (row,) = _quarantine(store)
        assert (
            row["reason"].startswith("goAML report refused") and "submission_code" in row["reason"]
        )
        assert result.rows_loaded == 0


def test_hostile_xml_is_quarantined_by_name_and_nothing_leaks(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    laughs, xxe = tmp_path / "laughs.xml", tmp_path / "xxe.xml"
    laughs.write_bytes(BILLION_LAUGHS)
    xxe.write_bytes(_xxe(secret))
    with open_engine(tmp_path / "in.duckdb", "duckdb") as store:
        for path, fmt in ((laughs, "goaml"), (xxe, "camt053")):
            result = ingest(store, path, source_format=fmt)
            _balanced(result)
        rows = _quarantine(store)
        assert {r["file"] for r in rows} == {str(laughs), str(xxe)}
        assert any("entity declaration 'lol'" in r["reason"] for r in rows)
        assert any("external entity 'xxe'" in r["reason"] for r in rows)
        assert all("TOP-SECRET" not in (r["raw"] or "") + r["reason"] for r in rows)


def test_camt053_statement_loads_account_owner_and_entries(tmp_path: Path) -> None:
    path = tmp_path / "stmt.xml"
    path.write_bytes(samples.camt053())
    with open_engine(tmp_path / "in.duckdb", "duckdb") as store:
        result = ingest(store, path, source_format="camt053")
        _balanced(result)
        assert result.rows_quarantined == 0
        assert _rows(store, "transactions", TXN_COLS) == [
            {
                "txn_id": "NWB-0001",
                "ts": dt.datetime(2026, 3, 1, 10, 1),
                "amount": Decimal("950.00"),
                "currency": "GBP",
                "src_account": "NL91ABNA0417164300",
                "dst_account": "GB29NWBK60161331926819",
                "channel": "other",
                "reference": "invoice 42",
            },
            {
                "txn_id": "NWB-0002",
                "ts": dt.datetime(2026, 3, 1),
                "amount": Decimal("200.00"),
                "currency": "GBP",
                "src_account": "GB29NWBK60161331926819",
                "dst_account": None,
                "channel": "cash_out",
                "reference": None,
            },
        ]
        (account,) = _rows(store, "accounts", ACCOUNT_COLS)
        assert account["institution"] == "NWBKGB2L" and account["currency"] == "GBP"
        (party,) = _rows(store, "parties", ["party_id", "name"])
        assert party == {"party_id": "iso20022:GB29NWBK60161331926819", "name": "Siobhán O'Brien"}
        assert account["holder_party_id"] == party["party_id"]


def test_camt053_bad_entry_quarantined_with_xpath_others_load(tmp_path: Path) -> None:
    entries = samples.CAMT_ENTRIES.replace("<CdtDbtInd>DBIT<", "<CdtDbtInd>BOTH<")
    path = tmp_path / "stmt.xml"
    path.write_bytes(samples.camt053(entries))
    with open_engine(tmp_path / "in.duckdb", "duckdb") as store:
        result = ingest(store, path, source_format="camt053")
        _balanced(result)
        (row,) = _quarantine(store)
        assert row["reason"].endswith("at /Document/BkToCstmrStmt/Stmt[1]/Ntry[2]")
        assert "CdtDbtInd" in row["reason"] and row["line"] > 1
        assert [r["txn_id"] for r in _rows(store, "transactions", ["txn_id"])] == ["NWB-0001"]


def test_camt053_later_version_and_wrong_document(tmp_path: Path) -> None:
    v08 = samples.CAMT_NS.replace(".02", ".08")
    later, wrong = tmp_path / "v08.xml", tmp_path / "pain.xml"
    later.write_bytes(samples.camt053(namespace=v08))
    wrong.write_bytes(samples.pain001())
    with open_engine(tmp_path / "in.duckdb", "duckdb") as store:
        assert ingest(store, later, source_format="camt053").rows_quarantined == 0
        result = ingest(store, wrong, source_format="camt053")
        _balanced(result)
        (row,) = _quarantine(store)
        assert "not an ISO 20022 camt.053 document" in row["reason"] and row["file"] == str(wrong)


def test_pain001_transfers_load_and_a_bad_one_is_quarantined(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(samples.pain001())
    broken = samples.PAIN_TRANSFERS.replace(
        "<CdtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></CdtrAcct>", ""
    )
    bad.write_bytes(samples.pain001(broken).replace(b"BATCH-1", b"BATCH-2"))
    with open_engine(tmp_path / "in.duckdb", "duckdb") as store:
        result = ingest(store, good, source_format="pain001")
        _balanced(result)
        rows = _rows(store, "transactions", TXN_COLS)
        assert [(r["txn_id"], r["src_account"], r["dst_account"], r["channel"]) for r in rows] == [
            ("BATCH-1/INV-1", "GB33BUKB20201555555555", "GB29NWBK60161331926819", "other"),
            ("BATCH-1/INV-2", "GB33BUKB20201555555555", "FR1420041010050500013M02606", "intl_wire"),
        ]
        assert rows[0]["ts"] == dt.datetime(2026, 3, 3) and rows[1]["currency"] == "EUR"
        result = ingest(store, bad, source_format="pain001")
        _balanced(result)
        (row,) = _quarantine(store)
        assert row["reason"].endswith("at /Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[2]")
        assert store.count("transactions") == 3


def test_ftm_entities_load_with_owners_and_bad_lines_quarantined(tmp_path: Path) -> None:
    bad = [
        {"id": "x1", "schema": "Vessel", "properties": {}},
        {"id": "x2", "schema": "Person", "properties": {"shoeSize": ["44"]}},
        {"id": "x3", "schema": "Person", "properties": {"birthDate": ["yesterday"]}},
        {"id": "x4", "schema": "Nonsense", "properties": {}},
    ]
    path = tmp_path / "entities.ftm.json"
    path.write_bytes(samples.ftm_lines(samples.FTM_ENTITIES + bad) + b"{not json\n")
    with open_engine(tmp_path / "in.duckdb", "duckdb") as store:
        result = ingest(store, path, source_format="ftm")
        _balanced(result)
        (payment,) = _rows(store, "transactions", TXN_COLS)
        assert payment["src_account"] == "GB29NWBK60161331926819"
        assert payment["dst_account"] == "GB-654321-87654321" and payment["channel"] == "fps"
        holders = {
            r["account_id"]: r["holder_party_id"] for r in _rows(store, "accounts", ACCOUNT_COLS)
        }
        assert holders == {"GB-654321-87654321": "c1", "GB29NWBK60161331926819": "p1"}
        reasons = {r["line"]: r["reason"] for r in _quarantine(store)}
        assert reasons[8].startswith("FtM schema Vessel has no fraudnet table")
        assert reasons[9].startswith("unknown property 'shoeSize' for FtM Person")
        assert "'yesterday' is not a valid date" in reasons[10]
        assert reasons[11].startswith("unknown FtM schema 'Nonsense'")
        assert reasons[12].startswith("not a JSON object")
