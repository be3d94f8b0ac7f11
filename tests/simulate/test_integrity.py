"""Schema validity, referential integrity, ground truth coverage and determinism."""

from __future__ import annotations

import hashlib
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from fraudnet.engine.types import arrow_schema
from fraudnet.schema import get_table
from fraudnet.schema.enums import CHANNELS
from fraudnet.simulate import WORLD_TABLES, World, generate_world
from tests.simulate.conftest import TEST_PARAMS


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.sql(sql).fetchall()


def test_tables_match_their_declared_schema(world: World) -> None:
    for name in WORLD_TABLES:
        declared = arrow_schema(get_table(name))
        table = world.tables[name]
        for field in table.schema:
            assert declared.field(field.name).type == field.type, (name, field.name)
        required = [c.name for c in get_table(name).columns if c.required]
        for col in required:
            if col in table.column_names:
                assert table.column(col).null_count == 0, (name, col)


def test_transactions_are_valid(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "SELECT COUNT(*) FROM transactions WHERE amount <= 0") == [(0,)]
    channels = {c for (c,) in rows(con, "SELECT DISTINCT channel FROM transactions")}
    assert channels <= set(CHANNELS)
    assert {"fps", "card", "bacs", "cash_out", "crypto", "intl_wire"} <= channels
    dangling = rows(
        con,
        "SELECT COUNT(*) FROM transactions t WHERE (src_account IS NOT NULL AND src_account "
        "NOT IN (SELECT account_id FROM accounts)) OR (dst_account IS NOT NULL AND dst_account "
        "NOT IN (SELECT account_id FROM accounts))",
    )
    assert dangling == [(0,)]
    exits = rows(
        con, "SELECT COUNT(*) FROM transactions WHERE dst_account IS NULL AND channel <> 'cash_out'"
    )
    assert exits == [(0,)]
    assert rows(con, "SELECT COUNT(*) - COUNT(DISTINCT txn_id) FROM transactions") == [(0,)]
    # cash comes out of machines: whole tens of pounds, at most £500 at a time
    cash = rows(
        con,
        "SELECT MAX(amount), SUM(CASE WHEN amount % 10 <> 0 THEN 1 ELSE 0 END) "
        "FROM transactions WHERE channel = 'cash_out'",
    )
    assert cash[0][0] <= 500 and cash[0][1] == 0


def test_no_payment_touches_a_closed_or_unopened_account(con: duckdb.DuckDBPyConnection) -> None:
    bad = rows(
        con,
        "SELECT COUNT(*) FROM transactions t JOIN accounts a "
        "ON a.account_id IN (t.src_account, t.dst_account) "
        "WHERE t.ts < a.opened_at OR (a.closed_at IS NOT NULL AND t.ts >= a.closed_at)",
    )
    assert bad == [(0,)]


def test_no_account_goes_overdrawn(con: duckdb.DuckDBPyConnection) -> None:
    worst = rows(
        con,
        """
        WITH moves AS (
          SELECT src_account AS acc, ts, -amount AS delta, 1 AS o FROM transactions
          WHERE src_account IS NOT NULL
          UNION ALL SELECT dst_account, ts, amount, 0 FROM transactions
          WHERE dst_account IS NOT NULL
        ), running AS (
          SELECT m.acc, a.opening_balance + SUM(delta) OVER (PARTITION BY m.acc ORDER BY ts, o
            ROWS UNBOUNDED PRECEDING) AS bal FROM moves m JOIN accounts a ON a.account_id = m.acc
        ) SELECT MIN(bal) FROM running
        """,
    )
    assert worst[0][0] >= 0


def test_account_ids_and_jurisdictions(con: duckdb.DuckDBPyConnection) -> None:
    uk = rows(
        con,
        "SELECT COUNT(*) FROM accounts WHERE jurisdiction = 'GB' AND NOT "
        "regexp_matches(account_id, '^GB-[0-9]{6}-[0-9]{8}$')",
    )
    assert uk == [(0,)]
    banks = rows(con, "SELECT COUNT(DISTINCT institution) FROM accounts WHERE jurisdiction='GB'")
    assert banks[0][0] >= 10
    foreign = rows(con, "SELECT account_id FROM accounts WHERE jurisdiction <> 'GB'")
    assert foreign
    for (iban,) in foreign:  # valid IBAN check digits
        moved = iban[4:] + iban[:4]
        assert int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def test_every_account_and_party_has_one_ground_truth_label(
    con: duckdb.DuckDBPyConnection,
) -> None:
    n_acc = rows(con, "SELECT COUNT(*) FROM accounts")[0][0]
    n_party = rows(con, "SELECT COUNT(*) FROM parties")[0][0]
    assert rows(con, "SELECT COUNT(DISTINCT subject), COUNT(*) FROM labels") == [
        (n_acc + n_party, n_acc + n_party)
    ]
    assert rows(con, "SELECT DISTINCT source, decided_by FROM labels") == [
        ("ground_truth", "simulator")
    ]
    roles = dict(rows(con, "SELECT label, COUNT(*) FROM labels GROUP BY 1"))
    for role in ("victim", "mule_tier1", "mule_tier2plus", "collector", "herder", "legitimate"):
        assert roles.get(role, 0) > 0, role
    missing_net = rows(
        con,
        "SELECT COUNT(*) FROM labels WHERE (label IN ('mule_tier1','mule_tier2plus','collector',"
        "'herder')) <> (network_id IS NOT NULL)",
    )
    assert missing_net == [(0,)]
    herder_parties = rows(
        con,
        "SELECT COUNT(*) FROM labels l JOIN parties p ON p.party_id = l.subject "
        "WHERE l.label = 'herder'",
    )
    assert herder_parties[0][0] > 0


def test_networks_span_several_banks(con: duckdb.DuckDBPyConnection) -> None:
    spans = rows(
        con,
        "SELECT network_id, COUNT(DISTINCT institution) FROM labels JOIN accounts "
        "ON account_id = subject WHERE network_id IS NOT NULL GROUP BY 1",
    )
    assert spans and all(n >= 3 for _, n in spans)


def _digest(world: World) -> str:
    h = hashlib.sha256()
    for name in sorted(world.tables):
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, world.tables[name].schema) as writer:
            writer.write_table(world.tables[name])
        h.update(sink.getvalue().to_pybytes())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_other_world() -> None:
    a = generate_world(accounts=1500, days=30, seed=11, params=TEST_PARAMS)
    b = generate_world(accounts=1500, days=30, seed=11, params=TEST_PARAMS)
    c = generate_world(accounts=1500, days=30, seed=12, params=TEST_PARAMS)
    for name in a.tables:
        assert a.tables[name].equals(b.tables[name]), name
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)


@pytest.mark.parametrize(("accounts", "days", "seed"), [(300, 1, 0), (450, 2, 3), (1000, 7, 1)])
def test_small_and_short_worlds_are_complete(accounts: int, days: int, seed: int) -> None:
    world = generate_world(accounts=accounts, days=days, seed=seed)
    tables = world.tables
    assert tables["accounts"].num_rows == accounts
    assert tables["labels"].num_rows == accounts + tables["parties"].num_rows
    known = set(tables["accounts"].column("account_id").to_pylist())
    used = set(tables["transactions"].column("src_account").drop_null().to_pylist())
    used |= set(tables["transactions"].column("dst_account").drop_null().to_pylist())
    assert used <= known


def test_too_small_a_world_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        generate_world(accounts=100, days=10, seed=0)


def test_same_world_in_another_process() -> None:
    """No dependence on Python's hash seed or process state."""
    import os
    import subprocess
    import sys

    code = (
        "from tests.simulate.test_integrity import _digest\n"
        "from fraudnet.simulate import generate_world\n"
        "print(_digest(generate_world(accounts=600, days=10, seed=4)))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == _digest(generate_world(accounts=600, days=10, seed=4))
