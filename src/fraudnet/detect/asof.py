"""The cut-off every feature respects, and the session views restricted to it.

Everything detection reads goes through `prepare_views`: `dt_accounts` (the accounts known at
the cut-off, each with an integer `code`, its rank by account id), `dt_txn` (payments up to the
cut-off, with `own` = 1 for transfers between one person's own accounts, and the integer codes
of both ends) and `dt_legs` (each payment seen from both ends). Nothing dated after the cut-off
reaches a feature.

Why the codes: grouping, sorting and joining 20 million legs by a 4-byte integer is cheaper
than by an 18-character account id, and a per-account result keyed by code lands in a numpy
array by position, with no join on strings. Why `dt_legs` is a view: a materialised copy of
every payment twice over is the largest thing a run would hold in memory (gigabytes on ten
million payments), and scanning `dt_txn` twice is cheap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.utc import naive_utc

DAY = dt.timedelta(days=1)
OWN_PAIRS = "dt_own_pairs"
ACCOUNTS = "dt_accounts"
TXN = "dt_txn"
LEGS = "dt_legs"


@dataclass(frozen=True, slots=True)
class Cutoff:
    """The instant features are computed at, and the window starts derived from it."""

    as_of: dt.datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "as_of", naive_utc(self.as_of))  # offsets converted, not dropped

    def literal(self, offset_days: int = 0) -> str:
        """A DuckDB-dialect TIMESTAMP literal `offset_days` before the cut-off."""
        instant = self.as_of - offset_days * DAY
        return f"TIMESTAMP '{instant.strftime('%Y-%m-%d %H:%M:%S.%f')}'"

    @property
    def date_literal(self) -> str:
        return f"DATE '{self.as_of.date().isoformat()}'"


def latest_timestamp(engine: Engine) -> dt.datetime | None:
    """The newest payment in the store: the default cut-off."""
    value = engine.sql("SELECT MAX(ts) AS ts FROM transactions").column("ts")[0].as_py()
    return value if isinstance(value, dt.datetime) else None


def own_account_pairs(engine: Engine) -> pa.Table:
    """Account pairs one resolved person holds (empty when entities were never computed)."""
    schema = pa.schema([("account_a", pa.string()), ("account_b", pa.string())])
    if engine.count("entities") == 0:
        return schema.empty_table()
    from fraudnet.resolve.accounts import same_person_account_pairs

    return same_person_account_pairs(engine).select(schema.names).cast(schema)


ACCOUNTS_SQL = """
SELECT u.account_id, CAST(ROW_NUMBER() OVER (ORDER BY u.account_id) - 1 AS INTEGER) AS code,
  a.holder_party_id
FROM (
  SELECT account_id FROM accounts WHERE opened_at IS NULL OR opened_at <= {as_of}
  UNION SELECT src_account AS account_id FROM transactions
    WHERE ts <= {as_of} AND src_account <> ''
  UNION SELECT dst_account AS account_id FROM transactions
    WHERE ts <= {as_of} AND dst_account <> ''
) u
LEFT JOIN (SELECT account_id, MIN(holder_party_id) AS holder_party_id FROM accounts
           GROUP BY account_id) a ON a.account_id = u.account_id
"""
"""The accounts features are computed for: opened by the cut-off, or seen in a payment by it."""

TXN_SQL = """
SELECT t.txn_id, t.ts, CAST(t.amount AS DOUBLE) AS amount, t.channel,
  NULLIF(t.src_account, '') AS src, NULLIF(t.dst_account, '') AS dst,
  sa.code AS src_code, da.code AS dst_code,
  CASE WHEN (sa.holder_party_id IS NOT NULL AND sa.holder_party_id = da.holder_party_id){pair_test}
    THEN 1 ELSE 0 END AS own
FROM transactions t
LEFT JOIN {accounts} sa ON sa.account_id = t.src_account
LEFT JOIN {accounts} da ON da.account_id = t.dst_account{pair_join}
WHERE t.ts <= {as_of}
"""
PAIR_TEST = "\n    OR op.account_a IS NOT NULL"
PAIR_JOIN = """
LEFT JOIN {pairs} op ON op.account_a = LEAST(t.src_account, t.dst_account)
  AND op.account_b = GREATEST(t.src_account, t.dst_account)"""
"""Same-person pairs from entity resolution; joined only when there are any."""

LEGS_SQL = """
CREATE OR REPLACE TEMP VIEW {legs} AS
SELECT dst AS account_id, src AS cp, dst_code AS code, src_code AS cp_code, txn_id, ts, amount,
  channel, own, 1 AS is_in
FROM {txn} WHERE dst IS NOT NULL
UNION ALL
SELECT src AS account_id, dst AS cp, src_code AS code, dst_code AS cp_code, txn_id, ts, amount,
  channel, own, 0 AS is_in
FROM {txn} WHERE src IS NOT NULL
"""


def prepare_views(engine: Engine, cutoff: Cutoff) -> None:
    """Materialise the cut-off views this run's queries read."""
    as_of = cutoff.literal()
    pairs = own_account_pairs(engine)
    engine.temp_table(OWN_PAIRS, pairs)
    engine.temp_table(ACCOUNTS, ACCOUNTS_SQL.format(as_of=as_of))
    resolved = pairs.num_rows > 0
    txn = TXN_SQL.format(
        accounts=ACCOUNTS,
        as_of=as_of,
        pair_test=PAIR_TEST if resolved else "",
        pair_join=PAIR_JOIN.format(pairs=OWN_PAIRS) if resolved else "",
    )
    engine.temp_table(TXN, txn)
    engine.execute(LEGS_SQL.format(legs=LEGS, txn=TXN))


def account_universe(engine: Engine) -> pd.Index:
    """The account ids of `dt_accounts` in code order (position i holds code i)."""
    table = engine.sql(f"SELECT account_id, code FROM {ACCOUNTS}")
    ids = np.empty(table.num_rows, dtype=object)
    ids[table.column("code").to_numpy()] = table.column("account_id").to_numpy(zero_copy_only=False)
    return pd.Index(ids, name="account_id")


def drop_views(engine: Engine) -> None:
    for name in (LEGS, TXN, ACCOUNTS, OWN_PAIRS):
        engine.drop_temp(name)
