"""Fuzzes ingest with damaged CSV, JSON Lines and Parquet files (not a unit test).

Each file is a small, valid transactions file that is then damaged: bytes flipped, inserted
or cut, quotes and delimiters broken, encodings mixed, line breaks mangled, values made
implausible, containers wrapped or truncated. Every file goes through the real `ingest`
into a scratch DuckDB store (one per worker, reused). For each file exactly one of:

- the load balances: rows read = loaded + duplicate + quarantined for every outcome, the
  store grew by exactly the rows reported loaded, and a file whose damage cannot change
  the number of records reports every record it was written with;
- the load fails whole: a `FraudnetError` whose message is one line, and the store is
  unchanged.

Anything else is counted: a traceback (any other exception) or a silent loss.

    python bench/fuzz_ingest.py [--files 10200] [--workers 2] [--seed 13]

Writes bench/results/fuzz_ingest.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import random
import subprocess
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HEADER = ["txn_id", "ts", "amount", "currency", "src_account", "dst_account", "channel"]
GOOD_AMOUNTS = ["5.00", "1250.50", "£1,250.50", "12", "0.10", "99999.99", "1,000,000.00"]
BAD_AMOUNTS = ["1.250,50", "12,50", "0.001", "0.005", "0", "-5", "abc", "", "1e3", "1,25,0"]
GOOD_TIMES = [
    "2024-01-01 10:00:00",
    "2024-01-01T11:00Z",
    "2024-01-01T11:00:00+01:00",
    "2024-01-01T11:00-05",
    "2024-02-29",
    "2024-01-01T11:00:00.5+0100",
]
BAD_TIMES = [
    "9999-12-31",
    "2024-01-01 11:00 BST",
    "1969-01-01",
    "2024-13-01",
    "yesterday",
    "2024-01-01 11:00 EST",
    "",
]
ACCOUNTS = [
    "A1",
    "12-34-56 12345678",
    "GB29 NWBK 6016 1331 9268 19",
    "\u200bA2",
    "A\tB",
    "A\x00C",
    " A3 ",
    "",
]
CHANNELS = ["fps", "FPS", "chaps", "card", "teleport", ""]
COUNTED_MUTATIONS = {"none", "bad_values", "bom", "utf16", "gzip", "zstd", "crlf"}
"""Damage that cannot change how many records a file holds: every one must be reported."""


@dataclass
class FileCase:
    fmt: str
    name: str
    data: bytes
    mutation: str
    records: int  # data records written before damage


@dataclass
class WorkerTally:
    outcomes: Counter[str] = field(default_factory=Counter)
    by_format: Counter[str] = field(default_factory=Counter)
    tracebacks: list[dict[str, str]] = field(default_factory=list)
    silent_losses: list[dict[str, str]] = field(default_factory=list)
    multi_line_errors: list[dict[str, str]] = field(default_factory=list)
    rows_read: int = 0
    rows_quarantined: int = 0


# ---- making files --------------------------------------------------------------------
def _rows(rng: random.Random, n: int, bad: bool) -> list[list[str]]:
    rows = []
    for _ in range(n):
        pick_bad = bad and rng.random() < 0.3
        rows.append(
            [
                f"t{rng.randrange(10**6)}",
                rng.choice(BAD_TIMES if pick_bad and rng.random() < 0.5 else GOOD_TIMES),
                rng.choice(BAD_AMOUNTS if pick_bad and rng.random() < 0.5 else GOOD_AMOUNTS),
                rng.choice(["GBP", "gbp", "EUR", "XXX"] if pick_bad else ["GBP"]),
                rng.choice(ACCOUNTS if pick_bad else ACCOUNTS[:3]),
                rng.choice(ACCOUNTS[:3]),
                rng.choice(CHANNELS if pick_bad else CHANNELS[:4]),
            ]
        )
    return rows


def _csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    def cell(value: str) -> str:
        if any(c in value for c in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(HEADER)] + [delimiter.join(cell(v) for v in r) for r in rows]
    return "\n".join(lines) + "\n"


def _jsonl_text(rows: list[list[str]]) -> str:
    return "".join(json.dumps(dict(zip(HEADER, r, strict=True))) + "\n" for r in rows)


def _zstd(data: bytes) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.CompressedOutputStream(sink, "zstd") as out:
        out.write(data)
    return bytes(sink.getvalue().to_pybytes())


def _flip(rng: random.Random, data: bytes, n: int) -> bytes:
    buf = bytearray(data)
    for _ in range(n):
        if buf:
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def _insert(rng: random.Random, data: bytes, piece: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece + data[at:]


def _text_mutations(rng: random.Random) -> dict[str, Callable[[bytes], bytes]]:
    return {
        "none": lambda d: d,
        "bad_values": lambda d: d,
        "flip": lambda d: _flip(rng, d, rng.randint(1, 8)),
        "truncate": lambda d: d[: rng.randrange(1, max(2, len(d)))],
        "delete": lambda d: (lambda a: d[:a] + d[a + rng.randint(1, 20) :])(
            rng.randrange(max(len(d), 1))
        ),
        "quote": lambda d: _insert(rng, d, b'"'),
        "quotes": lambda d: d.replace(b",", b',"', rng.randint(1, 3)),
        "unquote": lambda d: d.replace(b'"', b"", rng.randint(1, 3)),
        "delimiter": lambda d: d.replace(b",", rng.choice([b";", b"\t", b"|"]), rng.randint(1, 99)),
        "bad_utf8": lambda d: _insert(rng, d, rng.choice([b"\xff", b"\xc3", b"\xe2\x82", b"\x80"])),
        "latin1": lambda d: d.decode("utf-8", "replace").encode("latin-1", "replace"),
        "utf16": lambda d: d.decode("utf-8").encode("utf-16"),
        "utf16_nobom": lambda d: d.decode("utf-8").encode("utf-16-le"),
        "bom": lambda d: b"\xef\xbb\xbf" + d,
        "lone_cr": lambda d: d.replace(b"\n", b"\r", rng.randint(1, 3)),
        "crlf": lambda d: d.replace(b"\n", b"\r\n"),
        "nul": lambda d: _insert(rng, d, b"\x00"),
        "blank_lines": lambda d: d.replace(b"\n", b"\n\n", rng.randint(1, 3)),
        "dup_header": lambda d: d.replace(b"currency", b"amount", 1),
        "gzip": gzip.compress,
        "zstd": _zstd,
        "gzip_cut": lambda d: (lambda z: z[: rng.randrange(1, len(z))])(gzip.compress(d)),
        "zstd_flip": lambda d: _flip(rng, _zstd(d), rng.randint(1, 4)),
        "empty_field_names": lambda d: d.replace(b"channel", b"", 1),
    }


def _parquet_bytes(rng: random.Random, rows: list[list[str]]) -> bytes:
    columns = {name: [r[i] for r in rows] for i, name in enumerate(HEADER)}
    table = pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})
    if rng.random() < 0.4:  # typed columns, as a bank's export might hold them
        amounts = [rng.choice([5.0, 0.1, 1250.5, 0.005, 0.0, -3.0, 1e20]) for _ in rows]
        table = table.set_column(2, "amount", pa.array(amounts, pa.float64()))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, row_group_size=rng.choice([3, 1000]))
    return bytes(sink.getvalue().to_pybytes())


def _parquet_mutations(rng: random.Random) -> dict[str, Callable[[bytes], bytes]]:
    return {
        "none": lambda d: d,
        "bad_values": lambda d: d,
        "flip": lambda d: _flip(rng, d, rng.randint(1, 6)),
        "truncate": lambda d: d[: rng.randrange(1, len(d))],
        "cut_tail": lambda d: d[: -rng.randint(1, 40)],
        "csv_inside": lambda d: _csv_text([["t1"] * 7]).encode(),
        "gzip": gzip.compress,
        "flip_footer": lambda d: d[:-60] + _flip(rng, d[-60:], rng.randint(1, 3)),
    }


def make_case(rng: random.Random, index: int) -> FileCase:
    fmt = ("csv", "jsonl", "parquet")[index % 3]
    n = rng.randint(0, 25)
    rows = _rows(rng, n, bad=True)
    if fmt == "parquet":
        mutations = _parquet_mutations(rng)
        name = rng.choice(list(mutations))
        data = mutations[name](_parquet_bytes(rng, rows))
        suffix = ".parquet.gz" if name == "gzip" else ".parquet"
    else:
        text = _csv_text(rows) if fmt == "csv" else _jsonl_text(rows)
        mutations = _text_mutations(rng)
        name = rng.choice(list(mutations))
        data = mutations[name](text.encode())
        suffix = {"gzip": ".gz", "gzip_cut": ".gz", "zstd": ".zst", "zstd_flip": ".zst"}.get(
            name, ""
        )
        suffix = f".{fmt}{suffix}"
    return FileCase(fmt, f"f{index}{suffix}", data, name, n)


# ---- loading them --------------------------------------------------------------------
def _store_counts(store: object) -> tuple[int, int, int]:
    from fraudnet.engine import Engine

    assert isinstance(store, Engine)
    return (store.count("transactions"), store.count("quarantine"), store.count("ingest_log"))


def run_worker(args: tuple[int, int, int, str]) -> WorkerTally:
    worker, seed, files, workdir = args
    from fraudnet.engine import open_engine
    from fraudnet.errors import FraudnetError
    from fraudnet.ingest import ingest

    rng = random.Random(seed * 1000 + worker)
    tally = WorkerTally()
    folder = Path(workdir) / f"w{worker}"
    folder.mkdir()
    with open_engine(folder / "store.duckdb", "duckdb") as store:
        for i in range(files):
            case = make_case(rng, i)
            path = folder / case.name
            path.write_bytes(case.data)
            before = _store_counts(store)
            tally.by_format[case.fmt] += 1
            where = {"file": case.name, "format": case.fmt, "mutation": case.mutation}
            try:
                result = ingest(store, path, table="transactions")
            except FraudnetError as err:
                after = _store_counts(store)
                kind = "failed_whole" if after == before else "failed_but_changed_store"
                tally.outcomes[kind] += 1
                if "\n" in str(err):
                    tally.multi_line_errors.append({**where, "error": str(err)[:300]})
                if kind != "failed_whole":
                    tally.silent_losses.append({**where, "why": "error after a partial commit"})
            except Exception as err:
                tally.outcomes["traceback"] += 1
                tally.tracebacks.append(
                    {
                        **where,
                        "error": f"{type(err).__name__}: {str(err)[:300]}",
                        "where": traceback.format_exc().strip().splitlines()[-3][:300],
                    }
                )
            else:
                _check_balanced(store, case, result, before, tally, where)
            path.unlink()
    return tally


def _check_balanced(
    store: object,
    case: FileCase,
    result: object,
    before: tuple[int, int, int],
    tally: WorkerTally,
    where: dict[str, str],
) -> None:
    from fraudnet.ingest import IngestResult

    assert isinstance(result, IngestResult)
    after = _store_counts(store)
    problems = []
    for o in result.outcomes:
        tally.rows_read += o.rows_read
        tally.rows_quarantined += o.rows_quarantined
        if o.rows_read != o.rows_loaded + o.rows_duplicate + o.rows_quarantined:
            problems.append(
                f"read {o.rows_read} != {o.rows_loaded}+{o.rows_duplicate}+{o.rows_quarantined}"
            )
    if after[0] - before[0] != result.rows_loaded:
        problems.append(f"store grew by {after[0] - before[0]}, reported {result.rows_loaded}")
    read = sum(o.rows_read for o in result.outcomes)
    if case.mutation in COUNTED_MUTATIONS and read != case.records:
        problems.append(f"file holds {case.records} records, {read} reported read")
    if problems:
        tally.silent_losses.append({**where, "why": "; ".join(problems)})
        tally.outcomes["silent_loss"] += 1
    else:
        tally.outcomes["balanced"] += 1


def _merge(tallies: list[WorkerTally]) -> WorkerTally:
    total = WorkerTally()
    for t in tallies:
        total.outcomes.update(t.outcomes)
        total.by_format.update(t.by_format)
        total.tracebacks += t.tracebacks
        total.silent_losses += t.silent_losses
        total.multi_line_errors += t.multi_line_errors
        total.rows_read += t.rows_read
        total.rows_quarantined += t.rows_quarantined
    return total


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "src"], capture_output=True, text=True)
    return done.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=Path("bench/results/fuzz_ingest.json"))
    args = parser.parse_args()
    load_before = os.getloadavg()
    started = time.perf_counter()
    per_worker = [
        args.files // args.workers + (w < args.files % args.workers) for w in range(args.workers)
    ]
    with tempfile.TemporaryDirectory() as workdir:
        jobs = [(w, args.seed, n, workdir) for w, n in enumerate(per_worker)]
        with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
            total = _merge(pool.map(run_worker, jobs))
    seconds = time.perf_counter() - started
    results = {
        "files": args.files,
        "seed": args.seed,
        "workers": args.workers,
        "by_format": dict(total.by_format),
        "outcomes": dict(total.outcomes),
        "tracebacks": total.outcomes["traceback"],
        "silent_losses": len(total.silent_losses),
        "multi_line_errors": len(total.multi_line_errors),
        "rows_read": total.rows_read,
        "rows_quarantined": total.rows_quarantined,
        "traceback_samples": total.tracebacks[:20],
        "silent_loss_samples": total.silent_losses[:20],
        "multi_line_error_samples": total.multi_line_errors[:5],
        "seconds": round(seconds, 1),
        "commit": _commit(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(
        json.dumps(
            {
                k: results[k]
                for k in ("outcomes", "tracebacks", "silent_losses", "multi_line_errors", "seconds")
            }
        )
    )


if __name__ == "__main__":
    main()
