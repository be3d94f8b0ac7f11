"""AMLSim output loads with ids kept verbatim; ground truth only reaches labels, on request."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fraudnet.engine import Engine
from fraudnet.ingest import ingest
from fraudnet.schema import all_tables


def test_amlsim_without_labels_has_no_ground_truth(store: Engine, amlsim_dir: Path) -> None:
    result = ingest(store, amlsim_dir, source_format="amlsim")
    assert result.rows_quarantined == 0
    assert store.count("labels") == 0
    accounts = store.table("accounts").to_pylist()
    assert [a["account_id"] for a in accounts] == ["100", "200", "300"]
    assert accounts[2]["kind"] == "business"
    assert accounts[1]["opened_at"] is None  # AMLSim day offsets are not dates: kept empty
    txns = store.table("transactions").to_pylist()
    assert [(t["src_account"], t["dst_account"]) for t in txns][:2] == [
        ("100", "200"),
        ("200", "300"),
    ]
    assert txns[0]["amount"] == Decimal("500.25") and txns[0]["currency"] == "USD"
    parties = store.table("parties").to_pylist()
    assert (
        parties[0]["given_name"] == "Ann"
        and parties[0]["party_id"] == accounts[0]["holder_party_id"]
    )
    # no stored column anywhere carries AMLSim's ground-truth fields
    for table in all_tables():
        assert not {"is_sar", "alert_id", "prior_sar_count"} & set(table.column_names)
    values = store.sql("SELECT value FROM identifiers").column(0).to_pylist()
    assert "123-45-6789" in values


def test_amlsim_with_labels(store: Engine, amlsim_dir: Path) -> None:
    ingest(store, amlsim_dir, source_format="amlsim", with_labels=True)
    labels = store.table("labels").to_pylist()
    assert {(r["subject"], r["network_id"]) for r in labels} == {
        ("100", "amlsim-alert-7"),
        ("200", "amlsim-alert-7"),
        ("300", "amlsim-alert-7"),
        ("200", None),
    }
    assert {r["source"] for r in labels} == {"ground_truth"}
