"""Nothing after the cut-off reaches a score: adding later payments changes no score."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from fraudnet.detect import detect
from fraudnet.engine import Engine


def _later_payments(engine: Engine, cutoff: dt.datetime) -> pa.Table:
    """Copies of real payments (same accounts) moved to after the cut-off, new ids."""
    sample = engine.sql("SELECT * FROM transactions ORDER BY txn_id LIMIT 3000")
    shift = pa.array([cutoff + dt.timedelta(hours=1 + i % 240) for i in range(sample.num_rows)])
    ids = pc.binary_join_element_wise("LATE-", sample.column("txn_id"), "")
    sample = sample.set_column(sample.schema.get_field_index("ts"), "ts", shift)
    return sample.set_column(sample.schema.get_field_index("txn_id"), "txn_id", ids)


def test_payments_after_cutoff_change_no_score(world: Engine) -> None:
    cutoff = dt.datetime(2025, 2, 20)
    before = detect(world, as_of=cutoff, reveal_ground_truth=0.5, seed=3, write=False)
    world.append("transactions", _later_payments(world, cutoff))
    after = detect(world, as_of=cutoff, reveal_ground_truth=0.5, seed=3, write=False)
    assert before.mode == "supervised"
    assert before.scores.column("account_id").equals(after.scores.column("account_id"))
    assert before.scores.column("score").to_pylist() == after.scores.column("score").to_pylist()
    assert before.scores.column("reasons").equals(after.scores.column("reasons"))
    assert len(set(before.scores.column("score").to_pylist())) > 100  # a real, varied model
    assert world.sql("SELECT MAX(ts) AS m FROM transactions").column(0)[0].as_py() > cutoff
