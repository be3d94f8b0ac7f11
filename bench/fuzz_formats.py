"""Fuzzes the interchange imports with damaged goAML, FtM, camt.053 and pain.001 documents.

Each document is a small valid one (a goAML report exported from a four-account world, the
test samples for the others), then damaged: bytes flipped, inserted or cut, elements
dropped, repeated or renamed, values swapped for hostile ones (huge, negative, malformed
dates, control characters, 10,000 nested elements), DOCTYPEs and entities injected,
namespaces changed; FtM lines get wrong schemata, properties, types and broken JSON.
Identical damaged documents are generated once (the quarantine names a rejection by
content, so a copy would rightly add nothing).

Documents go through the real `ingest` (`--format goaml|ftm|camt053|pain001`) in batches,
into a fresh DuckDB store per batch, in a worker process the parent kills when a batch runs
past its time limit. Each document's reader is first run alone under a per-document limit.
For every document exactly one of:

- it loads and balances: read = loaded + duplicate + quarantined per table, and when any
  record was refused, the quarantine holds a row naming the document's file;
- it is refused whole with a one-line `FraudnetError` naming the file.

Anything else is counted: a traceback, a hang (past the limit), an unnamed rejection.

    nice python bench/fuzz_formats.py [--per-format 10000] [--ingest-sample 100] [--seed 41]

Writes bench/results/fuzz_formats.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import random
import signal
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from provenance import RunRecord

RESULTS = Path(__file__).resolve().parent / "results" / "fuzz_formats.json"
FORMATS = ("goaml", "ftm", "camt053", "pain001")
DOC_LIMIT_S = 10.0
BATCH_S_PER_DOC = 1.0
"""A batch gets 60 s plus this per document before its worker is killed (all count as hangs)."""
HOSTILE = [
    "",
    " ",
    "-1",
    "-0.01",
    "1e309",
    "99999999999999999999.99",
    "0.001",
    "NaN",
    "2026-02-30",
    "1850-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "2026-13-01",
    "yesterday",
    "GBP",
    "XXX",
    "\u0000",
    "\u200b",
    "\x07bell",
    "Zoë Nguyễn O'Brien-Smith",
    "&amp;&lt;&gt;",
    "A" * 5000,
    "]]>",
    "<![CDATA[x]]>",
]
INJECTIONS = [
    b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd">',
    b'<?xml-stylesheet href="http://127.0.0.1:9/x"?>',
    b"<!-- " + b"-" * 100 + b" -->",
]


# ----------------------------------------------------------------------------- seeds


def seeds(work: Path) -> dict[str, list[bytes]]:
    from tests.interchange import samples
    from tests.interchange.world import build_world

    from fraudnet.engine import open_engine
    from fraudnet.interchange.goaml import build_goaml

    with open_engine(work / "seed.duckdb", "duckdb") as engine:
        build_world(engine)
        network = build_goaml(engine, network_id="NW-1").xml
        account = build_goaml(engine, account_id="GB-654321-87654321").xml
    return {
        "goaml": [network, account],
        "ftm": [samples.ftm_lines()],
        "camt053": [
            samples.camt053(),
            samples.camt053(samples.CAMT_ENTRIES.split("</Ntry>")[0] + "</Ntry>"),
        ],
        "pain001": [samples.pain001()],
    }


# ----------------------------------------------------------------------------- mutations


def _bytes_mutations(rng: random.Random) -> dict[str, Callable[[bytes], bytes]]:
    def flip(data: bytes) -> bytes:
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)

    def insert(data: bytes) -> bytes:
        at = rng.randrange(len(data) + 1)
        piece = rng.choice([b"<", b">", b"&", b'"', b"\x00", b"\xff\xfe", b"</x>", b"<x>", b"\n"])
        return data[:at] + piece * rng.randint(1, 3) + data[at:]

    def cut(data: bytes) -> bytes:
        a = rng.randrange(len(data) + 1)
        b = min(len(data), a + rng.randint(1, 200))
        return data[:a] + data[b:]

    def truncate(data: bytes) -> bytes:
        return data[: rng.randrange(len(data) + 1)]

    def encoding(data: bytes) -> bytes:
        text = data.decode("utf-8", "replace")
        return text.encode(rng.choice(["utf-16", "latin-1", "cp1252"]), "replace")

    return {"flip": flip, "insert": insert, "cut": cut, "truncate": truncate, "encoding": encoding}


def _xml_mutations(rng: random.Random) -> dict[str, Callable[[bytes], bytes]]:
    from lxml import etree

    def tree(data: bytes) -> Any:
        return etree.fromstring(data)

    def out(root: Any) -> bytes:
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def elements(root: Any) -> list[Any]:
        return [e for e in root.iter() if isinstance(e.tag, str)]

    def drop(data: bytes) -> bytes:
        root = tree(data)
        victims = [e for e in elements(root) if e.getparent() is not None]
        for e in rng.sample(victims, min(len(victims), rng.randint(1, 3))):
            if e.getparent() is not None:
                e.getparent().remove(e)
        return out(root)

    def repeat(data: bytes) -> bytes:
        root = tree(data)
        e = rng.choice([e for e in elements(root) if e.getparent() is not None])
        e.addnext(etree.fromstring(etree.tostring(e)))
        return out(root)

    def rename(data: bytes) -> bytes:
        root = tree(data)
        e = rng.choice(elements(root))
        e.tag = (etree.QName(e).namespace and f"{{{etree.QName(e).namespace}}}Zz") or "zz"
        return out(root)

    def value(data: bytes) -> bytes:
        root = tree(data)
        leaves = [e for e in elements(root) if len(e) == 0]
        for e in rng.sample(leaves, min(len(leaves), rng.randint(1, 4))):
            try:
                e.text = rng.choice(HOSTILE)
            except ValueError:  # lxml refuses control characters: write them as bytes
                e.text = "bad"
        return out(root).replace(b">bad<", b">\x07\x00<", 1)

    def attribute(data: bytes) -> bytes:
        root = tree(data)
        e = rng.choice(elements(root))
        e.set(rng.choice(["Ccy", "x"]), rng.choice(["", "gbp", "GBPP", "EUR"]))
        return out(root)

    def namespace(data: bytes) -> bytes:
        swaps = [b"camt.053.001.02", b"pain.001.001.03"]
        new = rng.choice([b"camt.053.001.99", b"camt.052.001.02", b"pain.002.001.03", b"x"])
        for s in swaps:
            data = data.replace(s, new)
        return data.replace(b"<report>", b'<report xmlns="urn:x">') if rng.random() < 0.3 else data

    def inject(data: bytes) -> bytes:
        head, sep, rest = data.partition(b"?>")
        piece = rng.choice(INJECTIONS)
        return head + sep + b"\n" + piece + rest if sep else piece + data

    def deep(data: bytes) -> bytes:
        depth = rng.choice([50, 300, 10_000])
        nest = b"<n>" * depth + b"x" + b"</n>" * depth
        at = data.rfind(b"</")
        return data[:at] + nest + data[at:]

    return {
        "drop": drop,
        "repeat": repeat,
        "rename": rename,
        "value": value,
        "attribute": attribute,
        "namespace": namespace,
        "inject": inject,
        "deep": deep,
    }


def _ftm_mutations(rng: random.Random) -> dict[str, Callable[[bytes], bytes]]:
    def entities(data: bytes) -> list[Any]:
        return [json.loads(line) for line in data.decode().splitlines() if line.strip()]

    def out(items: list[Any]) -> bytes:
        return ("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n").encode()

    def schema(data: bytes) -> bytes:
        items = entities(data)
        rng.choice(items)["schema"] = rng.choice(
            ["Vessel", "person", "", None, 7, "Payment", "BankAccount", "Thing", "Ownership"]
        )
        return out(items)

    def prop(data: bytes) -> bytes:
        items = entities(data)
        item = rng.choice(items)
        props = item.setdefault("properties", {})
        name = rng.choice(["amount", "date", "birthDate", "iban", "currency", "bogus", "name"])
        props[name] = rng.choice(
            [[rng.choice(HOSTILE)], rng.choice(HOSTILE), [1, 2], [None], {"a": 1}, [], [["x"]]]
        )
        return out(items)

    def drop(data: bytes) -> bytes:
        items = entities(data)
        item = rng.choice(items)
        key = rng.choice(["id", "schema", "properties"])
        item.pop(key, None)
        if rng.random() < 0.5:
            items.remove(rng.choice(items))
        return out(items) if items else b"\n"

    def shape(data: bytes) -> bytes:
        items: list[Any] = entities(data)
        at = rng.randrange(len(items))
        items[at] = rng.choice([[], "x", 3, None, {"id": "x"}, {"id": "", "schema": "Person"}])
        return out(items)

    def dup(data: bytes) -> bytes:
        items = entities(data)
        twin = json.loads(json.dumps(rng.choice(items)))
        props = twin.get("properties") or {}
        if "amount" in props:
            props["amount"] = ["1.00"]
        items.append(twin)
        return out(items)

    def nest(data: bytes) -> bytes:
        return data + b"[" * 5000 + b"\n"

    return {"schema": schema, "prop": prop, "drop": drop, "shape": shape, "dup": dup, "nest": nest}


def documents(
    fmt: str, seed_docs: list[bytes], n: int, rng: random.Random
) -> list[tuple[str, bytes]]:
    """`n` distinct damaged documents: one to three mutations each (structural ones first)."""
    byte_level = _bytes_mutations(rng)
    structural = _ftm_mutations(rng) if fmt == "ftm" else _xml_mutations(rng)
    made: list[tuple[str, bytes]] = []
    seen: set[str] = set()
    tries = 0
    while len(made) < n and tries < n * 20:
        tries += 1
        data = rng.choice(seed_docs)
        names = []
        for _ in range(rng.randint(1, 3)):
            pool = structural if rng.random() < 0.6 else byte_level
            name = rng.choice(sorted(pool))
            try:
                data = pool[name](data)
            except Exception:  # a structural mutation needs a readable document: skip it
                continue
            names.append(name)
        digest = hashlib.sha256(data).hexdigest()
        if not names or digest in seen:
            continue
        seen.add(digest)
        made.append(("+".join(names), data))
    return made


# ----------------------------------------------------------------------------- running


class _DocTimeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _DocTimeout


def read_batch(batch: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """In the worker: every document's reader alone, under the per-document limit."""
    from fraudnet.errors import FraudnetError
    from fraudnet.ingest.readers import get_input_format
    from fraudnet.ingest.sources import get_source_format

    signal.signal(signal.SIGALRM, _alarm)
    results: list[dict[str, Any]] = []
    for fmt, mutation, path in batch:
        record: dict[str, Any] = {"format": fmt, "mutation": mutation, "file": path}
        source = get_source_format(fmt)
        reader = get_input_format(source.input_format)  # type: ignore[attr-defined]
        started = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, DOC_LIMIT_S)
        try:
            got = reader.read_document(Path(path))  # type: ignore[attr-defined]
            rows = sum(len(v) for v in got.rows.values())
            rejects = [r for v in got.rejects.values() for r in v]
            record["rows"], record["rejects"] = rows, len(rejects)
            if rows + len(rejects) == 0:
                record["outcome"] = "no_outcome"
            elif any(line < 1 or " at /" not in reason for line, reason, _ in rejects):
                record["outcome"] = "unnamed_rejection"
            else:
                record["outcome"] = "refused_entries" if rejects else "read_clean"
        except _DocTimeout:
            record["outcome"] = "hang"
        except FraudnetError as err:
            message = str(err)
            ok = path in message and "\n" not in message
            record["outcome"] = "refused_whole" if ok else "unnamed_refusal"
            record["message"] = message[:300]
        except Exception:
            record["outcome"] = "traceback"
            record["traceback"] = traceback.format_exc(limit=6)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        record["reader_s"] = round(time.perf_counter() - started, 4)
        results.append(record)
    return results


def ingest_batch(batch: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """In the worker: the real ingest of each document into a fresh store, quarantine checked."""
    from fraudnet.engine import open_engine
    from fraudnet.errors import FraudnetError
    from fraudnet.ingest import ingest

    results: list[dict[str, Any]] = []
    for fmt, mutation, path in batch:
        r: dict[str, Any] = {"format": fmt, "mutation": mutation, "file": path}
        started = time.perf_counter()
        with (
            tempfile.TemporaryDirectory() as scratch,
            open_engine(Path(scratch) / "s.duckdb", "duckdb") as store,
        ):
            try:
                res = ingest(store, path, source_format=fmt)
                named = {
                    row["file"]
                    for row in store.sql("SELECT DISTINCT file FROM quarantine").to_pylist()
                }
                r["rows_read"] = sum(o.rows_read for o in res.outcomes)
                r["rows_loaded"] = sum(o.rows_loaded for o in res.outcomes)
                r["rows_quarantined"] = res.rows_quarantined
                grew = sum(store.count(t) for t in ("parties", "accounts", "transactions"))
                if grew != r["rows_loaded"]:
                    r["outcome"] = "silent_loss"
                elif r["rows_read"] == 0:
                    r["outcome"] = "no_outcome"
                elif res.rows_quarantined and path not in named:
                    r["outcome"] = "unnamed_rejection"
                elif res.rows_quarantined:
                    r["outcome"] = "loaded_some" if r["rows_loaded"] else "rejected_named"
                else:
                    r["outcome"] = "loaded_clean"
            except FraudnetError as err:
                message = str(err)
                ok = path in message and "\n" not in message
                r["outcome"] = "refused_whole" if ok else "unnamed_refusal"
                if "rows do not add up" in message:
                    r["outcome"] = "accounting_error"
                r["message"] = message[:300]
            except Exception:
                r["outcome"], r["traceback"] = "traceback", traceback.format_exc(limit=6)
        r["ingest_s"] = round(time.perf_counter() - started, 3)
        results.append(r)
    return results


def _run(
    runner: Callable[[list[tuple[str, str, str]]], list[dict[str, Any]]],
    tasks: list[tuple[str, str, str]],
    size: int,
    per_doc_s: float,
) -> list[dict[str, Any]]:
    """Batches in one worker process; a batch past its limit is killed and counted as hangs."""
    ctx = mp.get_context("fork")
    pool = ctx.Pool(1)
    results: list[dict[str, Any]] = []
    batches = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    for n, batch in enumerate(batches, start=1):
        pending = pool.apply_async(runner, (batch,))
        try:
            results += pending.get(timeout=per_doc_s * len(batch) + 60)
        except mp.TimeoutError:
            pool.terminate()
            pool = ctx.Pool(1)
            results += [
                {"format": f, "mutation": m, "file": p, "outcome": "hang"} for f, m, p in batch
            ]
        if n % 10 == 0 or n == len(batches):
            done = Counter(r["outcome"] for r in results)
            print(f"{runner.__name__}: {len(results)}/{len(tasks)} {dict(done)}", flush=True)
    pool.close()
    pool.join()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-format", type=int, default=10_000)
    parser.add_argument("--ingest-sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=41)
    args = parser.parse_args()
    record = RunRecord()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="fuzz-formats-") as tmp:
        work = Path(tmp)
        seed_docs = seeds(work)
        tasks: list[tuple[str, str, str]] = []
        for fmt in FORMATS:
            suffix = ".json" if fmt == "ftm" else ".xml"
            for i, (mutation, data) in enumerate(
                documents(fmt, seed_docs[fmt], args.per_format, rng)
            ):
                path = work / fmt / f"{i:05d}{suffix}"
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(data)
                tasks.append((fmt, mutation, str(path)))
        rng.shuffle(tasks)
        read = _run(read_batch, tasks, 500, BATCH_S_PER_DOC)
        sample = [
            t for fmt in FORMATS for t in [x for x in tasks if x[0] == fmt][: args.ingest_sample]
        ]
        ingested = _run(ingest_batch, sample, 25, BATCH_S_PER_DOC * 10)
    summary = _summary(read, ingested, args)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({**summary, "provenance": record.finish()}, indent=2) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "samples"}, indent=2))


BAD = (
    "traceback",
    "hang",
    "unnamed_rejection",
    "unnamed_refusal",
    "no_outcome",
    "accounting_error",
    "silent_loss",
)


def _tier(results: list[dict[str, Any]], fmt: str, seconds: str) -> dict[str, Any]:
    mine = [r for r in results if r["format"] == fmt]
    return {
        "documents": len(mine),
        "outcomes": dict(Counter(r["outcome"] for r in mine).most_common()),
        "slowest_s": max((r.get(seconds, 0.0) for r in mine), default=0.0),
        "mean_s": round(sum(r.get(seconds, 0.0) for r in mine) / max(len(mine), 1), 4),
    }


def _summary(
    read: list[dict[str, Any]], ingested: list[dict[str, Any]], args: argparse.Namespace
) -> dict[str, Any]:
    by_format: dict[str, Any] = {}
    for fmt in FORMATS:
        reader = _tier(read, fmt, "reader_s")
        reader["mutations"] = dict(
            Counter(m for r in read if r["format"] == fmt for m in r["mutation"].split("+"))
        )
        full = _tier(ingested, fmt, "ingest_s")
        mine = [r for r in ingested if r["format"] == fmt]
        full["rows_read"] = sum(r.get("rows_read", 0) for r in mine)
        full["rows_loaded"] = sum(r.get("rows_loaded", 0) for r in mine)
        full["rows_quarantined"] = sum(r.get("rows_quarantined", 0) for r in mine)
        by_format[fmt] = {"reader": reader, "ingest": full}
    failures = [r for r in read + ingested if r["outcome"] in BAD]
    return {
        "seed": args.seed,
        "per_format_requested": args.per_format,
        "documents_read": len(read),
        "documents_ingested": len(ingested),
        "per_document_limit_s": DOC_LIMIT_S,
        "failures": {k: sum(1 for r in failures if r["outcome"] == k) for k in BAD},
        "by_format": by_format,
        "samples": [
            {k: r.get(k) for k in ("format", "mutation", "outcome", "traceback", "message")}
            for r in failures[:20]
        ],
    }


if __name__ == "__main__":
    main()
