from __future__ import annotations

from datetime import date, datetime

import pytest

from fraudnet.engine import Engine
from fraudnet.resolve import judge_link, latest_judgements, resolve_parties
from tests.resolve import worlds
from tests.resolve.helpers import entity_of

TRIPLE = ("bank1:002", "bank3:042", "bank2:900")


def _setup(engine: Engine) -> dict[str, str]:
    engine.append("parties", worlds.parties())
    resolve_parties(engine)
    return entity_of(engine)


def test_negative_judgement_cuts_even_a_transitive_link(duck_store: Engine) -> None:
    before = _setup(duck_store)
    assert len({before[p] for p in TRIPLE}) == 1
    judge_link(duck_store, "bank2:900", "bank1:002", "NEGATIVE", "analyst1", reason="twins")
    result = resolve_parties(duck_store)
    after = entity_of(duck_store)
    assert after["bank1:002"] != after["bank2:900"]
    assert before["bank1:002"] in {after[p] for p in TRIPLE}
    links = {(r["party_id_l"], r["party_id_r"]): r for r in result.entity_links.to_pylist()}
    judged = links[("bank1:002", "bank2:900")]
    assert judged["status"] == "cut" and judged["judgement"] == "NEGATIVE"
    assert judged["entity_id"] is None
    cut = [k for k, r in links.items() if r["status"] == "cut"]
    assert len(cut) == 2  # the judged pair, and one link of the path around it
    changes = result.entity_changes.to_pylist()
    assert [c["change"] for c in changes] == ["split"]
    assert {k: v for k, v in after.items() if k not in TRIPLE} == {
        k: v for k, v in before.items() if k not in TRIPLE
    }


def test_positive_judgement_merges_an_unlinked_pair(duck_store: Engine) -> None:
    before = _setup(duck_store)
    assert before["bank1:003"] != before["bank3:100"]
    judge_link(duck_store, "bank1:003", "bank3:100", "positive", "analyst2")
    result = resolve_parties(duck_store)
    after = entity_of(duck_store)
    assert after["bank1:003"] == after["bank3:100"]
    links = {(r["party_id_l"], r["party_id_r"]): r for r in result.entity_links.to_pylist()}
    confirmed = links[("bank1:003", "bank3:100")]
    assert confirmed["status"] == "confirmed" and confirmed["judgement"] == "POSITIVE"
    rows = {r["party_id"]: r for r in result.entities.to_pylist()}
    assert rows["bank1:003"]["match_probability"] == 1.0


def test_latest_judgement_wins_and_history_is_kept(duck_store: Engine) -> None:
    _setup(duck_store)
    judge_link(
        duck_store, "bank1:001", "bank2:777", "NEGATIVE", "a1", decided_at=datetime(2024, 1, 1)
    )
    judge_link(
        duck_store, "bank2:777", "bank1:001", "POSITIVE", "a2", decided_at=datetime(2024, 2, 1)
    )
    judge_link(
        duck_store, "bank1:003", "bank2:555", "UNSURE", "a1", decided_at=datetime(2024, 3, 1)
    )
    latest = latest_judgements(duck_store).to_dicts()
    assert {
        (r["party_id_l"], r["party_id_r"], r["judgement"], r["decided_by"]) for r in latest
    } == {
        ("bank1:001", "bank2:777", "POSITIVE", "a2"),
        ("bank1:003", "bank2:555", "UNSURE", "a1"),
    }
    assert duck_store.count("link_judgements") == 3
    resolve_parties(duck_store)
    after = entity_of(duck_store)
    assert after["bank1:001"] == after["bank2:777"]
    assert after["bank1:003"] != after["bank2:555"]


@pytest.mark.parametrize(
    ("left", "right", "verdict", "by", "message"),
    [
        ("bank1:001", "nobody", "NEGATIVE", "a1", "unknown party"),
        ("bank1:001", "bank1:001", "NEGATIVE", "a1", "two different"),
        ("bank1:001", "bank2:777", "MAYBE", "a1", "judgement must be"),
        ("bank1:001", "bank2:777", "NEGATIVE", " ", "decided_by"),
    ],
)
def test_bad_judgements_are_refused(
    duck_store: Engine, left: str, right: str, verdict: str, by: str, message: str
) -> None:
    duck_store.append("parties", worlds.parties())
    with pytest.raises(ValueError, match=message):
        judge_link(duck_store, left, right, verdict, by)
    assert duck_store.count("link_judgements") == 0


def test_judgement_rows_record_who_when_and_why(duck_store: Engine) -> None:
    duck_store.append("parties", worlds.parties())
    row = judge_link(
        duck_store, "bank2:777", "bank1:001", "NEGATIVE", "a1", reason="different DOB docs"
    )
    stored = duck_store.table("link_judgements").to_pylist()
    assert len(stored) == 1
    assert stored[0]["party_id_l"] == "bank1:001" and stored[0]["party_id_r"] == "bank2:777"
    assert stored[0]["decided_by"] == "a1" and stored[0]["reason"] == "different DOB docs"
    assert stored[0]["decided_at"] == row["decided_at"]
    assert abs((datetime.utcnow() - stored[0]["decided_at"]).total_seconds()) < 60
    assert date.today().year == stored[0]["decided_at"].year


@pytest.mark.parametrize(
    ("decided_at", "stored"),
    [
        ("2024-06-01T11:00:00+01:00", datetime(2024, 6, 1, 10, 0)),
        ("2024-01-01T23:30:00-05:00", datetime(2024, 1, 2, 4, 30)),
    ],
)
def test_judgement_time_is_converted_to_utc(
    duck_store: Engine, decided_at: str, stored: datetime
) -> None:
    duck_store.append("parties", worlds.parties())
    when = datetime.fromisoformat(decided_at)
    judge_link(duck_store, "bank2:900", "bank1:002", "NEGATIVE", "analyst1", decided_at=when)
    rows = duck_store.sql("SELECT decided_at FROM link_judgements").to_pylist()
    assert [r["decided_at"] for r in rows] == [stored]
