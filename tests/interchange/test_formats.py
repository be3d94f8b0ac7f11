"""Each export passes its format's own validator and reads back to the store's network."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fraudnet.engine import Engine
from fraudnet.interchange import ExportOptions, export_format, export_network, load_network
from fraudnet.report.data import load_report_data
from tests.interchange.conftest import NetworkStore

FORMATS = ["ftm", "misp", "stix", "anx"]
NO_AUDIT = ExportOptions(audit=False)


def _expected(engine: Engine, network_id: str) -> tuple[set[str], Decimal, set[str]]:
    """The report's payments for the network (its own query), their total and member accounts."""
    report = load_report_data(engine, network_id)
    txns = {str(t) for t in report.payments["txn_id"].to_list()}
    total = sum((Decimal(a) for a in report.payments["amount"].to_list()), Decimal(0))
    return txns, total, set(report.accounts())


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_validates_and_reads_back_the_same_network(
    fmt: str, engine: Engine, network_store: NetworkStore, tmp_path: Path
) -> None:
    out = tmp_path / f"network{export_format(fmt).suffix}"
    result = export_network(engine, network_store.network_id, fmt, out, NO_AUDIT)
    assert export_format(fmt).validate(out) == []
    back = export_format(fmt).read_back(out)
    txns, total, members = _expected(engine, network_store.network_id)
    assert back.payment_ids == txns and back.payments == len(txns) > 20
    assert back.amount == total
    assert members <= back.accounts  # every member account, plus its counterparties
    data = load_network(engine, network_store.network_id)
    assert back.accounts == set(data.accounts)
    assert back.parties == len(data.parties) > 5
    assert result.summary == back
    assert out.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("fmt", FORMATS)
def test_redacted_export_holds_no_names_phones_or_emails(
    fmt: str, engine: Engine, network_store: NetworkStore, tmp_path: Path
) -> None:
    data = load_network(engine, network_store.network_id)
    personal = {p.name for p in data.parties.values() if p.name}
    personal |= {e for p in data.parties.values() for e in p.emails}
    personal |= {p.dob.isoformat() for p in data.parties.values() if p.dob}
    assert len(personal) > 10
    plain = tmp_path / "plain"
    export_network(engine, network_store.network_id, fmt, plain, NO_AUDIT)
    redacted = tmp_path / "redacted"
    export_network(
        engine, network_store.network_id, fmt, redacted, ExportOptions(redact=True, audit=False)
    )
    assert _found(plain, personal), "the unredacted export should carry the names"
    assert _found(redacted, personal) == set()
    assert export_format(fmt).read_back(redacted).payments == len(data.payments)


def _found(path: Path, values: set[str]) -> set[str]:
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode()
    return {v for v in values if v in text}


def test_money_is_decimal_text_and_times_are_utc(
    engine: Engine, network_store: NetworkStore, tmp_path: Path
) -> None:
    out = tmp_path / "b.stix.json"
    export_network(engine, network_store.network_id, "stix", out, NO_AUDIT)
    import json

    objects = json.loads(out.read_text())["objects"]
    payments = [o for o in objects if o["type"] == "relationship"]
    assert payments
    for rel in payments:
        (ext,) = rel["extensions"].values()
        assert isinstance(ext["amount"], str) and Decimal(ext["amount"]).as_tuple().exponent == -2
        assert rel["start_time"].endswith("Z")
