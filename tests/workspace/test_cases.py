"""Cases belong to an organisation; partners read only packages shared with them."""

from __future__ import annotations

import json

import pytest

from fraudnet.engine import Engine
from fraudnet.workspace import verify
from fraudnet.workspace.audit import read_entries
from fraudnet.workspace.cases import (
    add_note,
    get_case,
    list_cases,
    open_case,
    read_package,
    share_case,
    shared_packages,
)
from fraudnet.workspace.permissions import AccessDenied
from tests.workspace.tiny import PHONE, build


@pytest.fixture
def world(engine: Engine) -> Engine:
    build(engine)
    return engine


def test_case_notes_and_shares_are_kept_with_audit_entries(world: Engine) -> None:
    case, opened = open_case(world, "ana", "Max's ring", "two alerts and a report", "NW-1")
    _note, noted = add_note(world, "ana", case["case_id"], "Mia looks like the collector")
    share, shared = share_case(world, "sue", case["case_id"], "partner-bank", "joint op")
    found = get_case(world, "vic", case["case_id"])
    assert found.case["organisation"] == "bank-a" and found.case["network_id"] == "NW-1"
    assert found.notes.column("text").to_pylist() == ["Mia looks like the collector"]
    assert found.shares.column("partner").to_pylist() == ["partner-bank"]
    assert list_cases(world, "vic").column("case_id").to_pylist() == [case["case_id"]]
    assert [opened.action, noted.action, shared.action] == ["open_case", "write_note", "share_case"]
    assert "collector" not in noted.detail  # the log records that a note was written, not its text
    assert share["share_id"].startswith("PKG-") and verify(world).intact


def test_other_organisations_and_partners_cannot_read_a_case(world: Engine) -> None:
    case, _ = open_case(world, "ana", "Max's ring", "alerts", "NW-1")
    for user in ("zed", "pat"):
        with pytest.raises(AccessDenied):
            get_case(world, user, case["case_id"])
        with pytest.raises(AccessDenied):
            add_note(world, user, case["case_id"], "mine now")
    with pytest.raises(AccessDenied, match="organisation"):
        list_cases(world, "zed")
    refused = [e for e in read_entries(world) if e.action.endswith("_refused")]
    assert {(e.user_id, e.subject) for e in refused} == {
        ("zed", case["case_id"]),
        ("pat", case["case_id"]),
    }
    with pytest.raises(KeyError, match="no case"):
        get_case(world, "ana", "CASE-GUESSED")
    assert world.count("case_notes") == 0


def test_a_partner_reads_only_its_packages_and_nothing_personal(world: Engine) -> None:
    case, _ = open_case(world, "ana", "Max's ring", "alerts", "NW-1")
    with pytest.raises(AccessDenied, match="share"):
        share_case(world, "ana", case["case_id"], "partner-bank", "analysts do not share")
    with pytest.raises(ValueError, match="not a partner"):
        share_case(world, "sue", case["case_id"], "bank-z", "not a partner")
    share, _ = share_case(world, "sue", case["case_id"], "partner-bank", "joint op")
    listed = shared_packages(world, "pat")
    assert listed.column("share_id").to_pylist() == [share["share_id"]]
    package = read_package(world, "pat", share["share_id"])
    contents = package["contents"]
    assert sorted(a["subject"] for a in contents["accounts"]) == ["A1", "A2"]
    assert contents["others_counted"] == {"party": 1}
    text = json.dumps(contents)
    for personal in ("Max Mule", "Mia", PHONE, "mia@example.com", "M1"):
        assert personal not in text
    assert shared_packages(world, "oth").num_rows == 0
    with pytest.raises(KeyError, match="no package"):
        read_package(world, "oth", share["share_id"])
    with pytest.raises(AccessDenied):
        shared_packages(world, "ana")
