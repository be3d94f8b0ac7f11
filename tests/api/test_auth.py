"""Login, tokens and the refusal of every route without a valid one, on a real server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from fastapi import FastAPI

from fraudnet.workspace.tokens import issue_token
from tests.api.conftest import Server
from tests.api.routes import PUBLIC, api_routes, fill


def test_login_gives_a_token_that_opens_the_queue(server: Server) -> None:
    headers = server.login("ana")
    with server.client() as http:
        me = http.get("/api/me", headers=headers)
        queue = http.get("/api/alerts", headers=headers)
    assert me.json() == {
        "user_id": "ana",
        "role": "analyst",
        "organisation": "bank-a",
        "disabled": False,
    }
    assert queue.status_code == 200 and queue.json()["total"] > 0


def test_wrong_password_and_unknown_user_get_the_same_401(server: Server) -> None:
    with server.client() as http:
        wrong = http.post("/api/login", json={"user_id": "ana", "password": "not-her-password"})
        unknown = http.post("/api/login", json={"user_id": "nobody", "password": "whatever-123"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "unknown user or wrong password"}


def test_every_route_is_refused_without_a_token(server: Server) -> None:
    assert isinstance(server.app, FastAPI)
    routes = [r for r in api_routes(server.app) if r not in PUBLIC]
    assert len(routes) >= 5
    with server.client() as http:
        for method, path in routes:
            reply = http.request(method, fill(path, "X"), json={})
            assert reply.status_code == 401, (method, path, reply.text)
            assert "bearer token" in reply.json()["detail"]


def test_forged_expired_and_malformed_tokens_are_refused(server: Server) -> None:
    assert isinstance(server.app, FastAPI)
    real_key = server.app.state.fraudnet.token_key
    forged, _ = issue_token(b"a-key-the-server-does-not-have", "ana")
    long_ago = datetime.now(UTC) - timedelta(days=2)
    expired, _ = issue_token(real_key, "ana", timedelta(hours=1), now=long_ago)
    good, _ = issue_token(real_key, "ana")
    tampered = good.replace(good.split(".")[0], good.split(".")[0][:-2] + "xx")
    cases = {
        forged: "signature",
        expired: "expired",
        "garbage": "malformed",
        tampered: "signature",
        quote("'; DROP TABLE users; --"): "malformed",
    }
    with server.client() as http:
        for token, why in cases.items():
            reply = http.get("/api/me", headers={"authorization": f"Bearer {token}"})
            assert reply.status_code == 401, token
            assert why in reply.json()["detail"]
        assert http.get("/api/me", headers={"authorization": f"Bearer {good}"}).status_code == 200
