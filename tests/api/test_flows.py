"""An analyst's day through the real server: read every page, decide, write notes, export.

Decisions must land in `labels` / `link_judgements` with who and when and an audit entry, and
the audit chain (with its keyed anchor) must still verify after all of it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI

from fraudnet.detect.asof import Cutoff
from fraudnet.detect.labels import training_labels
from fraudnet.report import render as render_module
from fraudnet.workspace import verify
from tests.api.conftest import Server


def _app(server: Server) -> FastAPI:
    assert isinstance(server.app, FastAPI)
    return server.app


def _get(server: Server, headers: dict[str, str], path: str, **params: Any) -> Any:
    with server.client() as http:
        reply = http.get(path, headers=headers, params=params)
    assert reply.status_code == 200, (path, reply.text)
    return reply.json()


def test_every_read_page_answers_on_real_ids(server: Server, analyst: dict[str, str]) -> None:
    queue = _get(server, analyst, "/api/alerts", sort="score", order="desc", page_size=5)
    scores = [a["score"] for a in queue["items"]]
    assert scores == sorted(scores, reverse=True) and queue["items"][0]["reasons"]
    top = queue["items"][0]["account_id"]
    account = _get(server, analyst, f"/api/accounts/{top}")
    assert account["account"]["account_id"] == top and account["alerts"]
    nets = _get(server, analyst, "/api/networks")
    network_id = nets["items"][0]["network_id"]
    network = _get(server, analyst, f"/api/networks/{network_id}")
    assert network["members"] and {"role", "evidence", "summary"} <= set(network["members"][0])
    expanded = _get(server, analyst, "/api/graph/expand", subject=top, hops=1)
    assert expanded["nodes"][0] == {"node": top, "hop": 0, "via": "start", "links": 0,
                                    "hub": False}  # fmt: skip
    timeline = _get(server, analyst, "/api/timeline", network_id=network_id, limit=50)
    times = [p["ts"] for p in timeline["payments"]]
    assert times == sorted(times) and all(t.endswith("Z") for t in times)
    paid = timeline["payments"][0]
    for kind in ("strongest", "shortest"):
        path = _get(server, analyst, "/api/graph/path", source=paid["src_account"],
                    target=paid["dst_account"], kind=kind)  # fmt: skip
        assert path["found"] and path["accounts"][0] == paid["src_account"]
    reports = _get(server, analyst, "/api/reports")
    report = next(r for r in reports["items"] if "fifo" in r["traced_rules"])["report_id"]
    trace = _get(server, analyst, f"/api/reports/{report}/trace", rule="fifo")
    assert sum(float(v) for v in trace["totals"].values()) > 0
    sankey = _get(server, analyst, f"/api/reports/{report}/sankey")
    assert sankey["links"] and max(x["target"] for x in sankey["links"]) < len(sankey["nodes"])
    _get(server, analyst, f"/api/reports/{report}/freeze")
    freeze = _get(server, analyst, "/api/freeze", rule="fifo")
    assert all(r["rule"] == "fifo" for r in freeze["rows"])


def test_a_mule_decision_writes_a_label_and_an_audit_entry(
    server: Server, analyst: dict[str, str]
) -> None:
    account = _get(server, analyst, "/api/alerts", page_size=1)["items"][0]["account_id"]
    body = {"account_id": account, "verdict": "confirm", "reason": "pass-through within hours"}
    with server.client() as http:
        reply = http.post("/api/decisions/mule", headers=analyst, json=body)
    assert reply.status_code == 200, reply.text
    seq = reply.json()["audit_seq"]
    with _app(server).state.fraudnet.handle.borrow() as engine:
        labels = engine.sql(
            "SELECT * FROM labels WHERE source = 'analyst' AND decided_by = 'ana'"
        ).to_pylist()
        trained = training_labels(engine, Cutoff(datetime.now(UTC).replace(tzinfo=None)))
    assert any(r["subject"] == account and r["label"] == "mule" for r in labels)
    assert trained.get(account) == 1
    entries = _get(server, server.login("sue"), "/api/audit", after_seq=seq - 1, limit=1)
    entry = entries["items"][0]
    assert (entry["user_id"], entry["action"], entry["subject"], entry["reason"]) == (
        "ana",
        "decide_mule_confirm",
        account,
        "pass-through within hours",
    )
    queue = _get(server, analyst, "/api/alerts", page_size=500)
    decided = next(a for a in queue["items"] if a["account_id"] == account)
    assert (decided["decision"], decided["decided_by"]) == ("mule", "ana")


def test_a_merge_decision_writes_a_judgement(server: Server, analyst: dict[str, str]) -> None:
    with _app(server).state.fraudnet.handle.borrow() as engine:
        pair = engine.sql("SELECT party_id_l, party_id_r FROM entity_links LIMIT 1").to_pylist()[0]
    body = {**pair, "verdict": "split", "reason": "different dates of birth on the passports"}
    with server.client() as http:
        reply = http.post("/api/decisions/merge", headers=analyst, json=body)
    assert reply.status_code == 200, reply.text
    assert reply.json()["written"]["judgement"] == "NEGATIVE"
    with _app(server).state.fraudnet.handle.borrow() as engine:
        judged = engine.sql("SELECT * FROM link_judgements WHERE decided_by = 'ana'").to_pylist()
    assert {(j["party_id_l"], j["party_id_r"]) for j in judged} >= {
        (pair["party_id_l"], pair["party_id_r"])
    }


def test_party_read_needs_a_reason_and_is_audited(server: Server, analyst: dict[str, str]) -> None:
    with _app(server).state.fraudnet.handle.borrow() as engine:
        party = str(engine.sql("SELECT party_id FROM parties LIMIT 1").column(0)[0].as_py())
    with server.client() as http:
        assert http.get(f"/api/parties/{party}", headers=analyst).status_code == 422
    found = _get(server, analyst, f"/api/parties/{party}", reason="checking the holder")
    assert found["party"]["party_id"] == party
    last = _get(server, server.login("sue"), "/api/audit", subject=party, limit=1000)["items"][-1]
    assert (last["action"], last["user_id"], last["reason"]) == (
        "read_party",
        "ana",
        "checking the holder",
    )


def test_concurrent_notes_are_all_kept_in_one_unbroken_chain(
    server: Server, analyst: dict[str, str]
) -> None:
    with server.client() as http:
        opened = http.post("/api/cases", headers=analyst,
                           json={"title": "busy case", "reason": "load"})  # fmt: skip
    case_id = opened.json()["id"]

    def write(i: int) -> int:
        with server.client() as http:
            reply = http.post(f"/api/cases/{case_id}/notes", headers=analyst,
                              json={"text": f"note {i}"})  # fmt: skip
        return reply.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(write, range(24)))
    assert codes == [200] * 24
    case = _get(server, analyst, f"/api/cases/{case_id}")
    assert sorted(n["text"] for n in case["notes"]) == sorted(f"note {i}" for i in range(24))
    with _app(server).state.fraudnet.handle.borrow() as engine:
        report = verify(engine, server.audit_key)
    assert report.intact and report.anchor_checked, report.summary()


def test_export_html_and_pdf(server: Server, analyst: dict[str, str]) -> None:
    network_id = _get(server, analyst, "/api/networks")["items"][0]["network_id"]
    with server.client() as http:
        html = http.post(f"/api/networks/{network_id}/export", headers=analyst,
                         json={"format": "html", "reason": "for the police"})  # fmt: skip
        assert html.status_code == 200 and network_id in html.text
        assert html.headers["content-type"].startswith("text/html")
        assert int(html.headers["x-audit-seq"]) > 0
        if render_module.chromium_binary() is None:
            pytest.skip("PDF export needs Chromium (Debian: apt-get install chromium)")
        pdf = http.post(f"/api/networks/{network_id}/export", headers=analyst,
                        json={"format": "pdf", "reason": "for the police"})  # fmt: skip
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_a_disabled_user_is_locked_out_at_once(server: Server) -> None:
    admin = server.login("adm")
    new = {"user_id": "temp", "password": "temporary-password", "role": "viewer",
           "organisation": "bank-a"}  # fmt: skip
    with server.client() as http:
        assert http.post("/api/users", headers=admin, json=new).status_code == 200
        token = http.post("/api/login", json={"user_id": "temp", "password": new["password"]})
        headers = {"authorization": f"Bearer {token.json()['token']}"}
        assert http.get("/api/alerts", headers=headers).status_code == 200
        off = http.post("/api/users/temp/disable", headers=admin, json={"reason": "left"})
        assert off.status_code == 200 and off.json()["disabled"] is True
        refused = http.get("/api/alerts", headers=headers)
    assert refused.status_code == 401 and "disabled" in refused.json()["detail"]
