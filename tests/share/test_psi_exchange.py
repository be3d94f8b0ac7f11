"""Two stores complete PSI queries through the CLI, on files, with a log and a cap."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import open_engine
from fraudnet.errors import FraudnetError
from fraudnet.share.psi_store import QueryCap, QueryCapError, finish, respond, send_request

runner = CliRunner()
SHARED = [f"GB-400000-{n:08d}" for n in range(0, 40)]
ONLY_A = [f"GB-111111-{n:08d}" for n in range(0, 60)]
ONLY_B = [f"GB-222222-{n:08d}" for n in range(0, 200)]


def _store(path: Path, accounts: list[str]) -> Path:
    rows = [{"account_id": a, "institution": "x", "kind": "personal"} for a in accounts]
    with open_engine(path) as engine:
        engine.append("accounts", pa.Table.from_pylist(rows))
    return path


@pytest.fixture
def stores(tmp_path: Path) -> tuple[Path, Path]:
    return _store(tmp_path / "a.duckdb", SHARED + ONLY_A), _store(
        tmp_path / "b.duckdb", SHARED + ONLY_B
    )


def _cli(*args: str) -> str:
    result = runner.invoke(app, ["share", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _exchange(tmp_path: Path, a: Path, b: Path, mode: str, *respond_flags: str) -> str:
    req, resp = tmp_path / "req.psi", tmp_path / "resp.psi"
    _cli(
        "psi-request",
        str(a),
        "--org",
        "bank-a",
        "--partner",
        "bank-b",
        "--mode",
        mode,
        "--out",
        str(req),
    )
    _cli(
        "psi-respond",
        str(b),
        "--org",
        "bank-b",
        "--partner",
        "bank-a",
        "--in",
        str(req),
        "--out",
        str(resp),
        *respond_flags,
    )
    return _cli("psi-finish", str(a), "--org", "bank-a", "--in", str(resp))


def test_intersection_finds_exactly_the_shared_accounts(
    tmp_path: Path, stores: tuple[Path, Path]
) -> None:
    a, b = stores
    output = _exchange(tmp_path, a, b, "intersection", "--allow-intersection")
    assert "holds 40 of 100" in output
    with open_engine(a) as engine:
        assert sorted(engine.table("psi_matches").column("value").to_pylist()) == SHARED
        assert engine.count("psi_sessions") == 0
        log = engine.table("psi_query_log").to_pylist()
    assert {(r["role"], r["set_size"], r["result_size"]) for r in log} == {
        ("request", 100, None),
        ("finish", 100, 40),
    }
    with open_engine(b) as engine:
        (answered,) = engine.table("psi_query_log").to_pylist()
    assert (answered["partner"], answered["partner_set_size"], answered["set_size"]) == (
        "bank-a",
        100,
        240,
    )
    assert answered["result_size"] is None  # the responder never learns the result


def test_cardinality_mode_gives_the_count_only(tmp_path: Path, stores: tuple[Path, Path]) -> None:
    a, b = stores
    assert "holds 40 of 100" in _exchange(tmp_path, a, b, "cardinality")
    with open_engine(a) as engine:
        assert engine.count("psi_matches") == 0


def test_responder_refuses_intersection_unless_allowed(stores: tuple[Path, Path]) -> None:
    a, b = stores
    with open_engine(a) as ea, open_engine(b) as eb:
        request = send_request(ea, "bank-a", "bank-b", "account", SHARED, "intersection")
        with pytest.raises(FraudnetError, match="answers how many only"):
            respond(eb, "bank-b", request, "req", "bank-a", ONLY_B, QueryCap(), False)
        (refused,) = eb.table("psi_query_log").to_pylist()
    assert "how many only" in refused["refused"]


def test_query_cap_refuses_and_logs_the_refusal(stores: tuple[Path, Path]) -> None:
    a, b = stores
    cap = QueryCap(max_queries=2, max_values=10_000)
    with open_engine(a) as ea, open_engine(b) as eb:
        for _ in range(2):
            request = send_request(ea, "bank-a", "bank-b", "account", SHARED, "cardinality")
            respond(eb, "bank-b", request, "req", "bank-a", ONLY_B, cap, False)
        request = send_request(ea, "bank-a", "bank-b", "account", SHARED, "cardinality")
        with pytest.raises(QueryCapError, match="2 of 2 queries already answered"):
            respond(eb, "bank-b", request, "req", "bank-a", ONLY_B, cap, False)
        refused = [r for r in eb.table("psi_query_log").to_pylist() if r["refused"]]
        other = respond(
            eb,
            "bank-b",
            send_request(ea, "bank-c", "bank-b", "account", SHARED, "cardinality"),
            "req",
            "bank-c",
            ONLY_B,
            cap,
            False,
        )
    assert len(refused) == 1 and "query cap" in refused[0]["refused"]
    assert other  # the cap is per partner


def test_value_cap_counts_values_in_the_period(stores: tuple[Path, Path]) -> None:
    a, b = stores
    cap = QueryCap(max_queries=100, max_values=50)
    with open_engine(a) as ea, open_engine(b) as eb:
        respond(
            eb,
            "bank-b",
            send_request(ea, "bank-a", "bank-b", "account", SHARED, "cardinality"),
            "req",
            "bank-a",
            ONLY_B,
            cap,
            False,
        )
        with pytest.raises(QueryCapError, match="40 values answered"):
            respond(
                eb,
                "bank-b",
                send_request(ea, "bank-a", "bank-b", "account", SHARED, "cardinality"),
                "req",
                "bank-a",
                ONLY_B,
                cap,
                False,
            )


def test_misaddressed_damaged_and_replayed_messages_are_refused(stores: tuple[Path, Path]) -> None:
    a, b = stores
    cap = QueryCap()
    with open_engine(a) as ea, open_engine(b) as eb:
        request = send_request(ea, "bank-a", "bank-b", "account", SHARED, "intersection")
        with pytest.raises(FraudnetError, match="addressed to 'bank-b', not 'bank-c'"):
            respond(eb, "bank-c", request, "req", "bank-a", ONLY_B, cap, True)
        with pytest.raises(FraudnetError, match="says it is from 'bank-a', expected 'bank-x'"):
            respond(eb, "bank-b", request, "req", "bank-x", ONLY_B, cap, True)
        with pytest.raises(FraudnetError, match=r"req.*truncated"):
            respond(eb, "bank-b", request[:-10], "req", "bank-a", ONLY_B, cap, True)
        answer = respond(eb, "bank-b", request, "req", "bank-a", SHARED, cap, True)
        with pytest.raises(FraudnetError, match="expected a PSI response"):
            finish(ea, "bank-a", request, "resp")
        assert finish(ea, "bank-a", answer, "resp").matched_count == 40
        with pytest.raises(FraudnetError, match="no open PSI session"):
            finish(ea, "bank-a", answer, "resp")


def test_cli_error_is_one_line_naming_the_file(tmp_path: Path, stores: tuple[Path, Path]) -> None:
    a, _ = stores
    junk = tmp_path / "junk.psi"
    junk.write_bytes(b"hello")
    result = runner.invoke(
        app, ["share", "psi-finish", str(a), "--org", "bank-a", "--in", str(junk)]
    )
    assert result.exit_code == 2
    assert "junk.psi: not a fraudnet PSI message" in result.output
