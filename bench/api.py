"""Load: 200 concurrent clients for 60 s against the API's read endpoints, loopback only.

    .venv/bin/python bench/api.py [--clients 200] [--seconds 60] [--store PATH] [--out FILE]

Builds the demo store (`fraudnet demo`'s world: 20,000 accounts, 90 days, seed 7; cached
under /tmp) unless --store names one, adds a bench user, starts `fraudnet serve` in its own
process on a free loopback port, and runs the clients as asyncio tasks in this process, each
sending one request after another for the whole run (a closed loop: no think time). Each
request is a read picked at random (fixed seed) from the queue, account, network, expansion,
path, timeline and tracing endpoints with ids taken from the store. Audited reads of a
person (parties, entities) are writes of an audit entry and are left out.

Target (issue 17): 0 errors and p99 under 100 ms. Writes bench/results/api.json with the
commit and the load average; server and clients share this machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
from provenance import ROOT, RunRecord

from fraudnet.demo import run_demo
from fraudnet.simulate import DEMO_ACCOUNTS, DEMO_DAYS
from fraudnet.store import open_store
from fraudnet.workspace import add_user
from fraudnet.workspace.users import list_users

RESULTS = Path(__file__).parent / "results" / "api.json"
CACHE = Path("/tmp/fraudnet-bench-api")
SEED = 7
USER, PASSWORD = "bench", "bench-password-long"
P99_TARGET_MS = 100.0


def demo_store(path: Path | None) -> Path:
    if path is not None:
        return path
    store = CACHE / "fraudnet.duckdb"
    if not store.exists():
        run_demo(CACHE, DEMO_ACCOUNTS, DEMO_DAYS, SEED)
    return store


def prepare(store: Path) -> dict[str, list[str]]:
    """Add the bench user (once) and pick the ids the requests will use."""
    with open_store(store, "duckdb") as engine:
        if USER not in {u.user_id for u in list_users(engine)}:
            add_user(engine, USER, PASSWORD, "analyst", "bench-bank", "cli:bench")

        def ids(sql: str) -> list[str]:
            return [str(v) for v in engine.sql(sql).column(0).to_pylist()]

        return {
            "accounts": ids("SELECT account_id FROM alerts ORDER BY rank LIMIT 100"),
            "networks": ids("SELECT network_id FROM networks ORDER BY rank LIMIT 20"),
            "reports": ids("SELECT DISTINCT report_id FROM traces WHERE rule = 'fifo' LIMIT 50"),
            "pairs": ids(
                "SELECT src_account || '|' || dst_account FROM transactions t JOIN alerts a "
                "ON t.src_account = a.account_id WHERE t.dst_account IS NOT NULL LIMIT 50"
            ),
        }


def request_mix(ids: dict[str, list[str]], rng: random.Random) -> tuple[str, str, dict[str, Any]]:
    """(endpoint name, path, query) of one read request."""
    account = rng.choice(ids["accounts"])
    network = rng.choice(ids["networks"]) if ids["networks"] else None
    report = rng.choice(ids["reports"]) if ids["reports"] else None
    source, target = rng.choice(ids["pairs"]).split("|") if ids["pairs"] else (account, account)
    choices: list[tuple[str, str, dict[str, Any]]] = [
        ("alerts", "/api/alerts", {"page": rng.randint(1, 2), "sort": "score", "order": "desc"}),
        ("account", f"/api/accounts/{account}", {}),
        ("expand", "/api/graph/expand", {"subject": account, "hops": 1}),
        ("timeline_account", "/api/timeline", {"account_id": account, "limit": 500}),
        ("path", "/api/graph/path", {"source": source, "target": target, "max_hops": 3}),
        ("networks", "/api/networks", {}),
    ]
    if network:
        choices += [
            ("network", f"/api/networks/{network}", {}),
            ("timeline_network", "/api/timeline", {"network_id": network, "limit": 500}),
        ]
    if report:
        choices += [
            ("trace", f"/api/reports/{report}/trace", {}),
            ("sankey", f"/api/reports/{report}/sankey", {}),
            ("freeze", f"/api/reports/{report}/freeze", {}),
        ]
    return rng.choice(choices)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(store: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"}
    command = [sys.executable, "-m", "fraudnet.cli.main", "serve", str(store), "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
            return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start within 120 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn drains what it has queued), then SIGKILL after 30 s."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


async def client(
    http: httpx.AsyncClient, ids: dict[str, list[str]], seed: int, stop_at: float, out: list
) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < stop_at:
        name, path, query = request_mix(ids, rng)
        started = time.perf_counter()
        status: int | str
        try:
            reply = await http.get(path, params=query)
            status = reply.status_code
        except httpx.HTTPError as err:
            status = f"{type(err).__name__}"
        out.append((name, (time.perf_counter() - started) * 1000, status))


async def load(port: int, ids: dict[str, list[str]], clients: int, seconds: float) -> list:
    base = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        login = await http.post("/api/login", json={"user_id": USER, "password": PASSWORD})
        login.raise_for_status()
        http.headers["authorization"] = f"Bearer {login.json()['token']}"
        out: list = []
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(client(http, ids, SEED + i, stop_at, out) for i in range(clients)))
        return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return round(ordered[index], 1)


def summarise(samples: list, seconds: float) -> dict[str, Any]:
    by_name: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for name, ms, status in samples:
        by_name[name].append(ms)
        if status != 200:
            errors[f"{name}: {status}"] += 1
    every = [ms for _, ms, _ in samples]
    return {
        "requests": len(samples),
        "requests_per_s": round(len(samples) / seconds, 1),
        "errors": sum(errors.values()),
        "errors_by_kind": dict(errors),
        "p50_ms": percentile(every, 50),
        "p99_ms": percentile(every, 99),
        "max_ms": round(max(every), 1),
        "p99_target_ms": P99_TARGET_MS,
        "p99_target_met": percentile(every, 99) < P99_TARGET_MS and not errors,
        "by_endpoint": {
            name: {"requests": len(v), "p50_ms": percentile(v, 50), "p99_ms": percentile(v, 99)}
            for name, v in sorted(by_name.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    args = parser.parse_args()
    store = demo_store(args.store)
    ids = prepare(store)
    port = free_port()
    server = start_server(store, port)
    try:
        record = RunRecord()
        samples = asyncio.run(load(port, ids, args.clients, args.seconds))
    finally:
        stop_server(server)
    with open_store(store, "duckdb") as engine:
        size = {t: engine.count(t) for t in ("accounts", "transactions", "alerts", "networks")}
    result = {
        "what": f"{args.clients} concurrent clients, {args.seconds:.0f} s, read endpoints, "
        "loopback; server (one uvicorn process) and clients on the same machine",
        "store": {"path": str(store), **size},
        "seed": SEED,
        **summarise(samples, args.seconds),
        "provenance": record.finish(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "by_endpoint"}, indent=2))


if __name__ == "__main__":
    main()
