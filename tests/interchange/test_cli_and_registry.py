"""`fraudnet export --network`: clear errors, audit entries, and formats as plug-in classes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.interchange import (
    ExportFormat,
    ExportOptions,
    ExportSummary,
    NetworkData,
    export_format,
    export_formats,
    export_network,
    register_format,
)
from fraudnet.interchange import registry as registry_module
from fraudnet.interchange.network import money
from tests.interchange.conftest import NetworkStore

runner = CliRunner()


def _run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_cli_writes_the_export_and_audits_it(network_store: NetworkStore, tmp_path: Path) -> None:
    out = tmp_path / "chart.anx"
    code, output = _run(
        "export", network_store.path, "--network", network_store.network_id, "--format", "anx",
        "--out", out, "--reason", "case 42",
    )  # fmt: skip
    assert code == 0, output
    assert out.exists() and "payments totalling" in output
    from fraudnet.engine import open_engine

    with open_engine(network_store.path, "duckdb") as eng:
        entries = [e for e in eng.table("audit_log").to_pylist() if e["reason"] == "case 42"]
    assert len(entries) == 1
    assert entries[0]["action"] == "export_network"
    assert entries[0]["subject"] == network_store.network_id
    assert json.loads(entries[0]["detail"])["format"] == "anx"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--network", "NW-NOPE", "--format", "ftm"], "no network 'NW-NOPE'"),
        (["--network", "X", "--format", "gexf"], "known formats: anx, ftm, goaml, misp, stix"),
        (["--network", "X"], "needs --network ID and --format"),
        (["accounts", "--network", "X", "--format", "ftm"], "not both"),
    ],
)
def test_cli_bad_input_is_one_error_line(
    network_store: NetworkStore, tmp_path: Path, args: list[str], message: str
) -> None:
    code, output = _run("export", network_store.path, *args, "--out", tmp_path / "x.json")
    assert code == 2
    assert message in output and "Traceback" not in output
    assert not (tmp_path / "x.json").exists()


def test_cli_unwritable_out_path_is_a_clear_error(
    network_store: NetworkStore, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "net.ftm.json"
    code, output = _run(
        "export", network_store.path, "--network", network_store.network_id, "--format", "ftm",
        "--out", out,
    )  # fmt: skip
    assert code == 2 and "Traceback" not in output
    assert "cannot write the export here" in output and str(out) in output


def test_cli_missing_store_does_not_create_one(tmp_path: Path) -> None:
    store = tmp_path / "nothing.duckdb"
    code, output = _run("export", store, "--network", "NW-X", "--format", "misp", "--out", "x")
    assert code == 2 and "no such store" in output and not store.exists()


def test_table_export_still_works(network_store: NetworkStore, tmp_path: Path) -> None:
    code, output = _run("export", network_store.path, "networks", "--out", tmp_path / "n.csv")
    assert code == 0, output
    assert network_store.network_id in (tmp_path / "n.csv").read_text()


class TotalsFormat(ExportFormat):
    """A stand-in for a later format (goAML): one line per payment, to prove the plug-in path."""

    name: ClassVar[str] = "totals-test"
    suffix: ClassVar[str] = ".txt"
    description: ClassVar[str] = "test format"

    def render(self, data: NetworkData, options: ExportOptions) -> bytes:
        return "".join(f"{p.txn_id} {money(p.amount)}\n" for p in data.payments).encode()

    def validate(self, path: Path) -> list[str]:
        bad = [ln for ln in path.read_text().splitlines() if len(ln.split()) != 2]
        return [f"bad line {ln!r}" for ln in bad]

    def read_back(self, path: Path) -> ExportSummary:
        rows = [ln.split() for ln in path.read_text().splitlines()]
        from decimal import Decimal

        return ExportSummary(
            accounts=frozenset(),
            parties=0,
            payments=len(rows),
            amount=sum((Decimal(a) for _, a in rows), Decimal(0)),
            payment_ids=frozenset(t for t, _ in rows),
        )


def test_a_new_format_is_one_registered_class(
    engine: Engine, network_store: NetworkStore, tmp_path: Path
) -> None:
    assert "totals-test" not in export_formats()
    register_format(TotalsFormat)
    try:
        assert "totals-test" in export_formats()
        result = export_network(
            engine, network_store.network_id, "totals-test", tmp_path / "t.txt",
            ExportOptions(audit=False),
        )  # fmt: skip
        assert result.summary.payments > 20
    finally:
        registry_module._REGISTRY.pop("totals-test")
    with pytest.raises(FraudnetError, match="unknown export format 'totals-test'"):
        export_format("totals-test")


def test_an_export_that_fails_its_validator_leaves_no_file(
    engine: Engine, network_store: NetworkStore, tmp_path: Path
) -> None:
    class Broken(TotalsFormat):
        name: ClassVar[str] = "broken-test"

        def render(self, data: NetworkData, options: ExportOptions) -> bytes:
            return b"one two three\n"

    out = tmp_path / "b.txt"
    with pytest.raises(FraudnetError, match="failed validation: bad line"):
        Broken().export(engine, network_store.network_id, out, ExportOptions(audit=False))
    assert list(tmp_path.iterdir()) == []
