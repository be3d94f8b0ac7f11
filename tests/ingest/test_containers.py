"""Encodings and containers: read when they can be, a one-line located error when not."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.ingest import ingest
from tests.ingest.helpers import HEADER, payment, payments, quarantine, write

TEXT = HEADER + "".join(payments(3))


def _zstd(data: bytes) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.CompressedOutputStream(sink, "zstd") as out:
        out.write(data)
    return bytes(sink.getvalue().to_pybytes())


READABLE = {
    "utf8.csv": TEXT.encode(),
    "bom.csv": b"\xef\xbb\xbf" + TEXT.encode(),
    "utf16.csv": TEXT.encode("utf-16"),
    "utf16be.csv": b"\xfe\xff" + TEXT.encode("utf-16-be"),
    "crlf.csv": TEXT.replace("\n", "\r\n").encode(),
    "lone-cr.csv": (HEADER + payment(1).strip() + "\r" + payment(2) + payment(3)).encode(),
    "p.csv.gz": gzip.compress(TEXT.encode()),
    "p.csv.zst": _zstd(TEXT.encode()),
    "gzip-named-plain.csv": gzip.compress(TEXT.encode()),
    "zstd-named-plain.csv": _zstd(TEXT.encode()),
}


@pytest.mark.parametrize("name", sorted(READABLE))
def test_readable_containers(store: Engine, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(READABLE[name])
    (outcome,) = ingest(store, path, table="transactions").outcomes
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (3, 3, 0)
    assert store.table("transactions").column("txn_id").to_pylist() == ["t1", "t2", "t3"]


def test_encoding_option(duck_store: Engine, tmp_path: Path) -> None:
    text = HEADER.replace("channel", "channel,reference").replace("\n", "") + "\n"
    text += "t1,2024-01-01,5,GBP,A,B,fps,Café\n"
    path = tmp_path / "latin.csv"
    path.write_bytes(text.encode("latin-1"))
    ingest(duck_store, path, table="transactions", encoding="latin-1")
    assert duck_store.table("transactions").column("reference").to_pylist() == ["Café"]


def test_bad_utf8_in_first_row_is_quarantined(duck_store: Engine, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(HEADER.encode() + b"t1,2024-01-01,5,GBP,A\xff,B,fps\n" + payment(2).encode())
    ingest(duck_store, path, table="transactions")
    assert duck_store.count("transactions") == 1
    assert [(r["line"], r["reason"]) for r in quarantine(duck_store)] == [
        (2, "malformed CSV row: invalid UTF-8")
    ]


def _truncated_parquet(path: Path) -> None:
    pq.write_table(pa.table({"txn_id": ["t1"], "ts": ["2024-01-01"]}), path)
    path.write_bytes(path.read_bytes()[:-30])


UNREADABLE = {  # file name, how to write it, what the one-line error says
    "header.csv": (lambda p: p.write_bytes(b"txn_id,\xff\xfe\n"), "row 1: cannot read the header"),
    "dup.csv": (lambda p: write(p, "txn_id,ts,ts\n"), "field 'ts': column name appears twice"),
    "csv.parquet": (lambda p: write(p, TEXT), "not a Parquet file"),
    "cut.parquet": (_truncated_parquet, "not a Parquet file"),
    "fake.csv.gz": (lambda p: write(p, TEXT), "named .gz but is not gzip data"),
    "cut.csv.gz": (
        lambda p: p.write_bytes(gzip.compress(TEXT.encode())[:-12]),
        "damaged or truncated gzip data",
    ),
    "bad16.csv": (
        lambda p: p.write_bytes(b"\xff\xfe" + TEXT.encode("utf-16-le")[:-1]),
        "not valid utf-16-le",
    ),
    "blank.csv": (lambda p: write(p, "   \n"), "required field 'txn_id'"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_files_fail_whole_with_one_line(
    duck_store: Engine, tmp_path: Path, name: str
) -> None:
    make, message = UNREADABLE[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(FraudnetError, match=message) as caught:
        ingest(duck_store, path, table="transactions")
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert duck_store.count("transactions") == duck_store.count("quarantine") == 0


def test_cli_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path / "dup.csv", "txn_id,ts,ts\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "fraudnet.cli.main",
            "ingest",
            str(tmp_path / "s.duckdb"),
            str(path),
            "--table",
            "transactions",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [f"error: {path}, row 1, field 'ts': column name appears twice in the header"]
