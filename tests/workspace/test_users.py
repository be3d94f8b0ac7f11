"""Users, roles and the access checks, on a real store; every read of a person is audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError, InvalidValueError
from fraudnet.store import export_table
from fraudnet.workspace.audit import read_entries, verify
from fraudnet.workspace.permissions import (
    ROLE_ACTIONS,
    AccessDenied,
    Principal,
    allowed,
    check_access,
)
from fraudnet.workspace.reads import read_party
from fraudnet.workspace.users import (
    add_user,
    authenticate,
    disable_user,
    get_user,
    list_users,
    store_organisation,
)

PASSWORD = "correct horse battery staple"


def add(engine: Engine, user_id: str, role: str, organisation: str = "bank-a") -> Principal:
    return add_user(engine, user_id, PASSWORD, role, organisation, actor="cli:test")


def add_party(engine: Engine, party_id: str = "P1") -> None:
    engine.execute(
        "INSERT INTO parties (party_id, kind, name, email) "
        f"VALUES ('{party_id}', 'person', 'Ann Example', 'ann@example.org')"
    )


def test_a_password_is_stored_only_as_an_argon2id_hash(engine: Engine, store_path: Path) -> None:
    add(engine, "alice", "analyst")
    stored = engine.table("users").to_pylist()[0]["password_hash"]
    assert stored.startswith("$argon2id$")
    engine.close()
    assert PASSWORD.encode() not in store_path.read_bytes()


def test_authenticate(engine: Engine) -> None:
    add(engine, "alice", "analyst")
    assert authenticate(engine, "alice", PASSWORD).role == "analyst"
    for user_id, password in (("alice", PASSWORD + "x"), ("nobody", PASSWORD)):
        with pytest.raises(FraudnetError, match="unknown user or wrong password"):
            authenticate(engine, user_id, password)


def test_a_disabled_user_cannot_log_in_or_act(engine: Engine) -> None:
    add(engine, "alice", "analyst")
    disable_user(engine, "alice", "cli:test", "left the team")
    assert get_user(engine, "alice").disabled
    with pytest.raises(FraudnetError):
        authenticate(engine, "alice", PASSWORD)
    with pytest.raises(AccessDenied, match="disabled"):
        check_access(get_user(engine, "alice"), "read_party", "bank-a")


@pytest.mark.parametrize(
    ("user_id", "password", "role", "organisation", "message"),
    [
        ("bob", PASSWORD, "superuser", "bank-a", "unknown role"),
        ("bob", "short", "analyst", "bank-a", "at least 12"),
        (" bob", PASSWORD, "analyst", "bank-a", "surrounding spaces"),
        ("bob", PASSWORD, "analyst", " ", "organisation is required"),
        ("alice", PASSWORD, "viewer", "bank-a", "already exists"),
    ],
)
def test_bad_users_are_refused_with_a_reason(
    engine: Engine, user_id: str, password: str, role: str, organisation: str, message: str
) -> None:
    add(engine, "alice", "analyst")
    with pytest.raises(InvalidValueError, match=message):
        add_user(engine, user_id, password, role, organisation, actor="cli:test")
    assert [u.user_id for u in list_users(engine)] == ["alice"]


def test_user_changes_are_audited_in_the_same_commit(engine: Engine) -> None:
    add(engine, "alice", "analyst")
    disable_user(engine, "alice", "cli:test", "left the team")
    actions = [(e.action, e.subject, e.user_id) for e in read_entries(engine)]
    assert actions == [("add_user", "alice", "cli:test"), ("disable_user", "alice", "cli:test")]
    assert verify(engine).intact


def test_the_first_non_partner_user_sets_the_store_organisation(engine: Engine) -> None:
    add(engine, "p", "partner", "police-x")
    assert store_organisation(engine) is None
    add(engine, "alice", "analyst", "bank-a")
    add(engine, "carol", "analyst", "bank-b")
    assert store_organisation(engine) == "bank-a"


def test_roles_follow_least_exposure() -> None:
    assert set(ROLE_ACTIONS) == {"viewer", "analyst", "supervisor", "admin", "partner"}
    assert ROLE_ACTIONS["viewer"] < ROLE_ACTIONS["analyst"] < ROLE_ACTIONS["supervisor"]
    assert not allowed("admin", "read_party") and allowed("admin", "manage_users")
    assert ROLE_ACTIONS["partner"] == {"read_shared_package"}
    assert not allowed("analyst", "read_audit") and allowed("supervisor", "read_audit")


def test_read_party_returns_the_row_and_audits_the_read(engine: Engine) -> None:
    add(engine, "alice", "analyst")
    add_party(engine)
    party = read_party(engine, "alice", "P1", "alert A-17 review")
    assert party["name"] == "Ann Example"
    last = read_entries(engine)[-1]
    assert (last.user_id, last.action, last.subject, last.reason) == (
        "alice",
        "read_party",
        "P1",
        "alert A-17 review",
    )
    assert '"email"' in last.detail and "ann@example.org" not in last.detail  # names, not values
    assert verify(engine).intact


@pytest.mark.parametrize(
    ("role", "organisation", "why"),
    [
        ("partner", "police-x", "may not read_party"),
        ("admin", "bank-a", "may not read_party"),
        ("analyst", "bank-b", "not in the organisation"),
    ],
)
def test_a_refused_read_is_audited_and_returns_nothing(
    engine: Engine, role: str, organisation: str, why: str
) -> None:
    add(engine, "owner", "admin", "bank-a")
    add(engine, "eve", role, organisation)
    add_party(engine)
    with pytest.raises(AccessDenied, match=why):
        read_party(engine, "eve", "P1", "curious")
    last = read_entries(engine)[-1]
    assert (last.user_id, last.action, last.subject) == ("eve", "read_party_refused", "P1")


def test_a_read_needs_a_reason(engine: Engine) -> None:
    add(engine, "alice", "analyst")
    add_party(engine)
    with pytest.raises(FraudnetError, match="reason is required"):
        read_party(engine, "alice", "P1", "")
    assert [e.action for e in read_entries(engine)] == ["add_user"]


@pytest.mark.parametrize("party_id", ["P2", "P1' OR '1'='1", "P1'; DROP TABLE parties; --"])
def test_an_unknown_or_hostile_party_id_reads_nothing(engine: Engine, party_id: str) -> None:
    add(engine, "alice", "analyst")
    add_party(engine)
    with pytest.raises(KeyError, match="no party"):
        read_party(engine, "alice", party_id, "lookup")
    last = read_entries(engine)[-1]
    assert (last.subject, last.detail) == (party_id, '{"fields":[],"found":false}')
    assert engine.count("parties") == 1


def test_the_users_table_is_not_exported(engine: Engine, tmp_path: Path) -> None:
    add(engine, "alice", "analyst")
    with pytest.raises(InvalidValueError, match="password hashes"):
        export_table(engine, "users", tmp_path / "users.csv")
    assert not (tmp_path / "users.csv").exists()
