"""The learned scorer: LightGBM on features + rule strengths, cross-fitted and calibrated.

Every account in the training population gets an out-of-fold score (a model that never saw
its label), so evaluation can use every account the model did not train on. When the labels
hold only positives (an analyst list of mules), every other account is an implicit negative
(positive-unlabelled learning): still scored out-of-fold. Rare positives are weighted up;
Platt scaling on the out-of-fold margins turns them into probabilities. Contributions
(`pred_contrib=True`, TreeSHAP) explain each score.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import expit

from fraudnet.detect.report_free import report_free_parts

FOLDS = 5
MAX_NEGATIVES_PER_FIT = 30_000
MIN_POSITIVES = 5
PARAMS: dict[str, object] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 10,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbosity": -1,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
}
ROUNDS = 250


@dataclass
class ScoredModel:
    """Scores in [0, 1], per-feature contributions for explanation, and what trained it."""

    score: np.ndarray
    margin: np.ndarray
    models: list[lgb.Booster]
    feature_names: list[str]
    trained: np.ndarray
    version: str
    calibration: tuple[float, float] = (1.0, 0.0)
    notes: dict[str, float] = field(default_factory=dict)

    def contributions(self, x: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
        """Mean TreeSHAP contributions (n_rows x n_features) over the fold models."""
        sub = x.iloc[rows].to_numpy(dtype=np.float64)
        total = np.zeros((len(rows), len(self.feature_names)))
        for model in self.models:
            total += np.asarray(model.predict(sub, pred_contrib=True, num_threads=1))[:, :-1]
        return total / max(len(self.models), 1)


def label_proximity(
    adjacency: sp.csr_matrix, known_positive: np.ndarray, known_negative: np.ndarray | None = None
) -> pd.DataFrame:
    """Known (training) verdicts around an account: guilt (and innocence) by association.

    Counts of known positives among senders, payees and two hops away; their share among the
    counterparties whose verdict is known; and co-participation: the share of known positives
    among the other senders of the account's payees (and the other payees of its senders),
    which is where members of one fan-in, bipartite or stack pattern meet. An account's own
    verdict never counts towards its own features, not even along a path back through itself
    (i -> j -> i), so a labelled account trains on the values it would have unlabelled.
    """
    a = _without_self_loops((adjacency > 0).astype(np.float64))
    at = a.T.tocsr()
    k = known_positive.astype(np.float64)
    neg = np.zeros_like(k) if known_negative is None else known_negative.astype(np.float64)
    to_known = a @ k
    from_known = at @ k
    decided = a @ (k + neg) + at @ (k + neg)
    columns = {
        "known_mule_payees": to_known,
        "known_mule_senders": from_known,
        "known_mule_2hop": _two_hop_reach(a, at, k) + _two_hop_reach(at, a, k),
        "known_mule_cp_share": (to_known + from_known) / (decided + 1.0),
    }
    for name, forward, backward in (("payees", a, at), ("senders", at, a)):
        # for each payee: known positives among its senders, the account itself left out
        others = backward @ k
        degree = np.asarray(backward.sum(axis=1)).ravel()
        shared = forward.multiply(others[np.newaxis, :]).tocsr()
        shared -= forward.multiply(k[:, np.newaxis]).tocsr()  # no second named copy kept
        ratio = shared.multiply(1.0 / np.maximum(degree - 1.0, 1.0)[np.newaxis, :]).tocsr()
        columns[f"co_{name}_known_mule_max"] = _row_max(ratio)
        columns[f"co_{name}_known_mule_n"] = np.asarray(shared.sum(axis=1)).ravel()
    return pd.DataFrame(columns)


def _two_hop_reach(forward: sp.csr_matrix, backward: sp.csr_matrix, k: np.ndarray) -> np.ndarray:
    """Neighbours j of each account i (along `forward`) with a known positive beyond them
    other than i itself: a path i -> j -> i must not carry i's own verdict back to i."""
    beyond = forward @ k  # known positives one step on from each j
    back_to_self = forward.multiply(backward).tocsr()  # (i, j) where j also leads back to i
    reach = forward.multiply(beyond[np.newaxis, :]).tocsr()
    reach -= back_to_self.multiply(k[:, np.newaxis]).tocsr()
    reach.data = (reach.data > 0).astype(np.float64)
    return np.asarray(reach.sum(axis=1)).ravel()


def _without_self_loops(matrix: sp.spmatrix) -> sp.csr_matrix:
    """A payment to oneself would make an account its own counterparty."""
    result = sp.csr_matrix(matrix)
    rows = np.repeat(np.arange(result.shape[0]), np.diff(result.indptr))
    result.data[rows == result.indices] = 0
    result.eliminate_zeros()
    return result


def _row_max(matrix: sp.csr_matrix) -> np.ndarray:
    if matrix.nnz == 0:
        return np.zeros(matrix.shape[0])
    return np.maximum(np.asarray(matrix.max(axis=1).todense()).ravel(), 0.0)


def fit_and_score(
    x: pd.DataFrame, labels: np.ndarray, trained: np.ndarray, seed: int
) -> ScoredModel | None:
    """Cross-fit on rows with labels >= 0; None when there are too few positives."""
    population = np.flatnonzero(labels >= 0)
    y = labels[population]
    if int(y.sum()) < MIN_POSITIVES or int((y == 0).sum()) < MIN_POSITIVES:
        return None
    rng = np.random.default_rng(seed)
    folds = _stratified_folds(y, rng)
    values = x.to_numpy(dtype=np.float32)  # LightGBM bins features; half the memory
    margin = np.zeros(len(x))
    outside = np.ones(len(x), dtype=bool)
    outside[population] = False
    models = []
    for k in range(FOLDS):
        fit_rows = population[folds != k]
        model = _fit(values, labels, fit_rows, list(x.columns), rng, seed + k)
        models.append(model)
        held = population[folds == k]
        margin[held] = model.predict(values[held], raw_score=True, num_threads=PREDICT_THREADS)
        if outside.any():
            margin[outside] += _predict_in_chunks(model, values, outside) / FOLDS
    a, b = _platt(margin[population], y)
    score = expit(a * margin + b)
    version = _version(x.columns, labels, seed)
    notes = {"positives": float(y.sum()), "population": float(len(y))}
    return ScoredModel(score, margin, models, list(x.columns), trained, version, (a, b), notes)


PREDICT_THREADS = 2
"""Predictions are per row, so threads cannot change them (unlike training's sums)."""
PREDICT_CHUNK = 100_000
"""Rows scored per call: `values[mask]` of a million accounts would copy the whole matrix."""


def _predict_in_chunks(model: lgb.Booster, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Raw margins of the rows selected by the boolean mask `rows`, in mask order."""
    chosen = np.flatnonzero(rows)
    out = np.empty(len(chosen))
    for start in range(0, len(chosen), PREDICT_CHUNK):
        part = chosen[start : start + PREDICT_CHUNK]
        margins = model.predict(values[part], raw_score=True, num_threads=PREDICT_THREADS)
        out[start : start + len(part)] = margins
    return out


def _stratified_folds(y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    folds = np.zeros(len(y), dtype=np.int64)
    for cls in (0, 1):
        idx = np.flatnonzero(y == cls)
        folds[rng.permutation(idx)] = np.arange(len(idx)) % FOLDS
    return folds


def _fit(
    values: np.ndarray,
    labels: np.ndarray,
    rows: np.ndarray,
    names: list[str],
    rng: np.random.Generator,
    seed: int,
) -> lgb.Booster:
    y = labels[rows]
    pos, neg = rows[y == 1], rows[y == 0]
    neg_weight = 1.0
    if len(neg) > MAX_NEGATIVES_PER_FIT:
        neg_weight = len(neg) / MAX_NEGATIVES_PER_FIT
        neg = rng.choice(neg, MAX_NEGATIVES_PER_FIT, replace=False)
    chosen = np.r_[pos, neg]
    pos_weight = np.sqrt(len(neg) * neg_weight / max(len(pos), 1))
    weight = np.where(labels[chosen] == 1, pos_weight, neg_weight)
    data = lgb.Dataset(
        values[chosen], labels[chosen], weight=weight, feature_name=names, free_raw_data=True
    )
    params = dict(PARAMS, seed=seed)
    return lgb.train(params, data, num_boost_round=ROUNDS)


def _platt(margin: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Logistic fit of labels on margins by Newton's method (two parameters)."""
    a, b = 1.0, 0.0
    for _ in range(50):
        p = expit(a * margin + b)
        grad = np.array([np.sum((p - y) * margin), np.sum(p - y)])
        w = p * (1 - p) + 1e-9
        hess = np.array(
            [[np.sum(w * margin * margin), np.sum(w * margin)], [np.sum(w * margin), np.sum(w)]]
        )
        hess += np.eye(2) * 1e-6
        step = np.linalg.solve(hess, grad)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def _version(columns: pd.Index, labels: np.ndarray, seed: int) -> str:
    digest = hashlib.sha256()
    digest.update(",".join(columns).encode())
    digest.update(repr((sorted(PARAMS.items()), ROUNDS, FOLDS, seed)).encode())
    digest.update(np.ascontiguousarray(labels).tobytes())
    return f"lgbm-{digest.hexdigest()[:10]}"


MIN_REPORTED_PAYEES = 10


def float32_matrix(parts: list[pd.DataFrame], skip: set[str] | None = None) -> pd.DataFrame:
    """The model matrix: `parts` side by side in float32, written once into one array.

    Columns are read by position (each part's index is ignored), so callers need not
    `reset_index` (another copy of the frame).

    pandas `concat`, `drop` and `astype` each copy the whole matrix; on a million accounts and
    three hundred features every copy is more than a gigabyte, and the copies were the run's
    peak memory. LightGBM bins the values anyway.
    """
    names = [str(c) for part in parts for c in part.columns if str(c) not in (skip or set())]
    rows = len(parts[0]) if parts else 0
    values = np.empty((rows, len(names)), dtype=np.float32)
    k = 0
    for part in parts:
        for column in part.columns:
            if str(column) in (skip or set()):
                continue
            values[:, k] = part[column].to_numpy(dtype=np.float32, na_value=np.nan)
            k += 1
    return pd.DataFrame(values, columns=names, copy=False)


def weak_report_matrix(frame: pd.DataFrame, adjacency: sp.csr_matrix) -> pd.DataFrame:
    """The weak model's inputs: no column is a function of the fraud reports (its target)."""
    return float32_matrix(*report_free_parts(frame, adjacency))


def weak_report_model(
    frame: pd.DataFrame, seed: int, adjacency: sp.csr_matrix
) -> ScoredModel | None:
    """With no labels: learn what payees of reported fraud look like, from everything else.

    Accounts that received a payment a victim reported are weak positives, every other account
    a weak negative. No input is computed from the reports (`fraudnet.detect.report_free`), so
    the model must find the same behaviour in accounts nobody has reported yet. None with too
    few reported payees.
    """
    reported = frame["reported_in_n"].to_numpy() > 0
    if int(reported.sum()) < MIN_REPORTED_PAYEES:
        return None
    x = weak_report_matrix(frame, adjacency)
    weak = reported.astype(np.int64)
    return fit_and_score(x, weak, np.zeros(len(x), dtype=bool), seed)
