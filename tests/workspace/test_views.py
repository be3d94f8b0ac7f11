"""The queue, pages, exploration and tracing views over the tiny world, with known answers."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from fraudnet.engine import Engine
from fraudnet.redact import MASK
from fraudnet.workspace.admin import audit_entries
from fraudnet.workspace.audit import read_entries
from fraudnet.workspace.decisions import decide_mule
from fraudnet.workspace.explore import expand, money_path, money_timeline
from fraudnet.workspace.exports import export_report
from fraudnet.workspace.pages import account_page, entity_page, network_page
from fraudnet.workspace.permissions import AccessDenied
from fraudnet.workspace.queue import alert_queue, split_reasons
from fraudnet.workspace.tracing import report_freeze_list, sankey_data, stored_trace
from tests.workspace.tiny import PHONE, build


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from fraudnet.store import open_store

    engine = open_store(tmp_path_factory.mktemp("views") / "tiny.duckdb", "duckdb")
    build(engine)
    return engine


def test_queue_shows_the_newest_run_sorted_and_paged(world: Engine) -> None:
    decide_mule(world, "ana", "A2", "confirm", "collector")
    by_rank = alert_queue(world, "vic")
    assert by_rank.total == 2
    assert by_rank.items.column("account_id").to_pylist() == ["A1", "A2"]  # AV is an old run
    by_score = alert_queue(world, "vic", sort="score", descending=True, page_size=1)
    assert by_score.items.column("account_id").to_pylist() == ["A2"]
    second = alert_queue(world, "vic", sort="score", descending=True, page=2, page_size=1)
    assert second.items.column("account_id").to_pylist() == ["A1"]
    a2 = by_rank.items.to_pylist()[1]
    assert (a2["decision"], a2["decided_by"], a2["network_id"]) == ("mule", "ana", "NW-1")
    assert split_reasons(by_rank.items.to_pylist()[0]["reasons"]) == [
        "pays on 90% within a day",
        "new account",
    ]
    assert alert_queue(world, "vic", day=date(2025, 3, 3)).total == 0
    with pytest.raises(ValueError, match="sort must be"):
        alert_queue(world, "vic", sort="rank; DROP TABLE alerts")
    with pytest.raises(AccessDenied):
        alert_queue(world, "pat")


def test_account_and_network_pages_mask_personal_identifiers(world: Engine) -> None:
    page = account_page(world, "vic", "A1")
    assert page.payments["payments_in"] == 1 and page.payments["amount_in"] == Decimal("1000.00")
    assert page.payments["amount_out"] == Decimal("950.00")
    assert "name" not in page.account and page.account["holder_party_id"] == "M1"
    network = network_page(world, "vic", "NW-1")
    herder = next(r for r in network.roles.to_pylist() if r["role"] == "herder")
    evidence = json.loads(herder["evidence"])
    assert {i["kind"]: i["value"] for i in evidence["identifiers"]} == {
        "phone": MASK,
        "device": "dev-9",
    }
    assert PHONE not in json.dumps(network.roles.to_pylist())
    with pytest.raises(KeyError):
        account_page(world, "vic", "NOPE")
    with pytest.raises(KeyError):
        network_page(world, "vic", "NW-' OR 1=1 --")


def test_entity_page_is_a_read_of_a_person_and_audited(world: Engine) -> None:
    page = entity_page(world, "vic", "E-MIA", "checking the duplicate")
    assert page.members.column("name").to_pylist() == ["Mia Mule", "MIA MULE"]
    assert page.links.num_rows == 1
    entry = read_entries(world)[-1]
    assert (entry.action, entry.subject, entry.reason) == (
        "read_entity",
        "E-MIA",
        "checking the duplicate",
    )
    assert "Mia" not in entry.detail  # which fields, never their values
    with pytest.raises(AccessDenied):
        entity_page(world, "adm", "E-MIA", "curious")
    assert read_entries(world)[-1].action == "read_entity_refused"


def test_expand_paths_and_timeline(world: Engine) -> None:
    nodes = expand(world, "vic", "A1", hops=1).to_pylist()
    assert {n["node"]: n["via"] for n in nodes} == {
        "A1": "start",
        "A2": "paid",
        "AV": "paid by",
    }
    strongest = money_path(world, "vic", "AV", "A2")
    shortest = money_path(world, "vic", "AV", "A2", kind="shortest")
    assert strongest.accounts == ["AV", "A1", "A2"] and strongest.bottleneck == Decimal("900.00")
    assert shortest.accounts == ["AV", "A2"] and shortest.bottleneck == Decimal("10.00")
    with pytest.raises(KeyError):
        money_path(world, "vic", "AV", "NOPE")
    network = money_timeline(world, "vic", network_id="NW-1")
    assert network.payments.column("txn_id").to_pylist() == ["t1", "t4", "t2", "t5", "t3"]
    one = money_timeline(world, "vic", account_id="A2", limit=2)
    assert one.payments.column("txn_id").to_pylist() == ["t4", "t2"] and one.truncated
    with pytest.raises(ValueError, match="exactly one"):
        money_timeline(world, "vic")


def test_trace_sankey_and_freeze_list_of_a_report(world: Engine) -> None:
    result = stored_trace(world, "vic", "FR-1", "fifo")
    assert result.totals() == {
        "held": Decimal("110.00"),
        "exited": Decimal("890.00"),
        "unexplained": Decimal("0.00"),
    }
    sankey = sankey_data(result, "FR-1")
    flows = {
        (sankey.nodes[x["source"]], sankey.nodes[x["target"]]): x["amount"] for x in sankey.links
    }
    assert flows[("AV", "A1")] == Decimal("1000.00") and flows[("A1", "A2")] == Decimal("900.00")
    freeze = report_freeze_list(result).to_pylist()
    assert {(r["institution"], r["account_id"], r["victim_amount"]) for r in freeze} == {
        ("Bank A", "A1", Decimal("50.00")),
        ("Bank B", "A2", Decimal("60.00")),
    }
    with pytest.raises(KeyError, match="no stored trace"):
        stored_trace(world, "vic", "FR-1", "lifo")
    with pytest.raises(ValueError, match="rule must be"):
        stored_trace(world, "vic", "FR-1", "fifo' OR '1'='1")


def test_export_is_redacted_by_default_and_audited(world: Engine) -> None:
    done = export_report(world, "ana", "NW-1", "html", "for the police")
    page = done.content.decode()
    assert "NW-1" in page and "Max Mule" not in page
    assert done.entry.action == "export_report" and '"redacted":true' in done.entry.detail
    with pytest.raises(AccessDenied):
        export_report(world, "vic", "NW-1", "html", "viewers do not export")
    assert audit_entries(world, "sue", after_seq=done.entry.seq - 1, limit=1).column(
        "action"
    ).to_pylist() == ["export_report"]
    with pytest.raises(AccessDenied):
        audit_entries(world, "ana")
