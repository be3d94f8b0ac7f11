"""Values are read exactly under one stated rule, or quarantined with the reason; never guessed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from fraudnet.engine import Engine
from fraudnet.ingest import Mapping, ingest
from tests.ingest.helpers import HEADER, payment, quarantine, write

AMBIGUOUS = "ambiguous amount"
SUB_PENNY = "sub-penny amount"

AMOUNTS = [  # (text, decimal rule, loaded amount or the start of the quarantine reason)
    ("£1,250.50", "point", Decimal("1250.50")),
    ("1,250", "point", Decimal("1250.00")),
    ("12.500", "point", Decimal("12.50")),
    ("-£5.00", "point", "negative amount"),
    ("€ 7", "point", Decimal("7.00")),
    ("1.250,50", "point", AMBIGUOUS),
    ("12,50", "point", AMBIGUOUS),
    ("1,25,0.00", "point", "unparseable amount"),
    ("0.001", "point", SUB_PENNY),
    ("0.005", "point", SUB_PENNY),
    ("0", "point", "zero amount"),
    ("0.00", "point", "zero amount"),
    ("1e3", "point", "unparseable amount"),
    ("1.250,50", "comma", Decimal("1250.50")),
    ("12,50", "comma", Decimal("12.50")),
    ("1.250", "comma", Decimal("1250.00")),
    ("12.50", "comma", AMBIGUOUS),
    ("0,005", "comma", SUB_PENNY),
]


@pytest.mark.parametrize(("text", "rule", "expected"), AMOUNTS)
def test_amounts(
    duck_store: Engine, tmp_path: Path, text: str, rule: str, expected: object
) -> None:
    path = write(tmp_path / "a.csv", HEADER + payment(1, amount=f'"{text}"'))
    mapping = Mapping(table="transactions", decimal=rule)
    ingest(duck_store, path, mapping=mapping)
    loaded = [r["amount"] for r in duck_store.table("transactions").to_pylist()]
    reasons = [str(r["reason"]) for r in quarantine(duck_store)]
    if isinstance(expected, Decimal):
        assert (loaded, reasons) == ([expected], [])
    else:
        assert loaded == []
        assert len(reasons) == 1 and reasons[0].startswith(str(expected)), reasons


def test_decimal_comma_flag_on_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fraudnet.cli.main import app
    from fraudnet.engine import open_engine

    path = write(tmp_path / "eu.csv", HEADER + payment(1, amount='"1.250,50"'))
    store = tmp_path / "s.duckdb"
    args = ["ingest", str(store), str(path), "--table", "transactions", "--decimal-comma"]
    assert CliRunner().invoke(app, args).exit_code == 0
    with open_engine(store, "duckdb") as engine:
        assert engine.table("transactions").column("amount").to_pylist() == [Decimal("1250.50")]


TIMES = [  # every offset form converted to UTC; names refused unless mapped
    ("2024-01-01T11:00Z", dt.datetime(2024, 1, 1, 11, 0)),
    ("2024-01-01T11:00:00+01", dt.datetime(2024, 1, 1, 10, 0)),
    ("2024-01-01T11:00:00+0100", dt.datetime(2024, 1, 1, 10, 0)),
    ("2024-01-01T11:00:00+01:00", dt.datetime(2024, 1, 1, 10, 0)),
    ("2024-01-01T11:00-05", dt.datetime(2024, 1, 1, 16, 0)),
    ("2024-01-01 11:00:00.250-05:30", dt.datetime(2024, 1, 1, 16, 30, 0, 250000)),
    ("2024-01-01 11:00", dt.datetime(2024, 1, 1, 11, 0)),
    ("2024-01-01 11:00 UTC", dt.datetime(2024, 1, 1, 11, 0)),
    ("2024-01-01 11:00 BST", "zone name in ts"),
    ("2024-01-01 11:00 EST", "zone name in ts"),
    ("2024-01-01 11:00 Europe/London", "zone name in ts"),
    ("9999-12-31", "ts outside the plausible range 1970-01-01 to 2100-12-31"),
    ("1969-12-31 23:59", "ts outside the plausible range"),
]


@pytest.mark.parametrize(("text", "expected"), TIMES)
def test_timestamps(duck_store: Engine, tmp_path: Path, text: str, expected: object) -> None:
    """DuckDB only: Spark's cast refuses some short offset forms (quarantined, not misread)."""
    store = duck_store
    ingest(store, write(tmp_path / "t.csv", HEADER + payment(1, ts=text)), table="transactions")
    loaded = store.table("transactions").column("ts").to_pylist()
    reasons = [str(r["reason"]) for r in quarantine(store)]
    if isinstance(expected, dt.datetime):
        assert (loaded, reasons) == ([expected], [])
    else:
        assert loaded == [] and reasons[0].startswith(str(expected)), reasons


def test_mapped_zone_name_is_converted(duck_store: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", HEADER + payment(1, ts="2024-06-01 11:00 BST"))
    ingest(duck_store, path, mapping=Mapping(table="transactions", zones={"BST": "+01:00"}))
    assert duck_store.table("transactions").column("ts").to_pylist() == [
        dt.datetime(2024, 6, 1, 10, 0)
    ]


def test_plausible_ranges_are_configurable(duck_store: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", HEADER + payment(1, ts="2014-12-31") + payment(2))
    mapping = Mapping(table="transactions", ranges={"ts": ("2015-01-01", "2030-12-31")})
    ingest(duck_store, path, mapping=mapping)
    assert duck_store.table("transactions").column("txn_id").to_pylist() == ["t2"]


def test_birth_dates_from_1900_to_today(duck_store: Engine, tmp_path: Path) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    text = f"party_id,kind,dob\np1,person,1899-12-31\np2,person,{tomorrow}\np3,person,1950-05-05\n"
    ingest(duck_store, write(tmp_path / "p.csv", text), table="parties")
    assert duck_store.table("parties").column("party_id").to_pylist() == ["p3"]
    assert [r["reason"] for r in quarantine(duck_store)] == [
        "dob outside the plausible range 1900-01-01 to today"
    ] * 2


def test_account_ids_cleaned_or_quarantined(store: Engine, tmp_path: Path) -> None:
    """Invisible characters and edge whitespace are removed; control characters inside refused."""
    text = (
        HEADER
        + 'c1,2024-01-01,5,GBP,"\u200bAC\u200d",B,fps\n'
        + 'c2,2024-01-01,5,GBP,"\tAD ",B,fps\n'
        + 'c3,2024-01-01,5,GBP,"A\tB",B,fps\n'
        + 'c4,2024-01-01,5,GBP,"A\x00B",B,fps\n'
    )
    ingest(store, write(tmp_path / "a.csv", text), table="transactions")
    assert store.table("transactions").column("src_account").to_pylist() == ["AC", "AD"]
    assert [(r["line"], r["reason"]) for r in quarantine(store)] == [
        (4, "control character in src account"),
        (5, "control character in src account"),
    ]
