"""`fraudnet serve` as a user runs it: a subprocess on loopback, OpenAPI docs, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from fraudnet.store import open_store
from tests.api.conftest import free_port
from tests.workspace.tiny import PASSWORD, build

ROOT = Path(__file__).resolve().parents[2]


def _serve(*args: str) -> list[str]:
    return [sys.executable, "-m", "fraudnet.cli.main", "serve", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"}


def test_serve_refuses_a_missing_store_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        _serve(str(tmp_path / "nope.duckdb")), capture_output=True, text=True, env=_env()
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith("error:") and "no such store" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "nope.duckdb").exists()


def test_serve_answers_on_loopback_with_openapi_docs(tmp_path: Path) -> None:
    store = tmp_path / "tiny.duckdb"
    with open_store(store, "duckdb") as engine:
        build(engine)
    port = free_port()
    server = subprocess.Popen(_serve(str(store), "--port", str(port)), env=_env())
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                spec = httpx.get(f"{base}/openapi.json", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "fraudnet serve did not start"
                time.sleep(0.3)
        assert "/api/alerts" in spec.json()["paths"]
        assert httpx.get(f"{base}/docs").status_code == 200
        login = httpx.post(f"{base}/api/login", json={"user_id": "vic", "password": PASSWORD})
        headers = {"authorization": f"Bearer {login.json()['token']}"}
        queue = httpx.get(f"{base}/api/alerts", headers=headers).json()
        assert [a["account_id"] for a in queue["items"]] == ["A1", "A2"]
    finally:
        server.terminate()
        server.wait(timeout=30)
