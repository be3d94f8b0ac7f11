"""Rings from alerts or named accounts alone (no report, no device), and benign look-alikes cut."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.networks import ExpansionSettings, build_networks
from fraudnet.networks.named import read_seed_accounts
from tests.networks.worlds import frame

START = dt.datetime(2025, 3, 1)
KINDS = ("direct", "pass-through", "common payee", "common payer")
SETTINGS = ExpansionSettings(hub_payers=6, tie_links=KINDS)


def _payments(rows: list[tuple[str, str, int]]) -> pa.Table:
    """(src, dst, day) rows as canonical transactions of £500."""
    return pa.table({
        "txn_id": [f"T{i:03d}" for i in range(len(rows))],
        "ts": pa.array([START + dt.timedelta(days=d) for _, _, d in rows], pa.timestamp("us")),
        "amount": pa.array([500] * len(rows), pa.decimal128(18, 2)),
        "currency": ["GBP"] * len(rows), "src_account": [r[0] for r in rows],
        "dst_account": [r[1] for r in rows], "channel": ["fps"] * len(rows),
    })  # fmt: skip


def _world() -> list[tuple[str, str, int]]:
    rows = [(f"A{i}", "HUB", 10 + i % 3) for i in range(4)]  # fan-in ring, HUB not alerted
    rows += [("SRC", f"B{i}", 30 + i % 2) for i in range(3)]  # fan-out ring, named
    rows += [("BOSS", f"W{i}", d) for i in range(3) for d in (0, 28, 56)]  # payroll fan-out
    rows += [("F1", "F2", 5), ("F2", "F1", 6), ("F1", "F3", 5), ("F3", "F1", 7)]  # family
    rows += [("S1", "SAVE", d) for d in range(0, 60, 7)] + [("S2", "SAVE", 3)]  # sweeps
    rows += [(f"C{i}", "SHOP", 20 + i % 2) for i in range(8)]  # merchant fan-in
    return rows


def _store(engine: Engine, alerted: list[str]) -> None:
    rows = _world()
    engine.commit(appends={"transactions": _payments(rows)})
    for rank, account in enumerate(alerted, start=1):
        engine.execute(f"INSERT INTO alerts (account_id, rank) VALUES ('{account}', {rank})")


def test_alerts_alone_seed_a_ring_with_its_shape_and_roles(duck_store: Engine) -> None:
    benign = ["W0", "W1", "W2", "F2", "F3", "S1", "S2", "C0", "C1", "C2"]
    _store(duck_store, ["A0", "A1", "A2", "A3", *benign])
    result = build_networks(duck_store, SETTINGS)
    networks = frame(result.networks)
    assert networks.height == 1
    ring = networks.row(0, named=True)
    assert ring["typology"] == "fan_in" and ring["seeded_from"] == "alerts"
    assert ring["size"] == 5  # the four alerted payers and the hub they pay
    roles = frame(result.roles)
    role = dict(zip(roles["subject"], roles["role"], strict=True))
    assert role["HUB"] == "collector" and role["A0"] == "mule_tier1"
    assert not set(benign) & set(role)  # old or two-way ties, and a busy merchant, are cut


def test_named_accounts_seed_like_alerts(duck_store: Engine, tmp_path: Path) -> None:
    _store(duck_store, [])
    listed = tmp_path / "suspects.txt"
    listed.write_text("# police list\nB0\nB1\n\nB2\n")
    result = build_networks(duck_store, SETTINGS, seeds=read_seed_accounts(listed))
    networks = frame(result.networks)
    assert networks["typology"].to_list() == ["fan_out"]
    assert networks["seeded_from"].to_list() == ["named accounts"]
    roles = frame(result.roles)
    assert dict(zip(roles["subject"], roles["role"], strict=True))["SRC"] == "herder"


def test_a_seed_file_with_nothing_in_it_is_one_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "none.txt"
    empty.write_text("# nobody\n")
    with pytest.raises(FraudnetError, match=r"none\.txt"):
        read_seed_accounts(empty)


def test_one_seed_reaches_its_fan_through_the_hub_burst(duck_store: Engine) -> None:
    _store(duck_store, [])
    plain = build_networks(duck_store, SETTINGS, seeds=["A0"], write=False)
    assert plain.networks.num_rows == 0  # one seed links to no other seed
    fans = ExpansionSettings(hub_payers=6, fan_ties=3, tie_links=KINDS)
    result = build_networks(duck_store, fans, seeds=["A0"], write=False)
    networks = frame(result.networks)
    assert networks["typology"].to_list() == ["fan_in"] and networks["size"].to_list() == [5]


def test_cli_seeds_from_a_file_and_says_so(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fraudnet.cli.main import app
    from fraudnet.engine import open_engine

    store = tmp_path / "s.duckdb"
    with open_engine(store, "duckdb") as engine:
        _store(engine, [])
    listed = tmp_path / "suspects.txt"
    listed.write_text("SRC\nB0\nB1\nB2\n")
    out = CliRunner().invoke(app, ["networks", str(store), "--seed-accounts", str(listed)])
    assert out.exit_code == 0, out.output
    assert "1 networks (seeded from named accounts)" in out.output and "fan_out" in out.output
