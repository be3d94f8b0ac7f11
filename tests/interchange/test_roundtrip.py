"""Export a built network (FtM, goAML through the registry), import it: the same rows back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from fraudnet.engine import Engine, open_engine
from fraudnet.ingest import ingest
from fraudnet.interchange import ExportOptions, export_format, export_network, load_network
from tests.interchange.conftest import NetworkStore

NO_AUDIT = ExportOptions(audit=False)


def _second(ts: dt.datetime) -> dt.datetime:
    """Both formats carry time to the second (FtM and goAML dates); the store keeps microseconds."""
    return ts.replace(microsecond=0)


def _payments(store: Engine) -> dict[str, tuple]:
    rows = store.sql(
        "SELECT txn_id, ts, amount, currency, src_account, dst_account, channel FROM transactions"
    ).to_pylist()
    return {r["txn_id"]: tuple(r.values())[1:] for r in rows}


def test_ftm_export_then_import_gives_the_same_accounts_parties_and_payments(
    engine: Engine, network_store: NetworkStore, tmp_path: Path
) -> None:
    out = tmp_path / "network.ftm.json"
    export_network(engine, network_store.network_id, "ftm", out, NO_AUDIT)
    data = load_network(engine, network_store.network_id)
    with open_engine(tmp_path / "back.duckdb", "duckdb") as back:
        result = ingest(back, out, source_format="ftm")
        assert result.rows_quarantined == 0, result.quarantine_reasons
        want = {
            p.txn_id: (_second(p.ts), p.amount, p.currency, p.src_account, p.dst_account, p.channel)
            for p in data.payments
        }
        assert _payments(back) == want and len(want) > 20
        accounts = back.sql("SELECT account_id, holder_party_id FROM accounts").to_pylist()
        assert {a["account_id"]: a["holder_party_id"] for a in accounts} == {
            k: a.holder_party_id for k, a in data.accounts.items()
        }
        parties = back.sql("SELECT party_id, given_name, family_name, dob FROM parties").to_pylist()
        assert {p["party_id"]: (p["given_name"], p["family_name"], p["dob"]) for p in parties} == {
            k: (p.given_name, p.family_name, p.dob) for k, p in data.parties.items()
        }


def test_goaml_through_the_registry_validates_and_round_trips(
    engine: Engine, network_store: NetworkStore, tmp_path: Path
) -> None:
    fmt = export_format("goaml")
    out = tmp_path / "network.xml"
    result = export_network(engine, network_store.network_id, "goaml", out, NO_AUDIT)
    assert fmt.validate(out) == []
    data = load_network(engine, network_store.network_id)
    sent = [p for p in data.payments if p.src_account and p.dst_account and p.currency == "GBP"]
    assert result.summary.payment_ids == {p.txn_id for p in sent} and len(sent) > 10
    assert result.summary.amount == sum((p.amount for p in sent), Decimal(0))
    with open_engine(tmp_path / "back.duckdb", "duckdb") as back:
        imported = ingest(back, out, source_format="goaml")
        assert imported.rows_quarantined == 0, imported.quarantine_reasons
        want = {
            p.txn_id: (_second(p.ts), p.amount, p.currency, p.src_account, p.dst_account, p.channel)
            for p in sent
        }
        assert _payments(back) == want
        holders = back.sql("SELECT account_id, holder_party_id FROM accounts").to_pylist()
        for row in holders:
            assert row["holder_party_id"] == data.accounts[row["account_id"]].holder_party_id


def test_cli_goaml_export_with_a_profile_then_ingest(
    network_store: NetworkStore, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from fraudnet.cli.main import app
    from fraudnet.interchange.xml_safe import parse_xml

    runner = CliRunner()
    out, back = tmp_path / "str.xml", tmp_path / "back.duckdb"
    profile = Path(__file__).parent / "goaml-502-style.yaml"
    args = ["export", str(network_store.path), "--network", network_store.network_id]
    done = runner.invoke(
        app, [*args, "--format", "goaml", "--profile", str(profile), "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert parse_xml(out).findtext("report_indicators/indicator") == "FNACC"
    loaded = runner.invoke(app, ["ingest", str(back), str(out), "--format", "goaml"])
    assert loaded.exit_code == 0, loaded.output
    with open_engine(back, "duckdb") as store:
        assert store.count("transactions") > 10
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = runner.invoke(app, ["ingest", str(back), str(empty), "--format", "camt053"])
    assert refused.exit_code != 0 and "no .xml files" in refused.output
    wrong = runner.invoke(app, ["ingest", str(back), str(out), "--format", "camt053", "--strict"])
    assert wrong.exit_code == 1  # quarantined as not a camt.053 document
