from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import open_engine
from tests.resolve import worlds
from tests.resolve.helpers import entity_of

runner = CliRunner()


def test_resolve_and_judge_commands(tmp_path: Path) -> None:
    store = tmp_path / "cli.duckdb"
    with open_engine(store, "duckdb") as engine:
        engine.append("parties", worlds.parties())
    result = runner.invoke(app, ["resolve", str(store)])
    assert result.exit_code == 0, result.output
    rows = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in result.output.splitlines()
        if line.count("│") == 3
    }
    assert rows["parties"] == "9" and rows["entities"] == "6"
    assert rows["model state"].startswith("prior parameters")
    assert not (tmp_path / "cli.duckdb.resolve-model.json").exists()
    judged = runner.invoke(
        app,
        ["judge", str(store), "bank1:001", "bank2:777", "--reject", "--by", "ana", "--reason", "x"],
    )
    assert judged.exit_code == 0, judged.output
    assert "NEGATIVE" in judged.output
    again = runner.invoke(app, ["resolve", str(store), "--threshold", "0.5"])
    assert again.exit_code == 0, again.output
    with open_engine(store, "duckdb") as engine:
        entity = entity_of(engine)
    assert entity["bank1:001"] != entity["bank2:777"]


def test_judge_needs_exactly_one_verdict_and_known_parties(tmp_path: Path) -> None:
    store = tmp_path / "cli.duckdb"
    with open_engine(store, "duckdb") as engine:
        engine.append("parties", worlds.parties())
    both = runner.invoke(
        app, ["judge", str(store), "bank1:001", "bank2:777", "--confirm", "--reject", "--by", "a"]
    )
    assert both.exit_code == 2
    unknown = runner.invoke(
        app, ["judge", str(store), "bank1:001", "ghost", "--confirm", "--by", "a"]
    )
    assert unknown.exit_code == 2
    empty = tmp_path / "empty.duckdb"
    open_engine(empty, "duckdb").close()
    assert runner.invoke(app, ["resolve", str(empty)]).exit_code == 2
