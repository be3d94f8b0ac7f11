"""Reveal splits: whole rings together, crime after T unseen, and the CLI option."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.detect import detect
from fraudnet.detect.labels import ground_truth_accounts
from fraudnet.detect.splits import (
    SPLITS,
    first_criminal_activity,
    ring_of,
    split_named,
    time_cut,
)
from fraudnet.engine import Engine, open_engine
from fraudnet.errors import FraudnetError
from tests.detect.test_rules_and_budget import mule_shapes


def _ring_labels() -> pa.Table:
    # A sits in rings r1 and r2, so r1 and r2 are one ring; S is alone in r3
    return pa.table(
        {
            "subject": ["A", "A", "B", "C", "S", "P1"],
            "label": ["mule", "mule", "mule", "collector", "mule", "legitimate"],
            "network_id": ["r1", "r2", "r1", "r2", "r3", None],
            "source": ["ground_truth"] * 6,
        }
    )


def test_rings_sharing_a_member_are_one_ring(duck_store: Engine) -> None:
    duck_store.append("transactions", mule_shapes())
    duck_store.append("labels", _ring_labels())
    ring = ring_of(duck_store)
    assert set(ring.index) == {"A", "B", "C", "S"}
    assert ring["A"] == ring["B"] == ring["C"] != ring["S"]


def test_ring_split_reveals_whole_rings(amlsim_store: tuple[Engine, dict[str, str]]) -> None:
    engine, _ = amlsim_store
    ring = ring_of(engine)
    for seed in range(3):
        revealed = split_named("ring").reveal(engine, ground_truth_accounts(engine), 0.5, seed)
        members = ring.reindex(revealed.index).dropna()
        known_rings = set(members)
        assert set(ring[ring.isin(known_rings)].index) <= set(revealed.index)  # whole rings
        assert len(known_rings) == round(0.5 * ring.nunique())
        outside = ground_truth_accounts(engine).drop(ring.index)
        share = outside.index.isin(revealed.index).mean()
        assert 0.45 < share < 0.55  # accounts in no ring: a random half (1,400 of them)


def test_time_split_leaves_crime_after_t_unseen(
    amlsim_store: tuple[Engine, dict[str, str]],
) -> None:
    engine, _ = amlsim_store
    truth = ground_truth_accounts(engine)
    positives = truth[truth == 1].index
    starts = first_criminal_activity(engine).reindex(positives)
    revealed = split_named("time").reveal(engine, truth, 0.5, 1)
    seen = positives.isin(revealed.index)
    cut = time_cut(starts, 0.5)
    assert starts[seen].max() <= cut < starts[~seen].min()
    assert 0.4 < seen.mean() < 0.75  # whole days tie, so the share seen is at least half


def test_unknown_split_is_one_clear_error() -> None:
    with pytest.raises(FraudnetError, match=r"'bogus'.*random, ring, time"):
        split_named("bogus")
    assert sorted(SPLITS) == ["random", "ring", "time"]


def test_detect_with_a_ring_split_trains_on_no_unseen_ring(
    amlsim_store: tuple[Engine, dict[str, str]],
) -> None:
    engine, _ = amlsim_store
    result = detect(engine, alert_budget=15, reveal_ground_truth=0.5, seed=2, reveal_split="ring")
    scores = result.scores.to_pandas().set_index("account_id")
    ring = ring_of(engine)
    trained = scores["trained_on"].reindex(ring.index).groupby(ring).agg(["min", "max"])
    assert (trained["min"] == trained["max"]).all()  # every ring wholly trained or unseen
    assert 0 < trained["max"].sum() < len(trained)


def test_cli_reveal_split(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    with open_engine(store, "duckdb") as engine:
        engine.append("transactions", mule_shapes())
        engine.append("labels", _ring_labels())
    runner = CliRunner()
    args = ["detect", str(store), "--reveal-ground-truth", "0.5", "--alert-budget", "2"]
    result = runner.invoke(app, [*args, "--reveal-split", "ring", "--seed", "1"])
    assert result.exit_code == 0, result.output
    with open_engine(store, "duckdb") as engine:
        scores = engine.table("scores").to_pandas().set_index("account_id")
    assert len(set(scores.loc[["A", "B", "C"], "trained_on"])) == 1
    bad = runner.invoke(app, [*args, "--reveal-split", "bogus"])
    assert bad.exit_code != 0 and "bogus" in bad.output
    assert isinstance(scores, pd.DataFrame)
