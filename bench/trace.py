"""Benchmark: trace 10,000 fraud reports through a 10M-transaction ledger under each rule.

    .venv/bin/python bench/trace.py [--scale 1.0] [--baseline-reports N]

Generates (once, cached under /tmp) a UK-like ledger with numpy: a population of personal
and business accounts with salaries, card spending, bills, person-to-person payments and
cash; 10,000 victims paying first-tier mules (recruited from the population, so their own
money mixes with the victims'), who forward to second-tier mules shared across first-tier
mules (mixing victims), who forward to collectors, who cash out by international wire and
crypto; mules also withdraw cash and keep a cut they spend like anyone else.

Times `trace_reports` end to end (reachability, restricted ledger, lot engine, writing
`traces` and `trace_flows`) for each rule, and the baseline a competent engineer would
write: one time-ordered pass over the whole ledger carrying every report's taint together
(`fraudnet.trace.reference.walk`, FIFO), timed in the same run on the same store, with its
totals checked against fraudnet's FIFO totals. Writes bench/results/trace.json with the
commit and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from provenance import RunRecord

from fraudnet.engine import Engine, open_engine
from fraudnet.trace import rule_names, trace_reports
from fraudnet.trace.money import money_array
from fraudnet.trace.reference import walk

START = datetime(2025, 1, 1)
DAYS = 90
SECONDS = DAYS * 86_400
RESULTS = Path(__file__).parent / "results" / "trace.json"
BANKS = np.array(
    [
        "BARCGB22",
        "LOYDGB2L",
        "HBUKGB4B",
        "NWBKGB2L",
        "MIDLGB22",
        "SRLGGB2L",
        "MONZGB2L",
        "REVOGB21",
        "NAIAGB21",
        "CPBKGB22",
        "TSBSGB2A",
        "ABBYGB2L",
    ]
)


def _money(pence: np.ndarray) -> pa.Array:
    return money_array(pence.astype(np.int64))


class Builder:
    """Collects transaction columns as numpy arrays (account ids as integers)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.parts: list[dict[str, np.ndarray]] = []

    def add(
        self,
        src: np.ndarray | int,
        dst: np.ndarray | int,
        ts: np.ndarray,
        pence: np.ndarray,
        channel: str,
    ) -> None:
        n = len(ts)
        self.parts.append(
            {
                "src": np.broadcast_to(src, n).astype(np.int64),
                "dst": np.broadcast_to(dst, n).astype(np.int64),
                "ts": np.clip(ts, 0, SECONDS - 1).astype(np.int64),
                "pence": np.maximum(pence, 1).astype(np.int64),
                "channel": np.full(n, CHANNELS.index(channel), np.int8),
            }
        )

    def columns(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}


CHANNELS = ["fps", "chaps", "bacs", "card", "cash_in", "cash_out", "intl_wire", "crypto"]
NONE = -1  # no account (cash)
OUTSIDE = -2  # an account outside the data (id made per row)


def generate(n_tx: int, n_reports: int, seed: int = 7) -> tuple[pa.Table, pa.Table, pa.Table]:
    rng = np.random.default_rng(seed)
    scale = n_tx / 10_000_000
    n_personal = int(500_000 * scale) + 1_000
    n_business = int(20_000 * scale) + 100
    n_t1, n_t2, n_coll = (
        max(n_reports * 4 // 5, 10),
        max(n_reports // 7, 4),
        max(n_reports // 33, 2),
    )
    personal = np.arange(n_personal)
    business = np.arange(n_personal, n_personal + n_business)
    collectors = np.arange(n_personal + n_business, n_personal + n_business + n_coll)
    n_accounts = n_personal + n_business + n_coll
    mules = rng.choice(personal, n_t1 + n_t2, replace=False)  # recruited from the population
    t1, t2 = mules[:n_t1], mules[n_t1:]
    honest = np.setdiff1d(personal, mules)  # mule accounts are dedicated: no bills, no p2p out
    b = Builder(rng)
    fraud_budget = n_reports * 9
    legit = n_tx - fraud_budget
    # --- legitimate life -------------------------------------------------------------
    n_sal = min(n_personal * 3, legit // 6)
    emp = rng.integers(0, n_business, n_personal)  # each person's employer
    who = rng.choice(personal, n_sal)
    month = rng.integers(0, 3, n_sal)
    b.add(
        business[emp[who]],
        who,
        month * 30 * 86_400 + 25 * 86_400 + rng.integers(0, 3600, n_sal),
        rng.lognormal(np.log(220_000), 0.4, n_sal),
        "bacs",
    )
    weights = rng.pareto(1.2, n_business) + 1  # a few merchants take most card spending
    weights /= weights.sum()
    n_card = legit * 50 // 100
    b.add(
        rng.choice(personal, n_card),
        rng.choice(business, n_card, p=weights),
        rng.integers(0, SECONDS, n_card),
        rng.lognormal(np.log(2_500), 1.0, n_card),
        "card",
    )
    n_bill = legit * 10 // 100
    b.add(
        rng.choice(honest, n_bill),
        rng.choice(business[: max(n_business // 50, 1)], n_bill),
        rng.integers(0, SECONDS, n_bill),
        rng.lognormal(np.log(8_000), 0.6, n_bill),
        "bacs",
    )
    n_p2p = legit * 18 // 100
    b.add(
        rng.choice(honest, n_p2p),
        rng.choice(personal, n_p2p),
        rng.integers(0, SECONDS, n_p2p),
        rng.lognormal(np.log(4_000), 1.0, n_p2p),
        "fps",
    )
    n_b2b = legit * 3 // 100
    b.add(
        rng.choice(business, n_b2b),
        rng.choice(business, n_b2b),
        rng.integers(0, SECONDS, n_b2b),
        rng.lognormal(np.log(300_000), 1.0, n_b2b),
        "chaps",
    )
    n_cash = legit * 1 // 100
    b.add(
        NONE,
        rng.choice(personal, n_cash),
        rng.integers(0, SECONDS, n_cash),
        rng.lognormal(np.log(10_000), 0.8, n_cash),
        "cash_in",
    )
    used = n_sal + n_card + n_bill + n_p2p + n_b2b + n_cash
    n_atm = max(legit - used, 0)
    b.add(
        rng.choice(personal, n_atm),
        NONE,
        rng.integers(0, SECONDS, n_atm),
        rng.integers(1, 25, n_atm) * 1_000,
        "cash_out",
    )
    # --- fraud: victims -> tier-1 mules -> tier-2 -> collectors -> exits --------------
    victims = rng.choice(honest, n_reports, replace=False)
    # Some mules take many victims before they are offboarded (lognormal popularity: the
    # busiest of 8,000 takes a few dozen), most take one or two.
    popularity = rng.lognormal(0.0, 1.0, n_t1)
    t1_of = rng.choice(t1, n_reports, p=popularity / popularity.sum())
    v_ts = rng.integers(0, SECONDS - 10 * 86_400, n_reports)
    v_amt = np.minimum(rng.lognormal(np.log(120_000), 1.0, n_reports), 4_000_000).astype(np.int64)
    first_fraud = len(b.parts)
    b.add(victims, t1_of, v_ts, v_amt, "fps")
    handler = {m: rng.choice(t2, 2, replace=False) for m in np.unique(t1_of)}
    h = np.array([handler[m][rng.integers(0, 2)] for m in t1_of])
    t1_ts = v_ts + rng.exponential(7_200, n_reports).astype(np.int64) + 60
    b.add(t1_of, h, t1_ts, v_amt * 85 // 100, "fps")
    b.add(t1_of, NONE, t1_ts + 600, v_amt * 5 // 100, "cash_out")
    coll_of = collectors[rng.integers(0, n_coll, n_t2)]
    t2_index = {m: i for i, m in enumerate(t2)}
    to_coll = coll_of[np.array([t2_index[x] for x in h])]
    t2_ts = t1_ts + rng.exponential(21_600, n_reports).astype(np.int64) + 60
    b.add(h, to_coll, t2_ts, v_amt * 75 // 100, "fps")
    b.add(h, OUTSIDE, t2_ts + 300, v_amt * 5 // 100, "crypto")
    c_ts = t2_ts + rng.exponential(43_200, n_reports).astype(np.int64) + 60
    b.add(to_coll, OUTSIDE, c_ts, v_amt * 45 // 100, "intl_wire")
    b.add(to_coll, OUTSIDE, c_ts + 900, v_amt * 20 // 100, "crypto")
    cols = b.columns()
    n = len(cols["ts"])
    order = rng.permutation(n)  # rows arrive in no particular order
    cols = {k: v[order] for k, v in cols.items()}
    fraud_start = sum(len(p["ts"]) for p in b.parts[:first_fraud])
    victim_row = np.argsort(order)[fraud_start : fraud_start + n_reports]
    txn_ids = pa.array([f"T{i:09d}" for i in range(n)])
    src = _ids(cols["src"], n)
    dst = _ids(cols["dst"], n)
    transactions = pa.table(
        {
            "txn_id": txn_ids,
            "ts": pa.array(
                cols["ts"] * 1_000_000 + int(START.timestamp() * 1_000_000), pa.int64()
            ).cast(pa.timestamp("us")),
            "amount": _money(cols["pence"]),
            "currency": pa.array(np.full(n, "GBP")),
            "src_account": src,
            "dst_account": dst,
            "channel": pa.array(np.array(CHANNELS)[cols["channel"]]),
            "source": pa.array(np.full(n, "bench")),
        }
    )
    ids = np.arange(n_accounts)
    opening = np.where(
        ids < n_personal,
        rng.lognormal(np.log(150_000), 1.0, n_accounts),
        rng.lognormal(np.log(5_000_000), 1.0, n_accounts),
    )
    opening[mules] = rng.integers(0, 20_000, len(mules))
    opening[collectors] = 0
    jur = np.where(np.isin(ids, collectors), rng.choice(["LT", "NL", "AE", "GB"], n_accounts), "GB")
    accounts = pa.table(
        {
            "account_id": pa.array([f"GB-{i:08d}" for i in ids]),
            "institution": pa.array(BANKS[ids % len(BANKS)]),
            "jurisdiction": pa.array(jur),
            "kind": pa.array(np.where(ids < n_personal, "personal", "business")),
            "currency": pa.array(np.full(n_accounts, "GBP")),
            "opening_balance": _money(opening.astype(np.int64)),
        }
    )
    reported = (START + timedelta(days=1)).isoformat()
    reports = pa.table(
        {
            "report_id": pa.array([f"R{i:06d}" for i in range(n_reports)]),
            "txn_id": txn_ids.take(pa.array(victim_row)),
            "victim_party_id": pa.array([f"P-{v:08d}" for v in victims]),
            "fraud_type": pa.array(np.full(n_reports, "investment")),
            "reported_at": pa.array(np.full(n_reports, reported)).cast(pa.timestamp("us")),
            "amount": _money(v_amt),
        }
    )
    return transactions, accounts, reports


def _ids(values: np.ndarray, n: int) -> pa.Array:
    names = np.char.add("GB-", np.char.zfill(values.astype(str), 8)).astype(object)
    names[values == NONE] = None
    outside = values == OUTSIDE
    names[outside] = [f"XX-{i}" for i in np.flatnonzero(outside)]
    return pa.array(names, pa.string())


def build_store(path: Path, n_tx: int, n_reports: int) -> float:
    if path.exists():
        return 0.0
    t0 = time.perf_counter()
    transactions, accounts, reports = generate(n_tx, n_reports)
    tmp = path.with_suffix(".tmp")
    for stale in (tmp, Path(f"{tmp}.wal"), Path(f"{path}.wal")):
        stale.unlink(missing_ok=True)
    with open_engine(tmp, "duckdb") as engine:
        engine.append("accounts", accounts)
        engine.append("fraud_reports", reports)
        engine.append("transactions", transactions)
    tmp.rename(path)
    return time.perf_counter() - t0


def baseline(engine: Engine, n_reports: int | None) -> dict[str, Any]:
    """The one-pass walk a competent engineer would write: read the ledger once, in time order,
    and carry every report's taint through it together (`fraudnet.trace.reference.walk`, FIFO).

    Timed end to end like `trace_reports` (reading the ledger and the reports included). With
    `n_reports` the walk carries only the first reports; the ledger is still read and walked
    whole, so its cost barely depends on how many reports ride along.
    """
    t0 = time.perf_counter()
    limit = "" if n_reports is None else f" LIMIT {int(n_reports)}"
    reports = engine.sql(
        "SELECT r.report_id, r.txn_id, CAST(r.amount * 100 AS BIGINT) AS pence "
        f"FROM fraud_reports r ORDER BY r.report_id{limit}"
    ).to_pylist()
    accounts = engine.sql(
        "SELECT account_id, CAST(opening_balance * 100 AS BIGINT) AS p FROM accounts"
    )
    openings = dict(
        zip(accounts.column(0).to_pylist(), accounts.column(1).to_pylist(), strict=True)
    )
    known = set(openings)
    ledger = engine.sql(
        "SELECT txn_id, CAST(amount * 100 AS BIGINT), src_account, dst_account, channel "
        "FROM transactions WHERE src_account IS NULL OR dst_account IS NULL "
        "OR src_account <> dst_account ORDER BY ts, txn_id"
    )
    cols: list[list[Any]] = [ledger.column(i).to_pylist() for i in range(5)]
    del ledger
    read_s = time.perf_counter() - t0
    victims: dict[str, list[tuple[str, int]]] = {}
    for rep in reports:
        victims.setdefault(rep["txn_id"], []).append((rep["report_id"], rep["pence"]))
    result = walk(cols[0], cols[1], cols[2], cols[3], cols[4], openings, known, victims, "fifo")
    seconds = time.perf_counter() - t0
    return {
        "rule": "fifo",
        "reports_carried": len(reports),
        "transactions_walked": len(cols[0]),
        "read_s": round(read_s, 2),
        "seconds": round(seconds, 2),
        "totals": {
            "held": _pounds(sum(result.held.values())),
            "exited": _pounds(sum(result.exited.values())),
            "unexplained": _pounds(sum(result.unexplained.values())),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10M transactions")
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument(
        "--baseline-reports",
        type=int,
        default=None,
        help="reports the one-pass baseline carries (default: all; 0 skips the baseline)",
    )
    parser.add_argument("--rules", default=",".join(rule_names()))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    record = RunRecord()
    n_tx = int(10_000_000 * args.scale)
    path = (
        Path(os.environ.get("TMPDIR", "/tmp"))
        / f"fraudnet-bench-trace-{n_tx}-{args.reports}.duckdb"
    )
    gen_s = build_store(path, n_tx, args.reports)
    how = f"generated in {gen_s:.1f} s" if gen_s else "cached"
    print(f"store {path} ({how})", flush=True)
    out: dict[str, Any] = {
        "benchmark": "trace",
        "command": " ".join(["bench/trace.py", *sys.argv[1:]]),
        "transactions": n_tx,
        "reports": args.reports,
        "generate_s": round(gen_s, 1),
        "rules": {},
    }
    with open_engine(path, "duckdb") as engine:
        engine.execute("SET threads = 2")
        for name in ("traces", "trace_flows"):  # start from no stored traces (a first run)
            engine.replace(name, f"SELECT * FROM {name} WHERE FALSE")
        for rule in args.rules.split(","):
            t0 = time.perf_counter()
            result = trace_reports(engine, rule=rule)
            seconds = time.perf_counter() - t0
            totals = {k: str(v) for k, v in result.totals().items()}
            rows = result.traces.num_rows
            flows = result.trace_flows.num_rows
            print(f"{rule:9s} {seconds:7.1f} s  traces={rows} flows={flows} {totals}", flush=True)
            out["rules"][rule] = {
                "seconds": round(seconds, 2),
                "traces": rows,
                "trace_flows": flows,
                "totals": totals,
            }
        out["fraudnet_peak_rss_mib"] = _peak_mib()
        if args.baseline_reports != 0:
            base = baseline(engine, args.baseline_reports)
            out["baseline_one_pass_walk"] = base
            fifo = out["rules"].get("fifo")
            if fifo and base["reports_carried"] == args.reports:
                out["speedup_fifo_vs_baseline"] = round(float(base["seconds"]) / fifo["seconds"], 1)
                out["same_fifo_totals"] = base["totals"] == fifo["totals"]
            print(f"baseline one-pass walk: {base}", flush=True)
    out["peak_rss_mib"] = _peak_mib()
    out["run"] = record.finish()
    print(json.dumps(out, indent=1))
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(out, indent=1) + "\n")


def _pounds(pence: int) -> str:
    return str((Decimal(pence) / 100).quantize(Decimal("0.01")))


def _peak_mib() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


if __name__ == "__main__":
    main()
