"""Every record a file holds is loaded, a duplicate, or quarantined; else nothing is committed."""

from __future__ import annotations

from pathlib import Path

import pytest

from fraudnet.engine import Engine
from fraudnet.ingest import IngestError, ingest
from fraudnet.ingest.csv_records import read_csv_text
from fraudnet.ingest.load import _TablePlan
from tests.ingest.helpers import HEADER, payment, payments, quarantine, write


def test_unclosed_quote_quarantines_only_its_row(store: Engine, tmp_path: Path) -> None:
    rows = payments(50_000)
    rows[9] = 't10,2024-01-01 10:00:00,"5.00,GBP,A10,B,fps\n'
    path = write(tmp_path / "big.csv", HEADER + "".join(rows))
    (outcome,) = ingest(store, path, table="transactions").outcomes
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (50_000, 49_999, 1)
    assert store.count("transactions") == 49_999
    assert [(r["line"], r["reason"]) for r in quarantine(store)] == [
        (11, "malformed CSV row: unclosed quote")
    ]


def test_quoted_line_breaks_stay_one_record(store: Engine, tmp_path: Path) -> None:
    text = HEADER + payment(1) + 't2,2024-01-01,5,GBP,A,B,"fps\n"\n' + payment(3)
    (outcome,) = ingest(store, write(tmp_path / "q.csv", text), table="transactions").outcomes
    assert (outcome.rows_read, outcome.rows_loaded) == (3, 2)
    assert [(r["line"], r["value"]) for r in quarantine(store)] == [(3, "fps\n")]
    assert store.count("quarantine") == 1  # the unknown channel, nothing else


def test_two_bad_quotes_far_apart_lose_nothing_between(store: Engine, tmp_path: Path) -> None:
    rows = payments(300)
    rows[9] = 't10,2024-01-01,"5,GBP,A,B,fps\n'
    rows[199] = 't200,2024-01-01,5",GBP,A,B,fps\n'
    ingest(store, write(tmp_path / "two.csv", HEADER + "".join(rows)), table="transactions")
    assert store.count("transactions") == 298
    assert [r["line"] for r in quarantine(store)] == [11, 201]


def test_every_physical_line_is_accounted_for() -> None:
    text = HEADER + payment(1) + "\n" + 't2,"x\ny",5,GBP,A,B,fps\n' + 't3,"open\n' + payment(4)
    rows = read_csv_text(text, ",", "f.csv")
    assert rows.physical_records == 4
    assert rows.lines == [2, 4, 7]
    assert [line for line, _, _ in rows.rejected] == [6]


def test_unbalanced_accounting_commits_nothing(
    duck_store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A loader that drops a row must fail the whole file rather than report success."""
    path = write(tmp_path / "p.csv", HEADER + "".join(payments(5)))
    original_classify = _TablePlan._classify

    def classify_then_lose(self: _TablePlan) -> None:
        original_classify(self)
        self.engine.execute(f"DELETE FROM {self.new} WHERE _part = 0 AND txn_id = 't3'")

    monkeypatch.setattr(_TablePlan, "_classify", classify_then_lose)
    with pytest.raises(IngestError, match="rows do not add up"):
        ingest(duck_store, path, table="transactions")
    assert duck_store.count("transactions") == 0
    assert duck_store.count("ingest_log") == 0


def test_literal_star_name_is_not_a_glob(store: Engine, tmp_path: Path) -> None:
    write(tmp_path / "other.csv", HEADER + "".join(payments(3)))
    star = write(tmp_path / "*.csv", HEADER + payment(9))
    ingest(store, star, table="transactions")
    assert [r["txn_id"] for r in store.table("transactions").to_pylist()] == ["t9"]


def test_same_content_from_another_folder_does_not_double_quarantine(
    store: Engine, tmp_path: Path
) -> None:
    text = HEADER + payment(1) + payment(2, amount="abc")
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        ingest(store, write(tmp_path / folder / "p.csv", text), table="transactions")
    assert store.count("quarantine") == 1
