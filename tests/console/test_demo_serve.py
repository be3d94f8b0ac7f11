"""`fraudnet demo --serve` in a child process, as a user would start it: it prints the logins and
the URL, the console loads there, and the printed password logs in (and only that one)."""

from __future__ import annotations

import re
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.cli.process import cli_command, cli_env
from tests.console.server import free_port

LOGIN_ROW = re.compile(r"(demo-(?:analyst|supervisor))\s*│\s*(\w+)\s*│\s*(\S+)")


@pytest.mark.slow
def test_demo_serve_prints_a_working_login_and_url(tmp_path: Path, bundle: Path) -> None:
    port = free_port()
    args: list[str | Path] = ["demo", "--out", tmp_path / "demo", "--accounts", "600"]
    args += ["--days", "20", "--serve", "--port", str(port)]
    child = subprocess.Popen(
        cli_command(args),
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(child.stdout.readline, "")))  # type: ignore[union-attr]
    reader.start()
    try:
        url = _wait_for_url(lines, child)
        assert url == f"http://127.0.0.1:{port}/"
        logins = {m.group(1): (m.group(2), m.group(3)) for m in map(LOGIN_ROW.search, lines) if m}
        assert logins.keys() == {"demo-analyst", "demo-supervisor"}
        role, password = logins["demo-analyst"]
        assert role == "analyst" and len(password) >= 12
        with httpx.Client(base_url=url, timeout=30) as http:
            page = http.get("/")
            assert page.status_code == 200 and "<script" in page.text
            assert "default-src 'self'" in page.headers["content-security-policy"]
            good = http.post("/api/login", json={"user_id": "demo-analyst", "password": password})
            assert good.status_code == 200, good.text
            wrong = http.post(
                "/api/login", json={"user_id": "demo-analyst", "password": password + "x"}
            )
            assert wrong.status_code == 401
    finally:
        child.terminate()
        child.wait(timeout=30)
        reader.join(timeout=10)


def _wait_for_url(lines: list[str], child: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        for line in lines:
            found = re.search(r"console on (http://\S+/)", line)
            if found:
                return _when_listening(found.group(1))
        if child.poll() is not None:
            pytest.fail("fraudnet demo --serve exited early:\n" + "".join(lines))
        time.sleep(0.2)
    pytest.fail("fraudnet demo --serve printed no URL in 240 s:\n" + "".join(lines))


def _when_listening(url: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2)
            return url
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"nothing listening at {url}")
