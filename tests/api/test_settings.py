"""The review budget and the audit log's newest-first paging through the real server."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from fraudnet.workspace import verify
from tests.api.conftest import Server

ROUTE = "/api/settings/review-budget"
_TOKENS: dict[str, dict[str, str]] = {}


@pytest.fixture(autouse=True)
def _fresh_tokens() -> None:
    _TOKENS.clear()  # each module has its own server and token key


def _as(server: Server, user: str) -> dict[str, str]:
    """One login per user and test: logins are audited, and these tests count audit entries."""
    if user not in _TOKENS:
        _TOKENS[user] = server.login(user)
    return _TOKENS[user]


def _put(server: Server, user: str, body: Any) -> Any:
    with server.client() as http:
        return http.put(ROUTE, headers=_as(server, user), json=body)


def _budget(server: Server, user: str) -> Any:
    with server.client() as http:
        reply = http.get(ROUTE, headers=_as(server, user))
    assert reply.status_code == 200, reply.text
    return reply.json()


def _audit(server: Server, **params: Any) -> list[dict[str, Any]]:
    with server.client() as http:
        reply = http.get("/api/audit", headers=_as(server, "sue"), params=params)
    assert reply.status_code == 200, reply.text
    items: list[dict[str, Any]] = reply.json()["items"]
    return items


def test_a_supervisor_sets_the_budget_a_viewer_reads_it_an_analyst_cannot(server: Server) -> None:
    assert _put(server, "ana", {"budget_per_day": 9}).status_code == 403
    assert _put(server, "pat", {"budget_per_day": 9}).status_code == 403
    reply = _put(server, "sue", {"budget_per_day": 12, "reason": "short-staffed week"})
    assert reply.status_code == 200, reply.text
    seq = reply.json()["audit_seq"]
    seen = _budget(server, "vic")
    assert (seen["budget_per_day"], seen["set_by"], seen["organisation"]) == (12, "sue", "bank-a")
    assert seen["set_at"].endswith("Z")
    entry = _audit(server, after_seq=seq - 1, limit=1)[0]
    assert (entry["action"], entry["user_id"], entry["reason"]) == (
        "set_review_budget",
        "sue",
        "short-staffed week",
    )
    assert entry["detail"]["new"] == 12
    assert _put(server, "adm", {"budget_per_day": None}).status_code == 200
    assert _budget(server, "ana")["budget_per_day"] is None
    app = server.app
    assert isinstance(app, FastAPI)
    with app.state.fraudnet.handle.borrow() as engine:
        report = verify(engine, server.audit_key)
    assert report.intact and report.anchor_checked, report.summary()


def test_a_bad_budget_is_a_clear_4xx_and_writes_nothing(server: Server) -> None:
    _as(server, "vic")
    assert _put(server, "sue", {"budget_per_day": 5}).status_code == 200
    head = _audit(server, order="desc", limit=1)[0]["seq"]
    for bad in (-3, 0, 100_001, 2.5, "7", True, [4]):
        reply = _put(server, "sue", {"budget_per_day": bad})
        assert reply.status_code in (400, 422), (bad, reply.text)
        assert "budget_per_day" in reply.json()["detail"], reply.text
    assert _put(server, "sue", {}).status_code == 422  # the value is required, null to clear
    assert _budget(server, "vic")["budget_per_day"] == 5
    assert _audit(server, order="desc", limit=1)[0]["seq"] == head


def test_the_audit_log_pages_newest_first(server: Server) -> None:
    _as(server, "ana")
    for value in (21, 22, 23, 24):
        assert _put(server, "sue", {"budget_per_day": value}).status_code == 200
    oldest = _audit(server, limit=5)
    assert [e["seq"] for e in oldest] == list(range(1, 6))  # the default is unchanged
    newest = _audit(server, order="desc", limit=3)
    assert [e["detail"].get("new") for e in newest] == [24, 23, 22]
    seqs = [e["seq"] for e in newest]
    assert seqs == sorted(seqs, reverse=True) and seqs[0] - seqs[2] == 2
    back = _audit(server, order="desc", limit=2, before_seq=seqs[-1])
    assert [e["seq"] for e in back] == [seqs[-1] - 1, seqs[-1] - 2]
    with server.client() as http:
        headers = _as(server, "sue")
        assert http.get("/api/audit", headers=headers, params={"order": "up"}).status_code == 422
        refused = http.get("/api/audit", headers=_as(server, "ana"), params={"order": "desc"})
        assert refused.status_code == 403
