"""The fallback with no training labels: layering motifs, typology rules, an anomaly score.

With no fraud reports to learn from, the score is mostly the layering motifs of
`fraudnet.detect.motifs` (bursts of first-time counterparties, relays of a new sender's money
to a new payee) and the dense groups of short-lived ties of `fraudnet.detect.tie_groups`
(rings that meet, pay each other for days and part), ranked; the rules say whether an
account is unusual in a mule-like way, and an Isolation Forest over flow-shape features
(log-scaled) adds a little of how unusual it is at all (on AMLSim-style data alone it found
busy accounts, not launderers). Blended, then
smoothed once over the money-flow graph: mules work in networks, so an account whose
counterparties score high is raised a little (guilt by association, not proof).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.ensemble import IsolationForest

from fraudnet.detect.motifs import layering_score
from fraudnet.detect.new_ties import new_tie_score
from fraudnet.detect.scorer import ScoredModel
from fraudnet.detect.tie_groups import tie_group_score

ANOMALY_FEATURES = (
    "pass_through",
    "fast_out_share_1h",
    "fast_out_share_24h",
    "dwell_hours",
    "in_cp",
    "out_cp",
    "new_in_cp_30d",
    "new_out_cp_30d",
    "in_top_share",
    "quiet_days_before_recent",
    "out_exit_share",
    "fan_in_2hop",
    "fan_out_2hop",
    "scatter_gather_out",
    "scatter_gather_in",
    "cycle_3",
    "cycle_4",
    "reported_proximity",
    "nb_in_mean_pass_through",
    "nb_out_mean_pass_through",
    "nb_in_mean_fast_out_share_24h",
    "nb_out_mean_fast_out_share_24h",
)
LAYERING_WEIGHT = 0.7
RULE_WEIGHT = 0.2
ANOMALY_WEIGHT = 0.10
TIE_GROUP_WEIGHT = 2.0
"""Weight of `tie_group_score` (dense groups of short-lived ties) in the label-free blend,
against layering 0.7, rules 0.2 and anomaly 0.1; the blend is divided by the weights' sum.
On AMLSim-style development worlds 201/202 it took PR-AUC from 0.216/0.224 to 0.535/0.550
(weights 1 and 4 gave 0.51-0.54: the exact value matters little)."""
NEW_TIE_WEIGHT = 0.6
"""Weight of `new_tie_score` (fans and cycles of one-off ties) in the label-free blend, chosen
on AMLSim-style development world 201: its PR-AUC went from 0.537 to 0.648 (daily schedule)
and 0.327 to 0.365 (wide), `bench/results/detect_quality_dev_before-fans.json` against
`detect_quality_dev_fans.json`."""
LABEL_FREE_WEIGHTS = (
    LAYERING_WEIGHT + RULE_WEIGHT + ANOMALY_WEIGHT + TIE_GROUP_WEIGHT + NEW_TIE_WEIGHT
)
NEIGHBOUR_WEIGHT = 0.3
REPORT_WEIGHTS = (0.8, 0.0, 0.2)
"""With fraud reports: (weak model's calibrated probability, rules, closeness to reported
payees). The probability, not its rank: a rank lifts every account the model finds merely
ordinary to mid-scale, which the graph smoothing then spreads; on simulator development
seeds 101-106 the probability took mean PR-AUC from 0.698 to 0.768 (worst seed 0.608 to
0.677). The rules get no weight: on the development worlds they lowered PR-AUC (0.51 ->
0.60 and 0.64 -> 0.69 without them); they still explain the score."""
VERSION = "layering+rules+iforest-v2"


def anomaly_score(frame: pd.DataFrame, seed: int) -> np.ndarray:
    """Isolation Forest anomaly in [0, 1] (1 = most isolated)."""
    values = frame[list(ANOMALY_FEATURES)].to_numpy(dtype=np.float64)
    values = np.sign(values) * np.log1p(np.abs(np.nan_to_num(values, nan=0.0)))
    if len(values) < 2:
        return np.zeros(len(values))
    forest = IsolationForest(n_estimators=100, max_samples=min(512, len(values)), random_state=seed)
    forest.fit(values)
    return _rank(-forest.score_samples(values))


def unsupervised_score(
    frame: pd.DataFrame, adjacency: sp.csr_matrix, seed: int, weak: ScoredModel | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(score in [0, 1], anomaly in [0, 1]) from rules, anomaly and one graph smoothing step.

    With a weak model learned from fraud reports, its out-of-fold probability takes the
    place of the anomaly score, and being downstream of a reported payee adds to the score.
    """
    rules = frame["rules_total"].to_numpy(dtype=np.float64)
    rules = rules / max(float(rules.max()), 1e-9)
    if weak is not None:
        learned = weak.score
        anomaly = _rank(weak.margin)  # "looks like a reported payee" percentile, for reasons
        proximity = frame["reported_proximity"].to_numpy(dtype=np.float64)
        w_learned, w_rules, w_proximity = REPORT_WEIGHTS
        blended = w_learned * learned + w_rules * rules + w_proximity * proximity
    else:
        anomaly = anomaly_score(frame, seed)
        layering = layering_score(frame)
        groups = tie_group_score(frame)
        blended = (
            LAYERING_WEIGHT * layering
            + RULE_WEIGHT * rules
            + ANOMALY_WEIGHT * anomaly
            + TIE_GROUP_WEIGHT * groups
            + NEW_TIE_WEIGHT * new_tie_score(frame)
        ) / LABEL_FREE_WEIGHTS
    symmetric = ((adjacency + adjacency.T) > 0).astype(np.float64).tocsr()
    degree = np.asarray(symmetric.sum(axis=1)).ravel()
    neighbour = np.divide(symmetric @ blended, degree, out=np.zeros_like(blended), where=degree > 0)
    score = (1 - NEIGHBOUR_WEIGHT) * blended + NEIGHBOUR_WEIGHT * neighbour
    return np.clip(score, 0.0, 1.0), anomaly


def _rank(values: np.ndarray) -> np.ndarray:
    order = np.argsort(np.argsort(values, kind="stable"), kind="stable")
    return order / max(len(values) - 1, 1)
