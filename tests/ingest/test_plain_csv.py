"""The fast path for plain CSV loads exactly what the Python reader loads, or steps aside."""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

import pytest

from fraudnet.engine import Engine, open_engine
from fraudnet.engine.base import StageBuilder, quote
from fraudnet.engine.duckdb_engine import DuckDBEngine
from fraudnet.ingest import ingest
from fraudnet.ingest.plain_csv import READER_SETTING, scan_plain, stage_plain
from tests.ingest.conftest import BAD_TRANSACTIONS
from tests.ingest.helpers import HEADER, payment, payments, write

QUARANTINE = "target_table, line, field, value, reason, raw"

PLAIN = {
    "bad_values": BAD_TRANSACTIONS.replace("t6,2024-01-02,5\n", ""),
    "quoted": HEADER + 't1,2024-01-01,"£1,250.50",GBP,"A ""x""",B,fps\n' + payment(2),
    "values": HEADER
    + "t1,2024-01-01T11:00-05,12.50,GBP,\u200bA\t,B,fps\n"
    + 't2,2024-01-01 11:00 BST,"1.250,50",GBP,A,B,fps\n'
    + "t3,9999-12-31,0.001,GBP,A,B,fps\n"
    + 't4,2024-01-01,"",GBP,"",,fps\n'
    + "t5,2024-01-01T11:00:00.5+0100,0.10,GBP,A,B,fps",  # no final line break
    "header_only": HEADER,
    "edge_quotes": HEADER + 't1,2024-01-01,5,GBP,a"",B,fps\n' + 't2,2024-01-01,5,GBP,"",B,fps\n',
}
NOT_PLAIN = {
    "crlf": HEADER + payment(1).replace("\n", "\r\n"),
    "blank_line": HEADER + payment(1) + "\n" + payment(2),
    "unclosed": HEADER + 't1,2024-01-01,"5,GBP,A,B,fps\n' + "".join(payments(3)),
    "multi_line_value": HEADER + 't1,2024-01-01,5,GBP,"A\nB",B,fps\n' + payment(2),
    "space_before_quote": HEADER + 't1,2024-01-01,5,GBP, "A",B,fps\n' + payment(2),
    "space_after_quote": HEADER + 't1,2024-01-01,5,GBP,"A" ,B,fps\n' + payment(2),
    "nul": HEADER + "t1,2024-01-01,5,GBP,A\x00,B,fps\n",
    "ragged": BAD_TRANSACTIONS,
}


def _load(store: Engine, path: Path, reader: str, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv(READER_SETTING, reader)
    ingest(store, path, table="transactions")
    quarantined = store.sql(f"SELECT {QUARANTINE} FROM quarantine ORDER BY line, reason")
    counts = store.sql("SELECT rows_read, rows_loaded, rows_quarantined FROM ingest_log")
    return store.table("transactions"), quarantined, counts.to_pylist()


def _text_builder() -> StageBuilder:
    return lambda columns, relation: f"SELECT * FROM {relation}"


@pytest.mark.parametrize("text", [*PLAIN.values(), *NOT_PLAIN.values()], ids=[*PLAIN, *NOT_PLAIN])
def test_both_readers_load_the_same(
    tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "t.csv", text)
    loaded = {}
    for reader in ("auto", "python"):
        with open_engine(tmp_path / f"{reader}.duckdb", "duckdb") as store:
            loaded[reader] = _load(store, path, reader, monkeypatch)
    fast, slow = loaded["auto"], loaded["python"]
    assert fast == slow


@pytest.mark.parametrize("name", list(PLAIN))
def test_plain_files_take_the_fast_path(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / "t.csv", PLAIN[name])
    with open_engine(tmp_path / "s.duckdb", "duckdb") as store:
        staged = stage_plain(store, path, ",", "v", _text_builder())
    assert staged is not None
    assert staged[1] == PLAIN[name].rstrip("\n").count("\n")


@pytest.mark.parametrize("name", list(NOT_PLAIN))
def test_other_files_are_left_to_the_python_reader(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / "t.csv", NOT_PLAIN[name])
    with open_engine(tmp_path / "s.duckdb", "duckdb") as store:
        assert stage_plain(store, path, ",", "v", _text_builder()) is None


@pytest.mark.parametrize(
    "data",
    [codecs.BOM_UTF8 + HEADER.encode(), gzip.compress(HEADER.encode()), b"\n" + HEADER.encode()],
    ids=["bom", "gzip", "leading_blank"],
)
def test_scan_refuses_containers_and_marks(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert scan_plain(path, ",") is None


class LossyReader(DuckDBEngine):
    """A real DuckDB store whose CSV reader silently drops a record, as a faulty parser might."""

    def stage_plain_csv(
        self, path: Path, delimiter: str, columns: list[str], view: str, build: StageBuilder
    ) -> int | None:
        staged = super().stage_plain_csv(path, delimiter, columns, view, build)
        self.con.execute(f"DELETE FROM {quote(view + '_t')} WHERE txn_id = 't3'")
        return None if staged is None else staged - 1


def test_a_reader_that_drops_a_record_is_caught_by_the_byte_count(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", HEADER + "".join(payments(5)))
    with LossyReader(tmp_path / "s.duckdb") as store:
        result = ingest(store, path, table="transactions")
        assert result.rows_loaded == 5  # read again by the Python reader: nothing lost
        assert store.count("transactions") == 5


def test_line_numbers_hold_across_a_large_parallel_read(tmp_path: Path) -> None:
    """Quarantined lines are the file's lines even when DuckDB reads it in parallel chunks."""
    bad = {7, 123_457, 300_001, 499_999}  # lines (header is line 1)
    reference = "r" * 60
    rows = [
        payment(i, "abc" if i + 1 in bad else "5.00").replace("\n", f",{reference}\n")
        for i in range(1, 500_000)
    ]
    path = write(tmp_path / "big.csv", HEADER.replace("\n", ",reference\n") + "".join(rows))
    assert path.stat().st_size > 50 << 20  # several of DuckDB's read buffers
    with open_engine(tmp_path / "s.duckdb", "duckdb") as store:
        ingest(store, path, table="transactions")
        lines = store.sql("SELECT line, value FROM quarantine ORDER BY line").to_pylist()
    assert lines == [{"line": n, "value": "abc"} for n in sorted(bad)]
