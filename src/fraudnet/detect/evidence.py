"""The rule_hits table: each fired rule with the transactions that prove it."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from fraudnet.detect.asof import ACCOUNTS, LEGS, TXN, Cutoff
from fraudnet.detect.graph import HUB_DEGREE, RELAY_MOVED_ON
from fraudnet.detect.rules import FeatureRows, all_rules
from fraudnet.engine import Engine

MAX_EVIDENCE = 25
EVIDENCE_ACCOUNTS = 1_000
"""Evidence queries run for hits on the this many top-scored accounts (and every alert)."""
HITS = "dt_rule_hits"
RELAYS = "dt_relays"

LIMITED_SQL = """
SELECT account_id, txn_id FROM (
  SELECT account_id, txn_id,
    ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY ts DESC, txn_id) AS rn
  FROM (SELECT DISTINCT account_id, txn_id, ts FROM ({inner}) AS found) AS uniq
) AS ranked WHERE rn <= {limit}
"""


def rule_hits_table(
    engine: Engine,
    cutoff: Cutoff,
    frame: pd.DataFrame,
    strengths: pd.DataFrame,
    priority: pd.Index | None = None,
) -> pa.Table:
    """One row per (account, fired rule): strength, evidence txn ids, explanation.

    Evidence is looked up for hits on `priority` accounts (all hits when None); other hits
    keep an empty evidence list (`evidence_for` fetches it on demand).
    """
    parts = []
    rows = FeatureRows(frame)
    relay = (frame["fast_out_share_7d"] >= RELAY_MOVED_ON) & (frame["in_cp"] <= HUB_DEGREE)
    _coded_accounts(engine, RELAYS, list(frame.index[relay].astype(str)))
    for rule in all_rules():
        fired = strengths.index[strengths[rule.name].to_numpy() > 0]
        if len(fired) == 0:
            continue
        wanted = fired if priority is None else fired.intersection(priority)
        evidence = _evidence(engine, cutoff, rule.evidence_sql(), wanted) if len(wanted) else {}
        positions = frame.index.get_indexer(fired)
        parts.append(
            pd.DataFrame(
                {
                    "account_id": fired,
                    "rule": rule.name,
                    "strength": strengths.loc[fired, rule.name].round(6).to_numpy(),
                    "evidence_txn_ids": [evidence.get(a, "") for a in fired],
                    "explanation": [rule.explain(rows[i]) for i in positions],
                }
            )
        )
    engine.drop_temp(RELAYS)
    columns = ["account_id", "rule", "strength", "evidence_txn_ids", "explanation"]
    hits = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    table = pa.Table.from_pandas(hits[columns], preserve_index=False)
    table = table.cast(
        pa.schema(
            [
                ("account_id", pa.string()),
                ("rule", pa.string()),
                ("strength", pa.float64()),
                ("evidence_txn_ids", pa.string()),
                ("explanation", pa.string()),
            ]
        )
    )
    return table.append_column("as_of", pa.array([cutoff.as_of] * len(hits), pa.timestamp("us")))


def evidence_for(
    engine: Engine, cutoff: Cutoff, rule_name: str, accounts: list[str]
) -> dict[str, str]:
    """account_id -> comma-separated txn ids proving `rule_name` (views must be prepared)."""
    from fraudnet.detect.rules import RULES

    return _evidence(engine, cutoff, RULES[rule_name]().evidence_sql(), pd.Index(accounts))


def _evidence(
    engine: Engine, cutoff: Cutoff, template: str | None, fired: pd.Index
) -> dict[str, str]:
    if template is None:
        return {}
    _coded_accounts(engine, HITS, list(fired))
    try:
        inner = template.format(
            legs=LEGS,
            txn=TXN,
            hits=HITS,
            relays=RELAYS,
            t30=cutoff.literal(30),
            as_of=cutoff.literal(),
        )
        found = engine.sql(LIMITED_SQL.format(inner=inner, limit=MAX_EVIDENCE)).to_pandas()
    finally:
        engine.drop_temp(HITS)
    found = found.sort_values(["account_id", "txn_id"])
    return found.groupby("account_id")["txn_id"].agg(",".join).to_dict()


def _coded_accounts(engine: Engine, name: str, accounts: list[str]) -> None:
    """A session table `name` of (account_id, code) for `accounts` (codes of dt_accounts)."""
    wanted = f"{name}_ids"
    engine.temp_table(wanted, pa.table({"account_id": pa.array(accounts, pa.string())}))
    try:
        engine.temp_table(
            name,
            f"SELECT a.account_id, a.code FROM {ACCOUNTS} a "
            f"JOIN (SELECT DISTINCT account_id FROM {wanted}) w ON w.account_id = a.account_id",
        )
    finally:
        engine.drop_temp(wanted)
