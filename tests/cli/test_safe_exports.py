"""Safe exports: formula cells neutralised, personal fields redacted, files owner-only, atomic."""

from __future__ import annotations

import csv
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from fraudnet.atomic import atomic_path, write_atomic
from fraudnet.cli.main import app
from fraudnet.engine import open_engine
from fraudnet.redact import MASK
from fraudnet.trace import trace_reports
from fraudnet.trace.freeze import write_freeze_list
from fraudnet.trace.sankey import write_sankeys
from tests.trace.ledgers import MIXED_PAYMENTS, MIXED_REPORTS, write_ledger

runner = CliRunner()

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
PERSONAL = {
    "name": "Ann Example",
    "given_name": "Ann",
    "family_name": "Example",
    "dob": date(1980, 5, 17),
    "address": "1 High Street",
    "postcode": "AB1 2CD",
    "phone": "+447700900123",
    "email": "ann@example.com",
}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _store(tmp_path: Path) -> Path:
    location = tmp_path / "s.duckdb"
    with open_engine(location, "duckdb") as engine:
        parties = [
            {"party_id": "P0", **PERSONAL, "city": "Leeds", "country": "GB"},
            {"party_id": "P1", "name": None, "city": "York"},
            *({"party_id": f"F{i}", "name": v} for i, v in enumerate(FORMULAS)),
        ]
        engine.append("parties", pa.Table.from_pylist(parties))
        engine.append(
            "identifiers",
            pa.table(
                {
                    "owner": ["P0", "P0"],
                    "kind": ["email", "device"],
                    "value": ["ann@example.com", "dev-42"],
                }
            ),
        )
        engine.append(
            "accounts",
            pa.table({"account_id": ["=A"], "opening_balance": [Decimal("-5.00")]}),
        )
    return location


def _export(store: Path, table: str, out: Path, *extra: str) -> None:
    result = runner.invoke(app, ["export", str(store), table, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output


def test_csv_export_neutralises_formula_cells(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _export(store, "parties", tmp_path / "p.csv")
    names = {
        r["party_id"]: r["name"] for r in csv.DictReader((tmp_path / "p.csv").open(newline=""))
    }
    for i, formula in enumerate(FORMULAS):
        assert names[f"F{i}"] == "'" + formula
    assert names["P0"] == "Ann Example"
    _export(store, "accounts", tmp_path / "a.csv")
    rows = list(csv.DictReader((tmp_path / "a.csv").open(newline="")))
    assert rows[0]["account_id"] == "'=A" and rows[0]["opening_balance"] == "-5.00"  # a number
    _export(store, "parties", tmp_path / "p.parquet")  # Parquet is for programs: unchanged
    stored = {r["party_id"]: r["name"] for r in pq.read_table(tmp_path / "p.parquet").to_pylist()}
    assert [stored[f"F{i}"] for i in range(len(FORMULAS))] == FORMULAS


def test_freeze_list_neutralises_formula_account_ids(tmp_path: Path) -> None:
    with open_engine(tmp_path / "s.duckdb", "duckdb") as engine:
        accounts = [("V1", "5000.00"), ("V2", "5000.00"), ("A", "50.00"), ("=B", "0.00")]
        payments = [
            (p[0], p[1], p[2], "=B" if p[3] == "B" else p[3], *p[4:]) for p in MIXED_PAYMENTS
        ]
        payments = [(p[0], p[1], "=B" if p[2] == "B" else p[2], *p[3:]) for p in payments]
        write_ledger(engine, accounts, payments, MIXED_REPORTS)
        result = trace_reports(engine, rule="fifo")
    out = tmp_path / "lists" / "freeze.csv"
    assert write_freeze_list(result, out) > 0
    ids = {r["account_id"] for r in csv.DictReader(out.open(newline=""))}
    assert "'=B" in ids and "=B" not in ids
    assert _mode(out) == 0o600 and _mode(out.parent) == 0o700
    pages = write_sankeys(result, tmp_path / "sankey")
    assert pages and all(_mode(p) == 0o600 for p in pages)
    assert _mode(tmp_path / "sankey") == 0o700
    assert _mode(tmp_path / "sankey" / "plotly.min.js") == 0o600


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_export_redact_masks_exactly_the_personal_fields(tmp_path: Path, suffix: str) -> None:
    store = _store(tmp_path)
    out = tmp_path / f"p{suffix}"
    _export(store, "parties", out, "--redact")
    text = out.read_bytes().decode("utf-8", errors="replace")
    for value in PERSONAL.values():
        assert str(value) not in text, value
    if suffix == ".parquet":
        rows = {r["party_id"]: r for r in pq.read_table(out).to_pylist()}
    else:
        rows = {r["party_id"]: r for r in csv.DictReader(out.open(newline=""))}
    assert all(rows["P0"][column] == MASK for column in PERSONAL)
    assert rows["P0"]["city"] == "Leeds" and rows["P0"]["country"] == "GB"
    assert rows["P1"]["name"] in (None, "")  # an empty cell stays empty
    ids = tmp_path / f"i{suffix}"
    _export(store, "identifiers", ids, "--redact")
    raw = ids.read_bytes().decode("utf-8", errors="replace")
    assert "ann@example.com" not in raw and "dev-42" in raw
    _export(store, "parties", tmp_path / f"plain{suffix}")  # without --redact all is there
    assert "ann@example.com" in (tmp_path / f"plain{suffix}").read_bytes().decode(errors="replace")


def test_store_and_exports_are_owner_only(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert _mode(store) == 0o600
    out = tmp_path / "new" / "deeper" / "p.csv"
    _export(store, "parties", out)
    assert _mode(out) == 0o600
    assert _mode(out.parent) == 0o700 and _mode(out.parent.parent) == 0o700
    out.chmod(0o644)  # an older, world-readable file is replaced by a private one
    _export(store, "parties", out)
    assert _mode(out) == 0o600
    assert not list(out.parent.glob(".*.tmp"))


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    write_atomic(target, "old page")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half of the new pa")
        raise RuntimeError("killed while writing")
    assert target.read_text() == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
