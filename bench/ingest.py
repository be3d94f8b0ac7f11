"""Ingest benchmark: fraudnet's validated, idempotent load against DuckDB's raw read_csv.

Generates a transactions CSV (10M rows by default), then in separate processes (so each
peak RSS is its own) loads it (1) with DuckDB's own `read_csv` into a table, the floor
for any CSV load on this machine, and (2) with `fraudnet ingest` on the DuckDB engine.
Writes bench/results/ingest.json.  Usage: python bench/ingest.py [--rows N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from provenance import RunRecord

RESULTS = Path(__file__).parent / "results" / "ingest.json"

BASELINE = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar = false")
t = time.perf_counter()
con.execute("CREATE TABLE raw AS SELECT * FROM read_csv(?)", [sys.argv[2]])
elapsed = time.perf_counter() - t
rows = con.execute("SELECT COUNT(*) FROM raw").fetchone()[0]
print(elapsed, rows)
"""

FRAUDNET = """
import sys, time
from fraudnet.engine import open_engine
from fraudnet.ingest import ingest
store = open_engine(sys.argv[1], "duckdb")
t = time.perf_counter()
result = ingest(store, sys.argv[2], table="transactions")
elapsed = time.perf_counter() - t
print(elapsed, store.count("transactions"), result.rows_quarantined)
"""

PEAK = "\nprint(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"


def generate(path: Path, rows: int) -> None:
    """A realistic transactions file: UK account ids, pence amounts, a few bad rows."""
    con = duckdb.connect()
    con.execute(
        f"""COPY (
        SELECT 'T' || lpad(CAST(i AS VARCHAR), 10, '0') AS txn_id,
               strftime(TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(i) % 31536000 AS BIGINT)),
                        '%Y-%m-%d %H:%M:%S') AS ts,
               CASE WHEN i % 1000000 = 7 THEN 'n/a'
                    ELSE printf('%.2f', (hash(i * 7) % 500000) / 100.0 + 0.01) END AS amount,
               'GBP' AS currency,
               printf('%02d-%02d-%02d %08d', hash(i) % 90 + 10, hash(i + 1) % 90 + 10, 11,
                      hash(i * 3) % 99999999) AS src_account,
               printf('%02d-%02d-%02d %08d', hash(i + 2) % 90 + 10, hash(i + 3) % 90 + 10, 22,
                      hash(i * 5) % 99999999) AS dst_account,
               CASE WHEN i % 10 = 0 THEN 'card' ELSE 'fps' END AS channel,
               'ref ' || CAST(i % 5000 AS VARCHAR) AS reference
        FROM range({rows}) t(i)
        ) TO '{path}' (HEADER)"""
    )


def run(script: str, *args: str) -> tuple[list[str], int]:
    out = subprocess.run(
        [sys.executable, "-c", script + PEAK, *args], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    return out[0].split(), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs; best is kept")
    args = parser.parse_args()
    record = RunRecord()
    base_runs: list[tuple[float, int]] = []
    fn_runs: list[tuple[float, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "transactions.csv"
        t = time.perf_counter()
        generate(csv_path, args.rows)
        gen_s = time.perf_counter() - t
        for i in range(args.repeat):  # alternate, so both see the same machine load
            (base_s, base_rows), base_kib = run(
                BASELINE, str(Path(tmp) / f"raw{i}.duckdb"), str(csv_path)
            )
            base_runs.append((float(base_s), base_kib))
            (fn_s, fn_rows, fn_q), fn_kib = run(
                FRAUDNET, str(Path(tmp) / f"fn{i}.duckdb"), str(csv_path)
            )
            fn_runs.append((float(fn_s), fn_kib))
        (re_s, re_rows, _), re_kib = run(FRAUDNET, str(Path(tmp) / "fn0.duckdb"), str(csv_path))
    best_base, best_fn = min(base_runs), min(fn_runs)
    result = {
        "rows": args.rows,
        "repeat": args.repeat,
        "generate_s": round(gen_s, 2),
        "duckdb_read_csv_s": round(best_base[0], 2),
        "duckdb_read_csv_all_s": [round(r[0], 2) for r in base_runs],
        "duckdb_read_csv_rows_per_s": round(int(base_rows) / best_base[0]),
        "duckdb_read_csv_peak_rss_mib": round(max(r[1] for r in base_runs) / 1024),
        "fraudnet_ingest_s": round(best_fn[0], 2),
        "fraudnet_ingest_all_s": [round(r[0], 2) for r in fn_runs],
        "fraudnet_rows_per_s": round(args.rows / best_fn[0]),
        "fraudnet_rows_loaded": int(fn_rows),
        "fraudnet_rows_quarantined": int(fn_q),
        "fraudnet_peak_rss_mib": round(max(r[1] for r in fn_runs) / 1024),
        "ratio_fraudnet_over_raw_best": round(best_fn[0] / best_base[0], 2),
        "ratio_fraudnet_over_raw_per_pair": [
            round(f[0] / b[0], 2) for f, b in zip(fn_runs, base_runs, strict=True)
        ],
        "rerun_s": round(float(re_s), 2),
        "rerun_rows_after": int(re_rows),
        "rerun_peak_rss_mib": round(re_kib / 1024),
        "run": record.finish(),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
