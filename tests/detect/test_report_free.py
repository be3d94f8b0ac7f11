"""The label-free model never sees its target: no input column is a function of the reports.

On a simulated world, the fraud reports are moved to other payments chosen at random (so other
accounts become the reported payees) and detection runs again: every column of the weak
model's matrix must be exactly what it was, while the features the weak model used to read
(`rules_total`, `rules_fired`, `nb2_in_mean_rules_total`) do change, so the check can fail.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from fraudnet.detect import detect
from fraudnet.detect.asof import Cutoff, drop_views, prepare_views
from fraudnet.detect.graph import fetch_graph
from fraudnet.detect.rules import RULES, report_free_rules
from fraudnet.detect.scorer import MIN_REPORTED_PAYEES, weak_report_matrix, weak_report_model
from fraudnet.engine import Engine

PAYMENTS_SQL = """
SELECT txn_id FROM transactions
WHERE src_account IS NOT NULL AND dst_account IS NOT NULL AND src_account <> dst_account
ORDER BY txn_id
"""


def _frame_and_matrix(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame, object]:
    result = detect(engine, alert_budget=25, seed=0, write=False)
    prepare_views(engine, Cutoff(result.as_of))
    try:
        adjacency = fetch_graph(engine, result.features.index).adjacency
    finally:
        drop_views(engine)
    return result.features, weak_report_matrix(result.features, adjacency), adjacency


def _move_reports(engine: Engine, seed: int) -> None:
    """Each fraud report now names a different payment, drawn at random from all payments."""
    reports = engine.table("fraud_reports")
    payments = engine.sql(PAYMENTS_SQL).column("txn_id").to_numpy(zero_copy_only=False)
    rng = np.random.default_rng(seed)
    moved = rng.choice(payments, reports.num_rows, replace=False)
    column = reports.schema.get_field_index("txn_id")
    reports = reports.set_column(column, "txn_id", pa.array(moved.tolist(), pa.string()))
    engine.commit(replaces={"fraud_reports": reports})


def _reported(frame: pd.DataFrame) -> set[str]:
    return set(frame.index[frame["reported_in_n"].to_numpy() > 0])


def test_moving_the_reports_changes_no_input_of_the_weak_model(world: Engine) -> None:
    before, matrix_before, _ = _frame_and_matrix(world)
    _move_reports(world, seed=1)
    after, matrix_after, _ = _frame_and_matrix(world)
    old, new = _reported(before), _reported(after)
    assert len(old) >= MIN_REPORTED_PAYEES and len(new) >= MIN_REPORTED_PAYEES
    assert len(old & new) <= 0.2 * len(old), "the reported payees must really change"
    for leaked in ("rules_total", "rules_fired", "nb2_in_mean_rules_total", "reported_proximity"):
        assert not before[leaked].equals(after[leaked]), f"{leaked} should follow the reports"
    pd.testing.assert_frame_equal(matrix_before, matrix_after, check_exact=True)


def test_the_weak_model_learns_from_that_matrix_and_no_report_rule(world: Engine) -> None:
    frame, matrix, adjacency = _frame_and_matrix(world)
    model = weak_report_model(frame, 0, adjacency)
    assert model is not None
    assert model.feature_names == list(matrix.columns)
    reading = {name for name in RULES} - {rule.name for rule in report_free_rules()}
    assert reading == {"receives_reported_funds"}
    assert not any(name.startswith("reported_") for name in model.feature_names)
    assert not {"rules_total", "rules_fired", "rule_receives_reported_funds"} & set(matrix)
