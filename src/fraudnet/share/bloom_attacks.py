"""Attacks on Bloom-filter encodings, run by the tests and the benchmark to measure leakage.

The attacker holds the encodings of one field (say surnames) of many records, knows the
encoding parameters but not the secret, and holds a public list of plaintext names with
their frequencies from the same population (a directory, a voter list). Both attacks assign
each encoding cluster at most one name and each name at most one cluster; the score is the
share of encoded records whose name is guessed exactly.

- `frequency_attack` (Kuzu et al. 2011; Christen et al. 2017): cluster identical or nearly
  identical encodings, rank clusters and names by frequency, pair them rank by rank.
- `graph_attack` (after Vidanage, Christen, Ranbaduge & Schnell, CIKM 2020): describe every
  node of the encoded similarity graph and of the plaintext q-gram similarity graph by its
  estimated q-gram count, frequency and neighbourhood (degrees at several Dice thresholds),
  then match the two node sets with the Hungarian algorithm on those features.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from fraudnet.share.bloom import dice_matrix, qgrams

DEGREE_THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8)


@dataclass(frozen=True, slots=True)
class AttackResult:
    """How many encoded records an attack re-identified."""

    attack: str
    records: int
    reidentified: int

    @property
    def rate(self) -> float:
        return self.reidentified / self.records if self.records else 0.0


def cluster_encodings(filters: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster id per filter: a leader takes every unassigned filter within `threshold` Dice."""
    distinct, inverse = np.unique(filters, axis=0, return_inverse=True)
    if threshold >= 1.0:
        return inverse.ravel()
    labels = np.full(distinct.shape[0], -1)
    for start in range(distinct.shape[0]):
        if labels[start] >= 0:
            continue
        close = dice_matrix(distinct[start : start + 1], distinct)[0] >= threshold
        labels[close & (labels < 0)] = start
    return labels[inverse.ravel()]


def _score(
    name: str, cluster_of: np.ndarray, guesses: dict[int, str], truth: list[str]
) -> AttackResult:
    hits = sum(1 for c, t in zip(cluster_of.tolist(), truth, strict=True) if guesses.get(c) == t)
    return AttackResult(name, len(truth), hits)


def frequency_attack(
    filters: np.ndarray, truth: list[str], public: Counter[str], cluster_threshold: float = 0.9
) -> AttackResult:
    """Pair the i-th most frequent encoding cluster with the i-th most frequent public name."""
    cluster_of = cluster_encodings(filters, cluster_threshold)
    clusters = [c for c, _ in Counter(cluster_of.tolist()).most_common()]
    names = [n for n, _ in public.most_common()]
    return _score("frequency", cluster_of, dict(zip(clusters, names, strict=False)), truth)


def _features(similarity: np.ndarray, sizes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    np.fill_diagonal(similarity, 0.0)
    degrees = [(similarity >= t).sum(axis=1) for t in DEGREE_THRESHOLDS]
    columns = [sizes, np.log1p(counts), *[np.log1p(d) for d in degrees], similarity.max(axis=1)]
    return np.column_stack(columns).astype(np.float64)


def _plaintext_graph(names: list[str], q: int) -> tuple[np.ndarray, np.ndarray]:
    vocabulary = sorted({g for n in names for g in qgrams(n, q)})
    index = {g: i for i, g in enumerate(vocabulary)}
    rows = np.zeros((len(names), len(vocabulary)), dtype=np.float32)
    for r, name in enumerate(names):
        rows[r, [index[g] for g in qgrams(name, q)]] = 1.0
    common = rows @ rows.T
    sizes = rows.sum(axis=1)
    total = sizes[:, None] + sizes[None, :]
    return np.divide(2 * common, total, out=np.zeros_like(common), where=total > 0), sizes


def _estimated_grams(filters: np.ndarray, bits: int, hashes: int) -> np.ndarray:
    """Swamidass-Baldi estimate of how many q-grams set the ones in each filter."""
    ones = np.bitwise_count(filters).sum(axis=1).astype(np.float64)
    return -(bits / hashes) * np.log1p(-np.minimum(ones, bits - 1) / bits)


def graph_attack(
    filters: np.ndarray,
    truth: list[str],
    public: Counter[str],
    hashes: int,
    q: int = 2,
    cluster_threshold: float = 0.9,
) -> AttackResult:
    """Match encoded and plaintext similarity-graph nodes by their features (Hungarian)."""
    from scipy.optimize import linear_sum_assignment
    from scipy.spatial.distance import cdist

    cluster_of = cluster_encodings(filters, cluster_threshold)
    cluster_ids, first, counts = np.unique(cluster_of, return_index=True, return_counts=True)
    nodes = filters[first]
    encoded = _features(
        dice_matrix(nodes, nodes), _estimated_grams(nodes, nodes.shape[1] * 64, hashes), counts
    )
    names = sorted(public)
    similarity, sizes = _plaintext_graph(names, q)
    plain = _features(similarity, sizes, np.array([public[n] for n in names], dtype=np.float64))
    scale = np.vstack([encoded, plain]).std(axis=0) + 1e-9
    cost = cdist(encoded / scale, plain / scale)
    rows, cols = linear_sum_assignment(cost)
    guesses = {int(cluster_ids[r]): names[c] for r, c in zip(rows, cols, strict=True)}
    return _score("graph", cluster_of, guesses, truth)
