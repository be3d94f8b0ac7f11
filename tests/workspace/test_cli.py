"""`fraudnet users` and `fraudnet audit verify` run as a user's shell runs them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner, Result

from fraudnet.cli.main import app
from tests.cli.process import cli_command, cli_env
from tests.workspace.conftest import AUDIT_KEY, tamper

PASSWORD = "a long enough secret phrase"


def fraudnet(args: list[str | Path], stdin: str = "", env: dict[str, str] | None = None) -> Result:
    """In-process (quick); the exit-code test below runs the real command in a child."""
    return CliRunner().invoke(app, [str(a) for a in args], input=stdin, env=env)


def fraudnet_child(
    args: list[str | Path], stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_command(args, only="workspace_commands"),
        input=stdin,
        env=cli_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def add_alice(store: Path, env: dict[str, str] | None = None) -> Result:
    args: list[str | Path] = ["users", "add", store, "alice", "--role", "analyst"]
    args += ["--organisation", "bank-a", "--password-stdin"]
    return fraudnet(args, stdin=PASSWORD + "\n", env=env)


def test_users_add_list_disable_and_the_password_never_shows(tmp_path: Path) -> None:
    store = tmp_path / "ws.duckdb"
    added = add_alice(store)
    assert added.exit_code == 0, added.output
    listed = fraudnet(["users", "list", store])
    assert "alice" in listed.stdout and "analyst" in listed.stdout and "bank-a" in listed.stdout
    disabled = fraudnet(["users", "disable", store, "alice", "--reason", "left"])
    assert disabled.exit_code == 0, disabled.output
    assert "yes" in fraudnet(["users", "list", store]).stdout
    for result in (added, listed, disabled):
        assert PASSWORD not in result.output
    assert PASSWORD.encode() not in store.read_bytes()


def test_a_bad_role_is_one_error_line(tmp_path: Path) -> None:
    args: list[str | Path] = ["users", "add", tmp_path / "ws.duckdb", "bob", "--role", "root"]
    result = fraudnet([*args, "--organisation", "x", "--password-stdin"], stdin=PASSWORD)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: unknown role 'root'; choose one of viewer, analyst, supervisor, admin, partner"
    ]


def test_audit_verify_exits_0_then_2_naming_the_first_bad_seq(tmp_path: Path) -> None:
    store, key_file = tmp_path / "ws.duckdb", tmp_path / "audit.key"
    key_file.write_bytes(AUDIT_KEY)
    env = {"FRAUDNET_AUDIT_KEY_FILE": str(key_file)}
    add_alice(store, env)
    fraudnet(["users", "disable", store, "alice", "--reason", "left"], env=env)
    intact = fraudnet_child(["audit", "verify", store], env=env)
    assert intact.returncode == 0, intact.stderr
    assert "2 entries" in intact.stdout and "anchor checked" in intact.stdout
    tamper(store, "UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 1")
    broken = fraudnet_child(["audit", "verify", store], env=env)
    assert broken.returncode == 2
    assert broken.stderr.strip().splitlines() == [
        "error: audit log broken at seq 1: its contents do not match its hash (edited)"
    ]


def test_audit_verify_with_the_key_file_finds_a_cut_tail(tmp_path: Path) -> None:
    store, key_file = tmp_path / "ws.duckdb", tmp_path / "audit.key"
    key_file.write_bytes(AUDIT_KEY)
    add_alice(store, {"FRAUDNET_AUDIT_KEY_FILE": str(key_file)})
    tamper(store, "DELETE FROM audit_log")
    assert fraudnet(["audit", "verify", store]).exit_code == 0  # no key: cannot tell
    broken = fraudnet(["audit", "verify", store, "--key-file", key_file])
    assert broken.exit_code == 2
    assert "broken at seq 1" in broken.stderr


def test_verify_refuses_a_missing_store_instead_of_creating_one(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"
    result = fraudnet(["audit", "verify", missing])
    assert result.exit_code == 2
    assert "no such store" in result.stderr
    assert not missing.exists()
