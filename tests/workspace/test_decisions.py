"""Decisions write labels and judgements with who and when, together with their audit entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fraudnet.detect.asof import Cutoff
from fraudnet.detect.labels import training_labels
from fraudnet.engine import Engine
from fraudnet.resolve.judgements import latest_judgements
from fraudnet.workspace import verify
from fraudnet.workspace.audit import read_entries
from fraudnet.workspace.decisions import decide_merge, decide_mule
from fraudnet.workspace.permissions import AccessDenied
from tests.workspace.tiny import build


@pytest.fixture
def world(engine: Engine) -> Engine:
    build(engine)
    return engine


def test_confirmed_mule_is_a_label_the_next_detect_trains_on(world: Engine) -> None:
    before = datetime.now(UTC).replace(tzinfo=None)
    row, entry = decide_mule(world, "ana", "A1", "confirm", "paid out 90% within a day", "NW-1")
    decide_mule(world, "ana", "AV", "reject", "she is the victim")
    labels = world.sql("SELECT * FROM labels WHERE source = 'analyst' ORDER BY subject")
    assert labels.column("subject").to_pylist() == ["A1", "AV"]
    assert labels.column("label").to_pylist() == ["mule", "legitimate"]
    assert set(labels.column("decided_by").to_pylist()) == {"ana"}
    assert row["decided_at"] >= before and row["network_id"] == "NW-1"
    assert entry.action == "decide_mule_confirm" and entry.subject == "A1"
    assert entry.reason == "paid out 90% within a day"
    trained = training_labels(world, Cutoff(datetime.now(UTC).replace(tzinfo=None)))
    assert trained.to_dict() == {"A1": 1, "AV": 0}


def test_merge_decisions_become_judgements_in_force(world: Engine) -> None:
    decide_merge(world, "ana", "M2B", "M2", "accept", "same e-mail and name")
    decide_merge(world, "sue", "M1", "M2", "split", "different people")
    judged = latest_judgements(world).sort("party_id_l").to_dicts()
    assert [(j["party_id_l"], j["party_id_r"], j["judgement"]) for j in judged] == [
        ("M1", "M2", "NEGATIVE"),
        ("M2", "M2B", "POSITIVE"),
    ]
    assert [e.action for e in read_entries(world)][-2:] == [
        "decide_merge_accept",
        "decide_merge_split",
    ]


def test_refused_or_bad_decisions_write_nothing(world: Engine) -> None:
    entries = len(read_entries(world))
    with pytest.raises(AccessDenied, match="viewer"):
        decide_mule(world, "vic", "A1", "confirm", "why not")
    with pytest.raises(AccessDenied, match="organisation"):
        decide_mule(world, "zed", "A1", "confirm", "another bank's analyst")
    with pytest.raises(AccessDenied):
        decide_mule(world, "adm", "A1", "confirm", "admins read no one")
    with pytest.raises(KeyError, match="no account"):
        decide_mule(world, "ana", "NOPE", "confirm", "typo")
    with pytest.raises(KeyError, match="no network"):
        decide_mule(world, "ana", "A1", "confirm", "typo", network_id="NW-NOPE")
    with pytest.raises(ValueError, match="confirm or reject"):
        decide_mule(world, "ana", "A1", "maybe", "unsure")
    with pytest.raises(ValueError, match="reason"):
        decide_mule(world, "ana", "A1", "confirm", "  ")
    with pytest.raises(ValueError, match="unknown party"):
        decide_merge(world, "ana", "M2", "NOPE", "accept", "typo")
    with pytest.raises(ValueError, match="two different"):
        decide_merge(world, "ana", "M2", "M2", "split", "same")
    assert world.sql("SELECT * FROM labels WHERE source = 'analyst'").num_rows == 0
    assert world.count("link_judgements") == 0
    assert len(read_entries(world)) == entries
    assert verify(world).intact


def test_decided_at_is_now_not_the_data_time(world: Engine) -> None:
    row, _ = decide_mule(world, "ana", "A2", "confirm", "collector")
    assert abs(row["decided_at"] - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=1)
