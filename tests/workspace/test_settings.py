"""The per-day review budget: read by the queue's readers, set by supervisors, audited."""

from __future__ import annotations

import json

import pytest

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.workspace import verify
from fraudnet.workspace.admin import audit_entries
from fraudnet.workspace.audit import read_entries
from fraudnet.workspace.permissions import AccessDenied
from fraudnet.workspace.settings import review_budget, set_review_budget
from tests.workspace.tiny import build


@pytest.fixture
def world(engine: Engine) -> Engine:
    build(engine)
    return engine


def test_a_supervisor_sets_the_budget_everyone_reads_and_the_change_is_audited(
    world: Engine,
) -> None:
    assert review_budget(world, "vic").budget_per_day is None
    first, _ = set_review_budget(world, "sue", 40, "two analysts off")
    second, entry = set_review_budget(world, "adm", 25)
    assert (first.budget_per_day, second.budget_per_day) == (40, 25)
    for user in ("vic", "ana", "sue", "adm"):
        found = review_budget(world, user)
        assert (found.budget_per_day, found.set_by, found.organisation) == (25, "adm", "bank-a")
    assert world.sql("SELECT count(*) AS n FROM review_budgets").column("n")[0].as_py() == 1
    entries = [e for e in read_entries(world) if e.action == "set_review_budget"]
    assert [json.loads(e.detail) for e in entries] == [
        {"old": None, "new": 40},
        {"old": 40, "new": 25},
    ]
    assert [e.user_id for e in entries] == ["sue", "adm"] and entries[-1] == entry
    assert entries[0].reason == "two analysts off" and entries[1].reason.strip()
    cleared, _ = set_review_budget(world, "sue", None, "back to no budget")
    assert cleared.budget_per_day is None and review_budget(world, "vic").budget_per_day is None
    assert verify(world).intact


def test_analysts_viewers_partners_and_other_organisations_cannot_set_it(world: Engine) -> None:
    for user in ("ana", "vic", "pat", "zed"):
        with pytest.raises(AccessDenied):
            set_review_budget(world, user, 10)
    for user in ("pat", "zed"):  # no queue of this store to budget for
        with pytest.raises(AccessDenied):
            review_budget(world, user)
    assert world.sql("SELECT * FROM review_budgets").num_rows == 0


@pytest.mark.parametrize("bad", [-1, 0, 100_001, 2.5, 3.0, "12", True])
def test_a_bad_budget_is_refused_and_nothing_is_written(world: Engine, bad: object) -> None:
    set_review_budget(world, "sue", 7)
    before = len(read_entries(world))
    with pytest.raises(InvalidValueError, match="budget_per_day"):
        set_review_budget(world, "sue", bad)
    assert review_budget(world, "vic").budget_per_day == 7
    assert len(read_entries(world)) == before


def test_audit_entries_page_newest_first_with_before_seq(world: Engine) -> None:
    for value in range(1, 8):
        set_review_budget(world, "sue", value)
    every = audit_entries(world, "sue", limit=1000).column("seq").to_pylist()
    assert every == sorted(every) and len(every) >= 7  # default: oldest first, as before
    newest = audit_entries(world, "sue", limit=3, order="desc").column("seq").to_pylist()
    assert newest == every[::-1][:3]
    older = audit_entries(world, "sue", limit=3, order="desc", before_seq=newest[-1])
    assert older.column("seq").to_pylist() == every[::-1][3:6]
    mine = audit_entries(world, "sue", limit=2, actor="sue", order="desc")
    assert [json.loads(d)["new"] for d in mine.column("detail").to_pylist()] == [7, 6]
    window = audit_entries(world, "sue", after_seq=every[1], before_seq=every[4], limit=100)
    assert window.column("seq").to_pylist() == every[2:4]
    with pytest.raises(InvalidValueError, match="order"):
        audit_entries(world, "sue", order="sideways")
    with pytest.raises(InvalidValueError, match="before_seq"):
        audit_entries(world, "sue", before_seq=0)
