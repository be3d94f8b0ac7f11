"""Same features on DuckDB and Spark; AMLSim-style data (no ages, no devices) still scores."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from fraudnet.detect import detect, evaluate
from fraudnet.detect.asof import Cutoff, drop_views, latest_timestamp, prepare_views
from fraudnet.detect.features import tabular_features
from fraudnet.detect.motifs import motif_features
from fraudnet.engine import Engine, open_engine
from tests.detect.test_rules_and_budget import mule_shapes


def _features(engine: Engine) -> dict[str, dict[str, float]]:
    as_of = latest_timestamp(engine)
    assert as_of is not None
    cutoff = Cutoff(as_of)
    prepare_views(engine, cutoff)
    try:
        frame = tabular_features(engine, cutoff)
        frame = frame.join(motif_features(engine, frame.index))
    finally:
        drop_views(engine)
    return {
        str(k): {str(c): float(x) for c, x in v.items()}
        for k, v in frame.to_dict(orient="index").items()
    }


@pytest.mark.spark
def test_tabular_and_motif_features_agree_on_duckdb_and_spark(tmp_path: Path) -> None:
    results = []
    for name in ("duckdb", "spark"):
        location = tmp_path / ("s.duckdb" if name == "duckdb" else "spark")
        with open_engine(location, name) as engine:
            engine.append("transactions", mule_shapes())
            results.append(_features(engine))
    duck, spark = results
    assert duck.keys() == spark.keys() and "MULE" in duck
    for account, row in duck.items():
        for feature, value in row.items():
            other = spark[account][feature]
            same = (math.isnan(value) and math.isnan(other)) or math.isclose(
                value, other, rel_tol=1e-9, abs_tol=1e-9
            )
            assert same, (account, feature, value, other)
    assert duck["MULE"]["in_cp"] == 8 and duck["MULE"]["fast_out_share_1h"] > 0.9
    # victims 0-7 pay one a day: at most 7 first-time senders fall within 3 days of a credit
    assert duck["MULE"]["new_sender_burst_max"] == 7
    assert duck["MULE"]["new_relays"] == 1  # only its first payment to COLLECTOR is new
    assert duck["B"]["margin_forwards"] == 1  # B forwards 880 of the 900 it received


def test_amlsim_world_scores_without_ages_devices_or_reports(
    amlsim_store: tuple[Engine, dict[str, str]], tmp_path: Path
) -> None:
    engine, typologies = amlsim_store
    unsupervised = detect(engine, alert_budget=30, seed=1)
    assert unsupervised.mode == "unsupervised"
    frame = unsupervised.features
    assert frame["account_age_days"].isna().all() and (frame["device_shared_max"] == 0).all()
    report = evaluate(engine, out=tmp_path / "eval", typologies=typologies)
    assert report.truth_source == "ground_truth" and report.excluded_trained == 0
    assert report.pr_auc > report.base_rate  # better than chance, however modest
    assert set(report.recall_by_typology) <= set(typologies.values())
    assert (tmp_path / "eval" / "pr_curve.png").stat().st_size > 1000
    supervised = detect(engine, alert_budget=30, reveal_ground_truth=0.5, seed=1)
    assert supervised.mode == "supervised" and supervised.trained_accounts > 0
    report = evaluate(engine)
    assert report.excluded_trained == supervised.trained_accounts
    assert report.accounts_evaluated == frame.shape[0] - supervised.trained_accounts
    assert report.pr_auc > report.base_rate
