"""Differential fuzz of the two CSV readers: the fast path must load what the Python path loads.

Each damaged CSV file from `fuzz_ingest.make_case` is ingested twice, into two scratch
stores: once with the fast path allowed (the default) and once with
`FRAUDNET_CSV_READER=python`. After each file, the two stores' transactions and quarantine
(and the error text, if the load failed) must be identical; the fast-path load must also
balance as `fuzz_ingest` checks it (0 tracebacks, 0 silent losses).

    python bench/fuzz_csv_paths.py [--files 600] [--seed 29]

Writes bench/results/fuzz_csv_paths.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fuzz_ingest import FileCase, WorkerTally, _check_balanced, _store_counts, make_case
from provenance import RunRecord

from fraudnet.engine import Engine, open_engine
from fraudnet.errors import FraudnetError
from fraudnet.ingest import ingest
from fraudnet.ingest.plain_csv import READER_SETTING, scan_plain, stage_plain

QUARANTINE = "target_table, file, line, field, value, reason, raw"


def _csv_case(rng: random.Random, index: int) -> FileCase:
    """Every third case of fuzz_ingest is a CSV one; take only those."""
    return make_case(rng, index * 3)


def _load(store: Engine, path: Path, reader: str) -> tuple[object, str | None]:
    os.environ[READER_SETTING] = reader
    try:
        return ingest(store, path, table="transactions"), None
    except FraudnetError as err:
        return None, str(err)
    finally:
        os.environ.pop(READER_SETTING, None)


def _route(store: Engine, path: Path) -> str:
    """Which reader a file gets: refused by the byte scan, refused by DuckDB, or read by DuckDB."""
    if scan_plain(path, ",") is None:
        return "python: not plain by the byte scan"
    try:
        staged = stage_plain(store, path, ",", "fz_probe", lambda _c, rel: f"SELECT * FROM {rel}")
    except FraudnetError:
        return "refused whole by both: a bad header"
    if staged is None:
        return "python: plain, but DuckDB refused it or its count differed"
    store.drop_temp("fz_probe")
    return "fast path"


def _contents(store: Engine) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rows = store.table("transactions").to_pylist()
    quarantined = store.sql(f"SELECT {QUARANTINE} FROM quarantine ORDER BY {QUARANTINE}")
    return rows, quarantined.to_pylist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--seed", type=int, default=29)
    parser.add_argument("--out", type=Path, default=Path("bench/results/fuzz_csv_paths.json"))
    args = parser.parse_args()
    record = RunRecord()
    rng = random.Random(args.seed)
    tally, kinds, differences = WorkerTally(), Counter[str](), []
    with (
        tempfile.TemporaryDirectory() as tmp,
        open_engine(Path(tmp) / "fast.duckdb", "duckdb") as fast,
        open_engine(Path(tmp) / "python.duckdb", "duckdb") as slow,
    ):
        for i in range(args.files):
            case = _csv_case(rng, i)
            path = Path(tmp) / case.name
            path.write_bytes(case.data)
            kinds[_route(fast, path)] += 1
            before = _store_counts(fast)
            result, fast_error = _load(fast, path, "auto")
            _, slow_error = _load(slow, path, "python")
            where = {"file": case.name, "mutation": case.mutation}
            if result is not None:
                _check_balanced(fast, case, result, before, tally, where)
            if fast_error != slow_error or _contents(fast) != _contents(slow):
                differences.append({**where, "fast": fast_error, "python": slow_error})
            path.unlink()
    results = {
        "files": args.files,
        "seed": args.seed,
        "routes": dict(kinds),
        "differences": len(differences),
        "difference_samples": differences[:20],
        "silent_losses": len(tally.silent_losses),
        "silent_loss_samples": tally.silent_losses[:20],
        "outcomes": dict(tally.outcomes),
        "run": record.finish(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    print(json.dumps({k: results[k] for k in ("routes", "differences", "silent_losses")}))


if __name__ == "__main__":
    main()
