"""Calibration of the demo world: what the simulator produces against what its parameters ask.

Generates the demo world (seed 0, 20,000 accounts, 90 days), writes it to a temporary
DuckDB store (timed, as `fraudnet simulate` does, three times), and measures from its tables and
diagnostics every figure docs/simulator.md quotes: headline shares against their
parameters, sizes, and how well static fields and real behaviour separate mules.

    nice -n 10 .venv/bin/python bench/simulate_calibration.py
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from provenance import RunRecord

from fraudnet.engine import open_engine
from fraudnet.simulate import DEMO_ACCOUNTS, DEMO_DAYS, SimulationParams, World, generate_world
from fraudnet.simulate.writer import WORLD_TABLES

RESULTS = Path(__file__).parent / "results" / "simulate_calibration.json"
MULE_LABELS = "('mule_tier1', 'mule_tier2plus')"

# Fields that are no behaviour: balances, bank, account number digits, record formatting.
STATIC_FIELDS = {
    "opening_balance": "a.opening_balance::DOUBLE",
    "institution": "hash(a.institution) % 97",
    "account_number": "TRY_CAST(right(a.account_id, 8) AS BIGINT)",
    "sort_code": "TRY_CAST(substr(a.account_id, 4, 6) AS BIGINT)",
    "party_id_digits": "TRY_CAST(split_part(a.holder_party_id, '-', 2) AS BIGINT)",
    "phone_missing": "(p.phone IS NULL)::INT",
    "email_missing": "(p.email IS NULL)::INT",
    "name_upper_case": "(p.name = upper(p.name))::INT",
    "name_length": "length(p.name)",
    "nationality_gb": "(p.nationality = 'GB')::INT",
    "address_length": "length(p.address)",
}
# Real behaviour, expected to separate mules.
BEHAVIOUR_FIELDS = {
    "age": "date_sub('year', p.dob, DATE '2025-01-06')",
    "account_age_days": "date_sub('day', a.opened_at, TIMESTAMP '2025-01-06')",
    "devices_per_account": "COALESCE(d.devices, 0)",
}


def timed_world(seed: int) -> tuple[World, dict[str, float]]:
    """Generate the demo world and write it to a throwaway DuckDB store, timing both."""
    started = time.perf_counter()
    world = generate_world(accounts=DEMO_ACCOUNTS, days=DEMO_DAYS, seed=seed)
    generated = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as tmp,
        open_engine(Path(tmp) / "world.duckdb", "duckdb") as engine,
    ):
        engine.commit(appends={name: world.tables[name] for name in WORLD_TABLES})
    written = time.perf_counter()
    return world, {
        "generate_s": round(generated - started, 2),
        "write_duckdb_s": round(written - generated, 2),
    }


def connect(world: World) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, table in {**world.tables, **world.diagnostics}.items():
        con.register(name, table)
    return con


def scalars(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, Any]:
    """One row of a query as a dict, floats rounded to six places."""
    frame = con.sql(sql).df()
    row = {col: frame[col].iloc[0] for col in frame.columns}
    return {
        col: int(v) if isinstance(v, np.integer) else round(float(v), 6) for col, v in row.items()
    }


def mule_ages(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return scalars(
        con,
        f"""
        WITH m AS (
          SELECT date_sub('year', p.dob, DATE '2025-01-06') AS age
          FROM labels l JOIN accounts a ON a.account_id = l.subject
          JOIN parties p ON p.party_id = a.holder_party_id
          WHERE l.label IN {MULE_LABELS} AND p.kind = 'person')
        SELECT COUNT(*) AS mule_accounts_of_persons,
               AVG((age < 21)::INT) AS share_under_21, AVG((age < 30)::INT) AS share_under_30
        FROM m
        """,
    )


def tier1_speed(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return scalars(
        con,
        """
        WITH f AS (SELECT in_txn, MIN(delay_s) AS d FROM hops WHERE tier = 'tier1'
                   GROUP BY in_txn)
        SELECT COUNT(*) AS tier1_receipts, AVG((d < 900)::INT) AS share_within_15min,
               AVG((d < 3600)::INT) AS share_within_1h
        FROM f
        """,
    )


def cases(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return scalars(
        con,
        """
        WITH c AS (
          SELECT "case", ANY_VALUE(fraud_type) AS fraud_type, BOOL_OR(reported) AS reported,
                 SUM(t.amount)::DOUBLE AS loss
          FROM victim_payments JOIN transactions t USING (txn_id) GROUP BY 1)
        SELECT COUNT(*) AS cases, AVG(reported::INT) AS share_reported,
               AVG((fraud_type = 'purchase')::INT) AS share_purchase,
               AVG(loss) AS mean_loss_per_case_gbp
        FROM c
        """,
    )


def collector_overseas(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Share by value of collector payments out to a foreign account (wire, exchange abroad).

    By value, not count: cash leaves in several cash-machine sized withdrawals per payout."""
    return scalars(
        con,
        """
        SELECT COUNT(*) AS collector_payments_out,
               SUM(t.amount * (d.jurisdiction <> 'GB')::INT)::DOUBLE
                 / SUM(t.amount)::DOUBLE AS share_abroad_by_value
        FROM purposes JOIN transactions t USING (txn_id)
        LEFT JOIN accounts d ON d.account_id = t.dst_account
        WHERE purpose = 'collector_out'
        """,
    )


def bank_spans(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return scalars(
        con,
        """
        WITH s AS (
          SELECT network_id, COUNT(DISTINCT institution) AS banks
          FROM labels JOIN accounts ON account_id = subject
          WHERE network_id IS NOT NULL AND jurisdiction = 'GB' GROUP BY 1)
        SELECT COUNT(*) AS networks, MIN(banks) AS min_uk_banks, AVG(banks) AS mean_uk_banks
        FROM s
        """,
    )


def multi_bank_people(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """People with party records at more than one bank (resolution's true matches)."""
    return scalars(
        con,
        """
        WITH r AS (
          SELECT pt.person_id, COUNT(DISTINCT a.institution) AS banks
          FROM party_truth pt JOIN parties p USING (party_id)
          JOIN accounts a ON a.holder_party_id = p.party_id
          WHERE p.kind = 'person' GROUP BY 1)
        SELECT COUNT(*) AS people, SUM((banks > 1)::INT)::BIGINT AS people_at_several_banks FROM r
        """,
    )


def expected_loss_per_case(params: SimulationParams) -> float:
    """Mean loss per case implied by the parameters (log-normal means times payments)."""
    return sum(
        share
        * params.fraud_type_payments[kind]
        * params.fraud_type_amount[kind][0]
        * math.exp(params.fraud_type_amount[kind][1] ** 2 / 2)
        for kind, share in params.fraud_type_case_share.items()
    )


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """Area under the ROC curve by the rank-sum formula (ties share ranks)."""
    ranks = pd.Series(scores).rank().to_numpy()
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def field_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """UK personal accounts labelled mule or legitimate, with static and behaviour fields.

    Sorted by account id so the folds, and so the LightGBM AUC, are the same every run."""
    columns = ", ".join(
        f"{sql} AS {name}" for name, sql in {**STATIC_FIELDS, **BEHAVIOUR_FIELDS}.items()
    )
    return con.sql(
        f"""
        WITH d AS (SELECT owner, COUNT(DISTINCT value) AS devices FROM identifiers
                   WHERE kind = 'device' GROUP BY 1)
        SELECT l.label IN {MULE_LABELS} AS mule, {columns}
        FROM accounts a JOIN labels l ON l.subject = a.account_id
        JOIN parties p ON p.party_id = a.holder_party_id
        LEFT JOIN d ON d.owner = a.account_id
        WHERE a.kind = 'personal' AND a.jurisdiction = 'GB'
          AND l.label IN ('legitimate', 'mule_tier1', 'mule_tier2plus')
        ORDER BY a.account_id
        """
    ).df()


def separation(frame: pd.DataFrame) -> dict[str, Any]:
    """Single-field AUC (either direction: max(AUC, 1 - AUC)) and a 4-fold LightGBM AUC."""
    import lightgbm as lgb

    y = frame["mule"].to_numpy(dtype=bool)
    single = {}
    for name in [*STATIC_FIELDS, *BEHAVIOUR_FIELDS]:
        value = auc(frame[name].fillna(-1).to_numpy(dtype=np.float64), y)
        single[name] = round(max(value, 1 - value), 4)
    x = frame[list(STATIC_FIELDS)].to_numpy(dtype=np.float64)
    folds = np.arange(len(y)) % 4
    scores = np.zeros(len(y))
    for k in range(4):
        model = lgb.LGBMClassifier(
            n_estimators=60, num_leaves=15, verbose=-1, random_state=0, n_jobs=1
        )
        model.fit(x[folds != k], y[folds != k])
        scores[folds == k] = np.asarray(model.predict_proba(x[folds == k]))[:, 1]
    static = [single[name] for name in STATIC_FIELDS]
    return {
        "accounts": len(y),
        "mule_accounts": int(y.sum()),
        "single_field_auc": single,
        "static_single_field_auc_range": [min(static), max(static)],
        "lightgbm_static_fields_4fold_auc": round(auc(scores, y), 4),
    }


def measure(seed: int, repeats: int) -> dict[str, Any]:
    world, first = timed_world(seed)
    timings = [first] + [timed_world(seed)[1] for _ in range(repeats - 1)]
    con = connect(world)
    params = SimulationParams()
    loss = cases(con)
    return {
        "world": {"seed": seed, "accounts": DEMO_ACCOUNTS, "days": DEMO_DAYS},
        "timings_per_repeat": timings,
        "rows": {name: world.tables[name].num_rows for name in WORLD_TABLES},
        "counts": {k: world.counts[k] for k in ("networks", "mule_accounts", "victims")},
        "mule_ages": {**mule_ages(con), "parameter": list(params.mule_age_shares)},
        "tier1_move_on": {
            **tier1_speed(con),
            "parameter": [params.moved_within_15min, params.moved_within_hour],
        },
        "cases": {
            **loss,
            "parameter_report_rate": params.report_rate,
            "parameter_purchase_share": params.fraud_type_case_share["purchase"],
            "expected_loss_per_case_gbp_from_parameters": round(expected_loss_per_case(params), 1),
        },
        "collector_outflows": {**collector_overseas(con), "parameter": params.overseas_share},
        "networks_uk_banks": bank_spans(con),
        "people": multi_bank_people(con),
        "field_separation": separation(field_frame(con)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="timed generations")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    run = RunRecord()
    result = {
        "benchmark": "simulate_calibration",
        **measure(args.seed, args.repeats),
        "run": run.finish(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
