"""Two stores complete PSI queries through the CLI, on files, with a log and a cap; every
message is signed by its sender and refused when unsigned, tampered with or misaddressed."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import open_engine
from fraudnet.errors import FraudnetError
from fraudnet.share.keys import OrgKeys, import_partner, init_keys, public_bundle
from fraudnet.share.psi import start_request
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


ORGS = ("bank-a", "bank-b", "bank-c", "bank-x")


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, OrgKeys]:
    """Keys for every organisation, each partner's public keys imported by every other."""
    made = {org: init_keys(org, tmp_path / "keys" / org) for org in ORGS}
    for org, own in made.items():
        bundle = tmp_path / f"{org}.pub.json"
        bundle.write_text(public_bundle(own))
        for other in ORGS:
            if other != org:
                import_partner(made[other], bundle)
    return made


@pytest.fixture
def stores(tmp_path: Path, keys: dict[str, OrgKeys]) -> tuple[Path, Path]:
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
        "--keys",
        str(tmp_path / "keys" / "bank-a"),
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
        "--keys",
        str(tmp_path / "keys" / "bank-b"),
        "--partner",
        "bank-a",
        "--in",
        str(req),
        "--out",
        str(resp),
        *respond_flags,
    )
    return _cli(
        "psi-finish", str(a), "--keys", str(tmp_path / "keys" / "bank-a"), "--in", str(resp)
    )


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


def test_responder_refuses_intersection_unless_allowed(
    stores: tuple[Path, Path], keys: dict[str, OrgKeys]
) -> None:
    a, b = stores
    with open_engine(a) as ea, open_engine(b) as eb:
        request = send_request(ea, keys["bank-a"], "bank-b", "account", SHARED, "intersection")
        with pytest.raises(FraudnetError, match="answers how many only"):
            respond(eb, keys["bank-b"], request, "req", "bank-a", ONLY_B, QueryCap(), False)
        (refused,) = eb.table("psi_query_log").to_pylist()
    assert "how many only" in refused["refused"]


def test_query_cap_refuses_and_logs_the_refusal(
    stores: tuple[Path, Path], keys: dict[str, OrgKeys]
) -> None:
    a, b = stores
    cap = QueryCap(max_queries=2, max_values=10_000)
    with open_engine(a) as ea, open_engine(b) as eb:
        for _ in range(2):
            request = send_request(ea, keys["bank-a"], "bank-b", "account", SHARED, "cardinality")
            respond(eb, keys["bank-b"], request, "req", "bank-a", ONLY_B, cap, False)
        request = send_request(ea, keys["bank-a"], "bank-b", "account", SHARED, "cardinality")
        with pytest.raises(QueryCapError, match="2 of 2 queries already answered"):
            respond(eb, keys["bank-b"], request, "req", "bank-a", ONLY_B, cap, False)
        refused = [r for r in eb.table("psi_query_log").to_pylist() if r["refused"]]
        other = respond(
            eb,
            keys["bank-b"],
            send_request(ea, keys["bank-c"], "bank-b", "account", SHARED, "cardinality"),
            "req",
            "bank-c",
            ONLY_B,
            cap,
            False,
        )
    assert len(refused) == 1 and "query cap" in refused[0]["refused"]
    assert other  # the cap is per partner


def test_value_cap_counts_values_in_the_period(
    stores: tuple[Path, Path], keys: dict[str, OrgKeys]
) -> None:
    a, b = stores
    cap = QueryCap(max_queries=100, max_values=50)
    with open_engine(a) as ea, open_engine(b) as eb:
        respond(
            eb,
            keys["bank-b"],
            send_request(ea, keys["bank-a"], "bank-b", "account", SHARED, "cardinality"),
            "req",
            "bank-a",
            ONLY_B,
            cap,
            False,
        )
        with pytest.raises(QueryCapError, match="40 values answered"):
            respond(
                eb,
                keys["bank-b"],
                send_request(ea, keys["bank-a"], "bank-b", "account", SHARED, "cardinality"),
                "req",
                "bank-a",
                ONLY_B,
                cap,
                False,
            )


def test_misaddressed_damaged_and_replayed_messages_are_refused(
    stores: tuple[Path, Path], keys: dict[str, OrgKeys]
) -> None:
    a, b = stores
    cap = QueryCap()
    with open_engine(a) as ea, open_engine(b) as eb:
        request = send_request(ea, keys["bank-a"], "bank-b", "account", SHARED, "intersection")
        with pytest.raises(FraudnetError, match="addressed to 'bank-b', not 'bank-c'"):
            respond(eb, keys["bank-c"], request, "req", "bank-a", ONLY_B, cap, True)
        with pytest.raises(FraudnetError, match="says it is from 'bank-a', expected 'bank-x'"):
            respond(eb, keys["bank-b"], request, "req", "bank-x", ONLY_B, cap, True)
        with pytest.raises(FraudnetError, match=r"req.*truncated"):
            respond(eb, keys["bank-b"], request[:-10], "req", "bank-a", ONLY_B, cap, True)
        answer = respond(eb, keys["bank-b"], request, "req", "bank-a", SHARED, cap, True)
        with pytest.raises(FraudnetError, match="answered already"):
            respond(eb, keys["bank-b"], request, "req", "bank-a", SHARED, cap, True)
        with pytest.raises(FraudnetError, match="expected a PSI response"):
            finish(ea, keys["bank-a"], request, "resp")
        assert finish(ea, keys["bank-a"], answer, "resp").matched_count == 40
        with pytest.raises(FraudnetError, match="no open PSI session"):
            finish(ea, keys["bank-a"], answer, "resp")
        replays = [r["refused"] for r in eb.table("psi_query_log").to_pylist() if r["refused"]]
    assert len(replays) == 1 and "replay" in replays[0]  # refused, logged, not counted


def _flip(message: bytes, offset: int) -> bytes:
    return message[:offset] + bytes([message[offset] ^ 1]) + message[offset + 1 :]


def test_tampered_requests_and_responses_are_refused(
    stores: tuple[Path, Path], keys: dict[str, OrgKeys]
) -> None:
    a, b = stores
    with open_engine(a) as ea, open_engine(b) as eb:
        request = send_request(ea, keys["bank-a"], "bank-b", "account", SHARED, "cardinality")
        # the blinded values (well inside the body), and a widened mode in the header
        for forged in (
            _flip(request, len(request) // 2),
            request.replace(b'"mode": "cardinality"', b'"mode": "intersectio"', 1),
        ):
            with pytest.raises(FraudnetError, match="does not verify for bank-a"):
                respond(eb, keys["bank-b"], forged, "req", "bank-a", ONLY_B, QueryCap(), True)
        held = SHARED + ONLY_B
        answer = respond(eb, keys["bank-b"], request, "req", "bank-a", held, QueryCap(), True)
        with pytest.raises(FraudnetError, match="does not verify for bank-b"):
            finish(ea, keys["bank-a"], _flip(answer, len(answer) // 2), "resp")
        assert finish(ea, keys["bank-a"], answer, "resp").matched_count == 40
        answered = [r for r in eb.table("psi_query_log").to_pylist() if r["role"] == "respond"]
    assert len(answered) == 1  # a forged request is refused before it is counted


def test_readdressed_or_resigned_requests_are_refused(
    stores: tuple[Path, Path], keys: dict[str, OrgKeys]
) -> None:
    """bank-b cannot pass bank-a's request to bank-c as its own, nor can bank-c forge one."""
    a, b = stores
    with open_engine(a) as ea, open_engine(b) as eb:
        request = send_request(ea, keys["bank-a"], "bank-b", "account", SHARED, "cardinality")
        readdressed = request.replace(b'"recipient": "bank-b"', b'"recipient": "bank-c"', 1)
        with pytest.raises(FraudnetError, match="does not verify for bank-a"):
            respond(eb, keys["bank-c"], readdressed, "req", "bank-a", ONLY_B, QueryCap(), True)
        # bank-c signs a request that names bank-a as its sender
        _, body = start_request("bank-a", "bank-b", "account", SHARED, "cardinality")
        from fraudnet.share.psi_auth import MARKER

        signature = keys["bank-c"].signing.sign(b"fraudnet-psi-signed/1\n" + body)
        forged = body + MARKER + keys["bank-c"].fingerprint.encode() + signature
        with pytest.raises(FraudnetError, match="signed with a key that is not bank-a's"):
            respond(eb, keys["bank-b"], forged, "req", "bank-a", ONLY_B, QueryCap(), True)


def test_unsigned_messages_are_refused(stores: tuple[Path, Path], keys: dict[str, OrgKeys]) -> None:
    _, b = stores
    _, unsigned = start_request("bank-a", "bank-b", "account", SHARED, "cardinality")
    with open_engine(b) as eb:
        with pytest.raises(FraudnetError, match="req: refused: the PSI message is not signed"):
            respond(eb, keys["bank-b"], unsigned, "req", "bank-a", ONLY_B, QueryCap(), True)
        assert eb.count("psi_query_log") == 0


def test_requests_from_unknown_organisations_are_refused(
    tmp_path: Path, stores: tuple[Path, Path], keys: dict[str, OrgKeys]
) -> None:
    a, b = stores
    stranger = init_keys("bank-z", tmp_path / "keys" / "bank-z")
    with open_engine(a) as ea, open_engine(b) as eb:
        request = send_request(ea, stranger, "bank-b", "account", SHARED, "cardinality")
        with pytest.raises(FraudnetError, match="from 'bank-z', whose public keys"):
            respond(eb, keys["bank-b"], request, "req", "bank-z", ONLY_B, QueryCap(), True)


def test_cli_error_is_one_line_naming_the_file(tmp_path: Path, stores: tuple[Path, Path]) -> None:
    a, _ = stores
    junk = tmp_path / "junk.psi"
    junk.write_bytes(b"hello")
    result = runner.invoke(
        app,
        [
            "share",
            "psi-finish",
            str(a),
            "--keys",
            str(tmp_path / "keys" / "bank-a"),
            "--in",
            str(junk),
        ],
    )
    assert result.exit_code == 2
    assert "junk.psi: not a fraudnet PSI message" in result.output
