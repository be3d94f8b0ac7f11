"""`detect`: features as of a cut-off, typology rules, a score per account, alerts in budget."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from fraudnet.detect.anomaly import VERSION as UNSUPERVISED_VERSION
from fraudnet.detect.anomaly import unsupervised_score
from fraudnet.detect.asof import Cutoff, drop_views, latest_timestamp, prepare_views
from fraudnet.detect.budget import DEFAULT_ALERT_BUDGET, daily_alerts, first_active_days, top_alerts
from fraudnet.detect.evidence import EVIDENCE_ACCOUNTS, rule_hits_table
from fraudnet.detect.features import tabular_features
from fraudnet.detect.graph import fetch_graph, graph_features
from fraudnet.detect.labels import training_labels
from fraudnet.detect.motifs import Transfers, fetch_transfers, known_in_bursts, motif_features
from fraudnet.detect.neighbourhood import neighbourhood_features
from fraudnet.detect.reasons import (
    ANOMALY_PHRASE,
    REPORTED_LIKE_PHRASE,
    model_reasons,
    rule_reasons,
)
from fraudnet.detect.rules import RULES, rule_strengths
from fraudnet.detect.scorer import (
    ScoredModel,
    fit_and_score,
    float32_matrix,
    label_proximity,
    weak_report_model,
)
from fraudnet.detect.splits import split_named
from fraudnet.engine import Engine
from fraudnet.schema.detect import ALL_FEATURES

EXPLAIN_LIMIT = 2_000
"""Model explanations (TreeSHAP) are computed for this many top-scored accounts (and every
alert); the rest are explained by the typology rules they fired."""


@dataclass
class DetectResult:
    """Everything one detection run produced, as tables a notebook can use directly."""

    as_of: dt.datetime
    features: pd.DataFrame
    rule_strengths: pd.DataFrame
    scores: pa.Table
    alerts: pa.Table
    rule_hits: pa.Table
    model_version: str
    mode: str
    trained_accounts: int
    timings: dict[str, float] = field(default_factory=dict)


Progress = Callable[[str], None]


def detect(
    engine: Engine,
    as_of: dt.datetime | None = None,
    alert_budget: int = DEFAULT_ALERT_BUDGET,
    reveal_ground_truth: float = 0.0,
    seed: int = 0,
    write: bool = True,
    progress: Progress | None = None,
    per_day_window: int | None = None,
    reveal_split: str = "random",
) -> DetectResult:
    """Score every account as of `as_of` (default: the newest payment) and pick alerts.

    `alert_budget` is a total unless `per_day_window` is given: then it is alerts per day,
    over the last `per_day_window` days before the cut-off (1 for a daily run), as a review
    queue (see `fraudnet.detect.budget`). `reveal_split` names how `reveal_ground_truth` is
    drawn: `random`, `ring` or `time` (see `fraudnet.detect.splits`).
    """
    notify = progress or (lambda _stage: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now

    split = split_named(reveal_split)
    cutoff = Cutoff(as_of or latest_timestamp(engine) or dt.datetime(1970, 1, 1))
    notify("preparing the cut-off views")
    prepare_views(engine, cutoff)
    try:
        notify("tabular features")
        frame = tabular_features(engine, cutoff)
        lap("tabular_features")
        notify("transfer motifs")
        transfers: Transfers | None = fetch_transfers(engine, frame.index)
        frame = frame.join(motif_features(engine, frame.index, transfers))
        labels = training_labels(engine, cutoff, reveal_ground_truth, seed, split)
        if labels.empty:
            transfers = None  # only the label features read them again: free the memory
        lap("motif_features")
        notify("graph features")
        graph = fetch_graph(engine, frame.index)
        graph_cols = graph_features(
            graph, frame["reported_in_n"].to_numpy(), frame["fast_out_share_7d"].to_numpy()
        )
        frame = frame.assign(**graph_cols)
        lap("graph_features")
        strengths = rule_strengths(frame)
        frame = frame.assign(
            rules_total=strengths["rules_total"], rules_fired=strengths["rules_fired"]
        )
        adjacency = graph.adjacency
        frame = frame.join(neighbourhood_features(adjacency, frame))
        frame = frame[[name for name, _ in ALL_FEATURES]]
        lap("rules_and_neighbourhood")
        notify("scoring")
        explained = alert_budget * (per_day_window or 1)
        scored = _score(frame, strengths, adjacency, labels, seed, explained, transfers)
        lap("scoring")
        score, reasons, version, mode, trained = scored
        scores = _scores_table(frame.index, score, reasons, version, trained, cutoff.as_of)
        if per_day_window:
            active = first_active_days(engine, cutoff, per_day_window)
            alerts = daily_alerts(scores, alert_budget, active)
        else:
            alerts = top_alerts(scores, alert_budget)
        notify("rule evidence")
        top = frame.index[np.argsort(-score, kind="stable")[:EVIDENCE_ACCOUNTS]]
        explain = top.union(pd.Index(alerts.column("account_id").to_pylist()), sort=False)
        hits = rule_hits_table(engine, cutoff, frame, strengths, explain)
        lap("rule_evidence")
    finally:
        drop_views(engine)
    result = DetectResult(
        cutoff.as_of, frame, strengths, scores, alerts, hits, version, mode, int(trained.sum())
    )
    if write:
        notify("writing")
        write_results(engine, result)
        lap("write")
    result.timings = timings
    return result


def _score(
    frame: pd.DataFrame,
    strengths: pd.DataFrame,
    adjacency: object,
    labels: pd.Series,
    seed: int,
    alert_budget: int,
    transfers: Transfers | None,
) -> tuple[np.ndarray, list[str], str, str, np.ndarray]:
    """(score, reasons, model_version, mode, trained flags).

    With labels, two models are cross-fitted on the same verdicts, one with the label features
    (closeness to known mules, known accomplices in bursts) and one without, and an account
    scores the higher of the two. The label features find the rest of a ring analysts know;
    but a model trained on them learns that mules sit next to known mules, which is false of
    a new ring (in the ring split on the eval5 simulator worlds, every trained positive had a
    revealed mule as a counterparty and 2% of the unseen ones did): the structure-only model
    carries the rings nobody has labelled yet. Each account is explained by the model that
    gave its score.
    """
    import scipy.sparse as sp

    assert isinstance(adjacency, sp.csr_matrix)
    n = len(frame)
    verdict = np.full(n, -1, dtype=np.int64)
    position = frame.index.get_indexer(labels.index)
    known = position >= 0
    verdict[position[known]] = labels.to_numpy()[known]
    trained = verdict >= 0
    positives = verdict == 1
    negatives = verdict == 0
    if trained.any() and (verdict[trained] == 0).sum() < max(20, positives.sum()):
        verdict[~trained] = 0  # positives only: every other account is an implicit negative
    rules = strengths[list(RULES)].add_prefix("rule_")
    model = structure = None
    if trained.any():
        parts = [
            frame,  # float32_matrix reads by position: no reset_index copy of the frame
            rules,
            label_proximity(adjacency, positives, negatives),
        ]
        if transfers is not None:
            parts.append(known_in_bursts(transfers, positives))
            parts.append(known_in_bursts(transfers, positives, 3).add_suffix("_3d"))
        x = float32_matrix(parts)
        del parts
        model = fit_and_score(x, verdict, trained, seed)
    if model is None:
        weak = weak_report_model(frame, seed, adjacency)
        score, anomaly = unsupervised_score(frame, adjacency, seed, weak)
        phrase = ANOMALY_PHRASE if weak is None else REPORTED_LIKE_PHRASE
        reasons = rule_reasons(strengths, frame, anomaly, phrase)
        version = UNSUPERVISED_VERSION if weak is None else f"reports-{weak.version}+rules"
        return score, reasons, version, "unsupervised", np.zeros(n, dtype=bool)
    x_structure = float32_matrix([frame, rules])
    structure = fit_and_score(x_structure, verdict, trained, seed)
    score = model.score if structure is None else np.maximum(model.score, structure.score)
    by_structure = np.zeros(n, dtype=bool) if structure is None else structure.score > model.score
    order = np.argsort(-score, kind="stable")[: max(EXPLAIN_LIMIT, alert_budget)]
    reasons = rule_reasons(strengths, frame, None)
    for scorer, matrix, rows in ((model, x, ~by_structure), (structure, x_structure, by_structure)):
        if scorer is not None:
            _explain(reasons, scorer, matrix, order[rows[order]])
    version = model.version if structure is None else f"{model.version}|{structure.version}"
    return score, reasons, version, "supervised", trained


def _explain(reasons: list[str], model: ScoredModel, x: pd.DataFrame, rows: np.ndarray) -> None:
    """Replace the `rows`' reasons by the model's TreeSHAP explanation, in chunks."""
    for chunk in np.array_split(rows, max(1, len(rows) // 10_000)):
        if len(chunk) == 0:
            continue
        phrases = model_reasons(model.contributions(x, chunk), x.iloc[chunk], model.feature_names)
        for row, text in zip(chunk, phrases, strict=True):
            reasons[row] = text


def _scores_table(
    accounts: pd.Index,
    score: np.ndarray,
    reasons: list[str],
    version: str,
    trained: np.ndarray,
    as_of: dt.datetime,
) -> pa.Table:
    n = len(accounts)
    return pa.table(
        {
            "account_id": pa.array(accounts.astype(str).tolist(), pa.string()),
            "score": pa.array(np.round(score.astype(np.float64), 6)),
            "model_version": pa.array([version] * n, pa.string()),
            "reasons": pa.array(reasons, pa.string()),
            "trained_on": pa.array(trained.astype(np.int64)),
            "as_of": pa.array([as_of] * n, pa.timestamp("us")),
        }
    )


def features_table(frame: pd.DataFrame, as_of: dt.datetime) -> pa.Table:
    """The wide account_features table of a feature frame."""
    table = pa.Table.from_pandas(frame, preserve_index=True)  # reset_index would copy it
    index = str(frame.index.name or "account_id")
    table = table.rename_columns([*table.column_names[:-1], index])
    table = table.select([index, *table.column_names[:-1]])
    return table.append_column("as_of", pa.array([as_of] * len(frame), pa.timestamp("us")))


def write_results(engine: Engine, result: DetectResult) -> None:
    """Replace the detection tables with this run, atomically."""
    engine.commit(
        replaces={
            "account_features": features_table(result.features, result.as_of),
            "rule_hits": result.rule_hits,
            "scores": result.scores,
            "alerts": result.alerts,
        }
    )
