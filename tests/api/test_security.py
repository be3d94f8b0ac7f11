"""Security through the real server: roles, organisations, partners, injection and garbage."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI

from tests.api.conftest import Server
from tests.api.routes import PUBLIC, api_routes, body_schema, body_with, fill, is_string, parameters
from tests.api.snapshot import table_state

INJECTIONS = (
    "'; DROP TABLE alerts; --",
    "x' OR '1'='1",
    "NW-1') UNION SELECT password_hash, 1 FROM users --",
    '"; DELETE FROM labels; --',
    "\x00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "${jndi:ldap://x}",
    "é∑😀",
)
WRITES_BY_DESIGN = (
    "cases",
    "case_notes",
    "case_shares",
    "labels",
    "link_judgements",
    "review_budgets",
    "users",
)
"""Tables a well-formed request may write to, storing an injection string as plain text."""


def _app(server: Server) -> FastAPI:
    assert isinstance(server.app, FastAPI)
    return server.app


def _call(server: Server, headers: dict[str, str], method: str, path: str, text: str) -> Any:
    app = _app(server)
    query = {
        p["name"]: text
        for p in parameters(app, method, path)
        if p["in"] == "query" and is_string(p["schema"])
    }
    schema = body_schema(app, method, path)
    body = body_with(app, schema, text) if schema else None
    with server.client() as http:
        return http.request(
            method, fill(path, quote(text, safe="")), headers=headers, params=query, json=body
        )


def test_a_partner_cannot_reach_a_case(server: Server) -> None:
    analyst, partner, supervisor = server.login("ana"), server.login("pat"), server.login("sue")
    with server.client() as http:
        case_id = http.post("/api/cases", headers=analyst,
                            json={"title": "ring", "reason": "alerts"}).json()["id"]  # fmt: skip
        for guess in (case_id, "CASE-0000000000000000"):
            assert http.get(f"/api/cases/{guess}", headers=partner).status_code == 403
            note = http.post(f"/api/cases/{guess}/notes", headers=partner, json={"text": "hi"})
            assert note.status_code == 403
        assert http.get("/api/cases", headers=partner).status_code == 403
        assert http.get("/api/alerts", headers=partner).status_code == 403
        shared = http.post(f"/api/cases/{case_id}/shares", headers=supervisor,
                           json={"partner": "partner-bank", "reason": "joint op"})  # fmt: skip
        share_id = shared.json()["id"]
        assert http.get(f"/api/shared/{share_id}", headers=partner).status_code == 200
        other = server.login("oth")
        assert http.get(f"/api/shared/{share_id}", headers=other).status_code == 404
        assert http.get("/api/shared", headers=other).json() == {"items": []}
        assert http.get("/api/shared/PKG-GUESSED", headers=partner).status_code == 404
        outsider = server.login("zed")  # an analyst of another organisation
        assert http.get(f"/api/cases/{case_id}", headers=outsider).status_code == 403


def test_an_analyst_cannot_use_admin_routes(server: Server) -> None:
    analyst, admin = server.login("ana"), server.login("adm")
    new = {"user_id": "sneaky", "password": "sneaky-password-1", "role": "admin",
           "organisation": "bank-a"}  # fmt: skip
    with server.client() as http:
        assert http.get("/api/users", headers=analyst).status_code == 403
        assert http.post("/api/users", headers=analyst, json=new).status_code == 403
        off = http.post("/api/users/adm/disable", headers=analyst, json={"reason": "coup"})
        assert off.status_code == 403
        assert http.get("/api/audit", headers=analyst).status_code == 403
        assert http.get("/api/users", headers=admin).status_code == 200
        # least exposure: the admin runs the workspace but reads no one's details
        assert http.get("/api/parties/X", headers=admin, params={"reason": "r"}).status_code == 403
        names = [u["user_id"] for u in http.get("/api/users", headers=admin).json()["items"]]
    assert "sneaky" not in names and "ana" in names


def _who_reaches(path: str) -> str:
    """A user whose role lets the request reach the workspace function behind `path`."""
    if path.startswith("/api/users"):
        return "adm"
    return "pat" if path.startswith("/api/shared") else "sue"


def test_injection_in_every_string_parameter_is_harmless(server: Server) -> None:
    app = _app(server)
    before = table_state(app)
    callers = {user: server.login(user) for user in ("sue", "adm", "pat")}
    routes = [r for r in api_routes(app) if r not in PUBLIC]
    seen: dict[int, int] = {}
    for method, path in routes:
        for text in INJECTIONS:
            reply = _call(server, callers[_who_reaches(path)], method, path, text)
            assert reply.status_code < 500, (method, path, text, reply.text)
            seen[reply.status_code] = seen.get(reply.status_code, 0) + 1
    after = table_state(app)
    changed = {t for t in before if before[t] != after[t]}
    assert changed <= set(WRITES_BY_DESIGN), changed
    assert after["alerts"] == before["alerts"] and after["parties"] == before["parties"]
    title = INJECTIONS[0]
    with server.client() as http:
        made = http.post(
            "/api/cases", headers=callers["sue"], json={"title": title, "reason": title}
        )
        case = http.get(f"/api/cases/{made.json()['id']}", headers=callers["sue"])
    assert case.json()["case"]["title"] == title  # stored and shown as text, never run
    assert table_state(app)["alerts"] == before["alerts"]
    assert sum(seen.values()) == len(routes) * len(INJECTIONS)
    assert 401 not in seen and 403 not in seen, seen  # every request reached its function


GARBAGE_BODIES: tuple[Any, ...] = (
    b"\x00\xff not json at all",
    b"[]",
    b'{"reason": 5, "verdict": ["confirm"], "text": {"a": 1}}',
    b'{"account_id": "' + b"A" * 5000 + b'", "verdict": "confirm", "reason": "r"}',
    b'{"reason": "", "title": "", "text": "", "partner": ""}',
    b"null",
)
GARBAGE_QUERIES: tuple[dict[str, str], ...] = (
    {"page": "-1", "page_size": "999999999", "hops": "99", "limit": "0", "after_seq": "-5"},
    {"sort": "rank;DROP", "order": "sideways", "kind": "longest", "rule": "nope"},
    {"day": "yesterday", "start": "not-a-time", "end": "2025-13-45", "max_hops": "x"},
    {"account_id": "", "network_id": "", "subject": "", "source": "", "target": ""},
)


def test_garbage_to_every_route_is_a_4xx_and_writes_nothing(server: Server) -> None:
    app = _app(server)
    headers = server.login("sue")
    before = table_state(app)
    statuses: dict[int, int] = {}
    with server.client() as http:
        for method, path in api_routes(app):
            for value in ("%00", "A" * 300, "..%2F..", " "):
                for body in GARBAGE_BODIES:
                    reply = http.request(method, fill(path, value), headers={
                        **headers, "content-type": "application/json"}, content=body)  # fmt: skip
                    assert 400 <= reply.status_code < 500 or (
                        method == "GET" and reply.status_code == 200
                    ), (method, path, value, reply.status_code, reply.text)
                    if reply.status_code >= 400:
                        assert reply.json()["detail"]
                    statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1
            for query in GARBAGE_QUERIES:
                reply = http.request(method, fill(path, "X"), headers=headers, params=query)
                assert reply.status_code < 500, (method, path, query, reply.text)
                if method == "POST":
                    assert 400 <= reply.status_code < 500, (method, path, query, reply.text)
    assert table_state(app) == before
    assert 500 not in statuses and statuses.get(422, 0) > 0


def test_an_analyst_of_another_organisation_is_refused_everywhere(server: Server) -> None:
    """zed has the analyst role but works for bank-z: no route of bank-a's store opens."""
    app = _app(server)
    outsider = server.login("zed")
    before = table_state(app)
    routes = [r for r in api_routes(app) if r not in PUBLIC and r != ("GET", "/api/me")]
    for method, path in routes:
        reply = _call(server, outsider, method, path, "X")
        assert reply.status_code in (403, 404), (method, path, reply.status_code, reply.text)
    assert table_state(app) == before
