from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import Engine, open_engine
from fraudnet.networks import build_networks
from fraudnet.report import Grading, PdfUnavailable, load_report_data, render_html, write_report
from fraudnet.report import render as render_module
from tests.networks.worlds import load_without_labels, small_world


@pytest.fixture
def built(duck_store: Engine) -> tuple[Engine, str]:
    load_without_labels(duck_store, small_world())
    result = build_networks(duck_store)
    return duck_store, str(result.networks.column("network_id")[0])


def test_html_report_has_grading_roles_picture_and_timeline(built: tuple[Engine, str]) -> None:
    engine, network = built
    data = load_report_data(engine, network)
    html = render_html(data, Grading(source="1", intelligence="A", handling="P"))
    assert network in html
    assert "1 &mdash; reliable" in html and "A &mdash; known directly" in html
    assert "P &mdash; lawful sharing permitted" in html
    assert len(re.findall(r"data:image/png;base64,[A-Za-z0-9+/]{200}", html)) == 2
    for account in data.accounts():
        assert account in html
    funds = data.network["victim_funds"]
    assert f"£{funds:,}" in html


def test_grading_rejects_values_outside_3x5x2() -> None:
    with pytest.raises(ValueError):
        Grading(source="4")
    with pytest.raises(ValueError):
        Grading(handling="X")


def test_unknown_network(built: tuple[Engine, str]) -> None:
    engine, _ = built
    with pytest.raises(KeyError):
        load_report_data(engine, "NW-NOPE")


def test_pdf_without_chromium_says_what_to_install(
    built: tuple[Engine, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, network = built
    monkeypatch.setattr(render_module, "chromium_binary", lambda: None)
    with pytest.raises(PdfUnavailable, match="chromium"):
        write_report(engine, network, tmp_path / "r.pdf")


def _require_chromium() -> str:
    """Chromium's path; a missing browser fails under CI (which installs it) and skips elsewhere."""
    found = render_module.chromium_binary()
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI=true but Chromium is missing: `make system-deps` must install it")
        pytest.skip("PDF report needs Chromium (Debian: apt-get install chromium); not found")
    return found


def test_pdf_with_chromium(built: tuple[Engine, str], tmp_path: Path) -> None:
    _require_chromium()
    engine, network = built
    out = write_report(engine, network, tmp_path / "r.pdf")
    assert out.read_bytes()[:5] == b"%PDF-"
    pdf = PdfReader(out)
    assert len(pdf.pages) >= 1
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert network in text
    for account in load_report_data(engine, network).accounts():
        assert account in text


def test_cli_networks_report_neighbourhood_path(tmp_path: Path) -> None:
    location = tmp_path / "s.duckdb"
    with open_engine(location, "duckdb") as engine:
        load_without_labels(engine, small_world())
    runner = CliRunner()
    result = runner.invoke(app, ["networks", str(location)])
    assert result.exit_code == 0, result.output
    with open_engine(location, "duckdb") as engine:
        row = engine.sql(
            "SELECT n.network_id, r.subject FROM networks n JOIN network_roles r "
            "USING (network_id) WHERE r.role = 'mule_tier1' ORDER BY n.rank, r.subject LIMIT 1"
        ).to_pylist()[0]
        victim = (
            engine.sql(
                "SELECT t.src_account FROM transactions t JOIN fraud_reports f USING (txn_id) "
                f"WHERE t.dst_account = '{row['subject']}' LIMIT 1"
            )
            .column(0)[0]
            .as_py()
        )
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(location), "--network", row["network_id"],
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert row["network_id"] in out.read_text()
    result = runner.invoke(app, ["neighbourhood", str(location), row["subject"], "--hops", "1"])
    assert result.exit_code == 0 and victim in result.output
    result = runner.invoke(app, ["path", str(location), victim, row["subject"]])
    assert result.exit_code == 0 and "bottleneck" in result.output
    result = runner.invoke(app, ["report", str(location), "--network", "NW-X", "--out", str(out)])
    assert result.exit_code == 2


def test_chromium_binary_runs() -> None:
    found = _require_chromium()
    version = subprocess.run([found, "--version"], check=True, capture_output=True, timeout=60)
    assert b"Chromium" in version.stdout or b"Chrome" in version.stdout


def test_report_redact_masks_holder_names_and_personal_identifiers(
    built: tuple[Engine, str], tmp_path: Path
) -> None:
    engine, network = built
    data = load_report_data(engine, network)
    names = [n for n in data.holders["name"].to_list() if n]
    assert names, "the fixture's holders need names for this test to mean anything"
    plain = write_report(engine, network, tmp_path / "plain.html").read_text()
    redacted = write_report(engine, network, tmp_path / "r.html", redact=True).read_text()
    assert all(name in plain for name in names)
    assert not any(name in redacted for name in names)
    assert "[redacted]" in redacted and network in redacted
    assert (tmp_path / "r.html").stat().st_mode & 0o777 == 0o600
    runner = CliRunner()
    out = tmp_path / "cli.html"
    args = ["report", str(engine.location), "--network", network, "--out", str(out), "--redact"]
    engine.close()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert not any(name in out.read_text() for name in names)
