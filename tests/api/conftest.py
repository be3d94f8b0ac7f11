"""A real uvicorn server on loopback over a small demo store, shared by the API tests.

The store is built once per session by `run_demo` (simulate, resolve, detect, networks,
trace) and users of each role are added; each test module gets its own server (in a thread on
a free port) over it, and the audit key's environment variable is set only while it runs.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from fraudnet.api import create_app
from fraudnet.demo import run_demo
from fraudnet.store import open_store
from fraudnet.workspace import add_user
from fraudnet.workspace.audit import KEY_FILE_ENV

PASSWORDS = {
    "ana": ("analyst", "bank-a", "analyst-password-1"),
    "vic": ("viewer", "bank-a", "viewer-password-12"),
    "sue": ("supervisor", "bank-a", "superv-password-1"),
    "adm": ("admin", "bank-a", "admin-password-12"),
    "pat": ("partner", "partner-bank", "partner-password-1"),
    "oth": ("partner", "other-bank", "other-password-12"),
    "zed": ("analyst", "bank-z", "zed-analyst-pass1"),
}
AUDIT_KEY = b"api-test-audit-anchor-key-outside-the-store"


@dataclass
class Server:
    url: str
    store: Path
    app: object
    audit_key: bytes

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)

    def login(self, user: str) -> dict[str, str]:
        password = PASSWORDS[user][2]
        with self.client() as http:
            reply = http.post("/api/login", json={"user_id": user, "password": password})
        assert reply.status_code == 200, reply.text
        return {"authorization": f"Bearer {reply.json()['token']}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("api-demo")
    result = run_demo(out, accounts=600, days=20, seed=3)
    with open_store(result.store, "duckdb") as engine:
        for user, (role, org, password) in PASSWORDS.items():
            add_user(engine, user, password, role, org, "cli:test")
    return result.store


@pytest.fixture(scope="module")
def server(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    keys = tmp_path_factory.mktemp("api-keys")
    (keys / "audit.key").write_bytes(AUDIT_KEY)
    (keys / "token.key").write_bytes(os.urandom(32))
    previous = os.environ.get(KEY_FILE_ENV)
    os.environ[KEY_FILE_ENV] = str(keys / "audit.key")
    app = create_app(demo_store, token_key_file=keys / "token.key")
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", demo_store, app, AUDIT_KEY)
    finally:
        running.should_exit = True
        thread.join(timeout=30)
        if previous is None:
            os.environ.pop(KEY_FILE_ENV, None)
        else:
            os.environ[KEY_FILE_ENV] = previous


@pytest.fixture(scope="module")
def analyst(server: Server) -> dict[str, str]:
    return server.login("ana")
