"""One error style: a failure the user caused is one `error:` line and exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import open_engine
from fraudnet.errors import StoreBusyError
from tests.cli.process import cli_env, run_cli

runner = CliRunner()


def _store(tmp_path: Path) -> Path:
    location = tmp_path / "s.duckdb"
    with open_engine(location, "duckdb") as engine:
        engine.append("parties", pa.table({"party_id": ["P1"], "name": ["Ann"]}))
    return location


def _cases(tmp_path: Path, store: Path) -> list[tuple[list[str], str]]:
    """(arguments, words the one error line must hold)."""
    (tmp_path / "folder.duckdb").mkdir()
    (tmp_path / "junk.duckdb").write_bytes(b"not a database at all " * 300)
    return [
        (["export", str(store), "nosuch", "--out", str(tmp_path / "x.csv")], "unknown table"),
        (["export", str(store), "parties", "--out", str(tmp_path / "x.txt")], "x.txt"),
        (["status", str(tmp_path / "none.duckdb")], "no such store"),
        (["trace", str(store), "--rule", "fifo2"], "unknown rule(s) fifo2"),
        (["status", str(tmp_path / "folder.duckdb")], "is a directory"),
        (["status", str(tmp_path / "junk.duckdb")], "is not a DuckDB store"),
        (["ingest", str(store), str(tmp_path / "none.csv"), "--table", "parties"], "none.csv"),
        (["neighbourhood", str(store), "NOBODY"], "NOBODY"),
        (["trace", str(store), "--no-such-option"], "no such option"),
    ]


def test_every_user_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    store = _store(tmp_path)
    for args, words in _cases(tmp_path, store):
        result = runner.invoke(app, args)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 2, (args, result.output)
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.stderr)
        assert words.lower() in lines[0].lower(), (args, lines[0])
        assert "Traceback" not in result.output


@pytest.mark.slow
def test_debug_option_and_env_var_show_the_traceback(tmp_path: Path) -> None:
    store = _store(tmp_path)
    args = ["export", str(store), "nosuch", "--out", str(tmp_path / "x.csv")]
    plain = run_cli(args)
    assert plain.returncode == 2
    assert plain.stderr.strip().splitlines() == [
        line for line in plain.stderr.strip().splitlines() if line.startswith("error: ")
    ]
    assert "Traceback" not in plain.stderr and len(plain.stderr.strip().splitlines()) == 1
    for debug_args, env in (
        (["--debug", *args], None),
        (args, {"FRAUDNET_DEBUG": "1"}),
    ):
        shown = run_cli(debug_args, env)
        assert shown.returncode == 1
        assert "Traceback" in shown.stderr and "KeyError" in shown.stderr


@pytest.mark.slow
def test_a_store_held_by_another_process_is_busy(tmp_path: Path) -> None:
    store = _store(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from fraudnet.store import open_store\n"
            "engine = open_store(sys.argv[1])\n"
            "print('holding', flush=True)\n"
            "time.sleep(120)\n",
            str(store),
        ],
        env=cli_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreBusyError, match="is busy: another fraudnet process"):
            open_engine(store, "duckdb")
        result = run_cli(["status", str(store)])
        assert result.returncode == 2
        assert result.stderr.strip() == (
            f"error: store {store} is busy: another fraudnet process is writing to it"
        )
    finally:
        holder.kill()
        holder.wait()
    assert run_cli(["status", str(store)]).returncode == 0  # free again once the holder is gone
