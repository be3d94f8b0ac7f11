"""The audit chain finds every edited, deleted, inserted or reordered entry; the anchor the rest."""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime
from pathlib import Path

import pytest

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.store import open_store
from fraudnet.workspace.audit import (
    GENESIS_HASH,
    VerifyReport,
    anchor_mac,
    canonical_detail,
    entry_hash,
    read_entries,
    record,
    verify,
)
from tests.workspace.conftest import AUDIT_KEY, tamper

ENTRIES = 5
FIRST_MIDDLE_LAST = (1, 3, ENTRIES)


def build_chain(store_path: Path, key: bytes | None = AUDIT_KEY) -> None:
    with open_store(store_path, "duckdb") as eng:
        for n in range(1, ENTRIES + 1):
            record(eng, f"user{n % 2}", "read_party", f"P{n}", f"case {n}", {"n": n}, key=key)


def verify_file(store_path: Path, key: bytes | None = AUDIT_KEY) -> VerifyReport:
    with open_store(store_path, "duckdb") as eng:
        return verify(eng, key)


def forged_hash(seq: int, prev_hash: str, reason: str = "forged") -> str:
    """What an intruder who knows the algorithm (but not the key) computes for a new entry."""
    fields = {
        "seq": seq,
        "at": datetime(2026, 1, 1, 12, 0),
        "user_id": "mallory",
        "action": "read_party",
        "subject": "P9",
        "reason": reason,
        "detail": canonical_detail({}),
        "prev_hash": prev_hash,
    }
    return entry_hash(fields)


def insert_forged(seq: int, prev_hash: str) -> str:
    return (
        "INSERT INTO audit_log VALUES "
        f"({seq}, TIMESTAMP '2026-01-01 12:00:00', 'mallory', 'read_party', 'P9', 'forged', "
        f"'{{}}', '{prev_hash}', '{forged_hash(seq, prev_hash)}')"
    )


def stored_hash(store_path: Path, seq: int) -> str:
    with open_store(store_path, "duckdb") as eng:
        return next(e.hash for e in read_entries(eng) if e.seq == seq)


def test_an_untouched_chain_verifies(store_path: Path) -> None:
    build_chain(store_path)
    report = verify_file(store_path)
    assert report.intact and report.anchor_checked
    assert (report.entries, report.head_seq) == (ENTRIES, ENTRIES)
    with open_store(store_path, "duckdb") as eng:
        entries = read_entries(eng)
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


def test_an_empty_log_verifies(store_path: Path) -> None:
    assert verify_file(store_path).intact


EDITS = {
    "reason": "UPDATE audit_log SET reason = 'routine' WHERE seq = {seq}",
    "user": "UPDATE audit_log SET user_id = 'someone_else' WHERE seq = {seq}",
    "time": 'UPDATE audit_log SET "at" = "at" + INTERVAL 1 SECOND WHERE seq = {seq}',
    "detail": "UPDATE audit_log SET detail = '{{\"n\":0}}' WHERE seq = {seq}",
    "subject": "UPDATE audit_log SET subject = NULL WHERE seq = {seq}",
    "hash": "UPDATE audit_log SET hash = repeat('a', 64) WHERE seq = {seq}",
}


@pytest.mark.parametrize("seq", FIRST_MIDDLE_LAST)
@pytest.mark.parametrize("field", sorted(EDITS))
def test_an_edited_entry_is_found_at_its_seq(store_path: Path, field: str, seq: int) -> None:
    build_chain(store_path)
    tamper(store_path, EDITS[field].format(seq=seq))
    report = verify_file(store_path, key=None)  # the chain alone finds it
    assert not report.intact
    assert report.first_bad_seq == seq


@pytest.mark.parametrize("seq", range(1, ENTRIES))
def test_a_deleted_entry_is_found_at_its_seq(store_path: Path, seq: int) -> None:
    build_chain(store_path)
    tamper(store_path, f"DELETE FROM audit_log WHERE seq = {seq}")
    report = verify_file(store_path, key=None)
    assert report.first_bad_seq == seq
    assert report.problem is not None and "missing" in report.problem


@pytest.mark.parametrize("seq", range(2, ENTRIES + 1))
def test_an_inserted_duplicate_seq_is_found(store_path: Path, seq: int) -> None:
    build_chain(store_path)
    tamper(store_path, insert_forged(seq, stored_hash(store_path, seq - 1)))
    report = verify_file(store_path, key=None)
    assert report.first_bad_seq == seq


@pytest.mark.parametrize("seq", range(1, ENTRIES + 1))
def test_an_entry_inserted_by_renumbering_the_rest_is_found(store_path: Path, seq: int) -> None:
    build_chain(store_path)
    prev = GENESIS_HASH if seq == 1 else stored_hash(store_path, seq - 1)
    tamper(
        store_path,
        f"UPDATE audit_log SET seq = seq + 1000 WHERE seq >= {seq}",
        "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000",
        insert_forged(seq, prev),
    )
    report = verify_file(store_path, key=None)
    assert report.first_bad_seq == seq + 1  # the forged entry fits; the one it displaced does not


@pytest.mark.parametrize("seq", range(1, ENTRIES))
def test_two_swapped_entries_are_found(store_path: Path, seq: int) -> None:
    build_chain(store_path)
    tamper(
        store_path,
        f"UPDATE audit_log SET seq = -1 WHERE seq = {seq}",
        f"UPDATE audit_log SET seq = {seq} WHERE seq = {seq + 1}",
        f"UPDATE audit_log SET seq = {seq + 1} WHERE seq = -1",
    )
    assert verify_file(store_path, key=None).first_bad_seq == seq


def test_a_cut_tail_needs_the_anchor(store_path: Path) -> None:
    build_chain(store_path)
    tamper(store_path, f"DELETE FROM audit_log WHERE seq >= {ENTRIES - 1}")
    assert verify_file(store_path, key=None).intact  # documented: the chain alone cannot tell
    report = verify_file(store_path)
    assert not report.intact
    assert report.first_bad_seq == ENTRIES - 1
    assert report.problem is not None and f"seq {ENTRIES}" in report.problem


def test_a_forged_tail_entry_needs_the_anchor(store_path: Path) -> None:
    build_chain(store_path)
    tamper(store_path, insert_forged(ENTRIES + 1, stored_hash(store_path, ENTRIES)))
    assert verify_file(store_path, key=None).intact
    assert verify_file(store_path).first_bad_seq == ENTRIES + 1


def rewrite_whole_chain(store_path: Path) -> None:
    """An intruder edits entry 2 and recomputes every hash after it, as they can without a key."""
    with open_store(store_path, "duckdb") as eng:
        entries = read_entries(eng)
    statements, prev = [], GENESIS_HASH
    for entry in entries:
        reason = "routine" if entry.seq == 2 else entry.reason
        fields = {
            "seq": entry.seq,
            "at": entry.at,
            "user_id": entry.user_id,
            "action": entry.action,
            "subject": entry.subject,
            "reason": reason,
            "detail": entry.detail,
            "prev_hash": prev,
        }
        new_hash = entry_hash(fields)
        statements.append(
            f"UPDATE audit_log SET reason = '{reason}', prev_hash = '{prev}', "
            f"hash = '{new_hash}' WHERE seq = {entry.seq}"
        )
        prev = new_hash
    tamper(store_path, *statements)


def test_a_rewritten_chain_needs_the_anchor(store_path: Path) -> None:
    build_chain(store_path)
    rewrite_whole_chain(store_path)
    assert verify_file(store_path, key=None).intact
    report = verify_file(store_path)
    assert not report.intact and report.problem is not None
    assert "signed head" in report.problem


def test_an_anchor_re_signed_without_the_key_is_refused(store_path: Path) -> None:
    build_chain(store_path)
    rewrite_whole_chain(store_path)
    head = stored_hash(store_path, ENTRIES)
    fake = anchor_mac(b"a-guess-at-the-anchor-key", ENTRIES, head)
    tamper(store_path, f"UPDATE audit_anchor SET hash = '{head}', mac = '{fake}'")
    report = verify_file(store_path)
    assert report.problem is not None and "signature" in report.problem


def test_a_deleted_anchor_is_found(store_path: Path) -> None:
    build_chain(store_path)
    tamper(store_path, "DELETE FROM audit_anchor")
    assert verify_file(store_path).problem == "no anchor: the head was never signed"


def test_the_wrong_key_is_refused(store_path: Path) -> None:
    build_chain(store_path)
    assert not verify_file(store_path, key=b"another-key-of-enough-length").intact


def test_an_entry_needs_a_reason(engine: Engine) -> None:
    with pytest.raises(FraudnetError, match="reason is required"):
        record(engine, "alice", "read_party", "P1", "   ")


@pytest.mark.parametrize("seq", range(1, ENTRIES))
def test_an_entry_replaced_by_a_self_consistent_forgery_is_found_next(
    store_path: Path, seq: int
) -> None:
    build_chain(store_path)
    prev = GENESIS_HASH if seq == 1 else stored_hash(store_path, seq - 1)
    tamper(store_path, f"DELETE FROM audit_log WHERE seq = {seq}", insert_forged(seq, prev))
    assert verify_file(store_path, key=None).first_bad_seq == seq + 1


def test_the_hash_is_the_documented_serialisation(store_path: Path) -> None:
    """docs/workspace.md tells an outside verifier how to recompute a hash; hold it to that."""
    build_chain(store_path)
    with open_store(store_path, "duckdb") as eng:
        row = eng.sql("SELECT * FROM audit_log WHERE seq = 2").to_pylist()[0]
    text = (
        f'{{"action":"{row["action"]}","at":"{row["at"].isoformat(timespec="microseconds")}",'
        f'"detail":"{{\\"n\\":2}}","prev_hash":"{row["prev_hash"]}","reason":"case 2",'
        f'"seq":2,"subject":"P2","user_id":"user0"}}'
    )
    assert hashlib.sha256(text.encode()).hexdigest() == row["hash"]
