"""Neighbourhood features: what an account's counterparties do, along and against the flow.

The tree-model analogue of directed message passing: for a few base features, the mean and
maximum over payees (along the flow) and senders (against it), and the mean two hops away
(a mean of neighbours' means). Sparse matrix products and one segmented maximum over the CSR
arrays, so linear in the number of edges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from fraudnet.schema.detect import NEIGHBOURHOOD_BASE


def neighbourhood_features(
    adjacency: sp.csr_matrix, base: pd.DataFrame, bases: tuple[str, ...] = NEIGHBOURHOOD_BASE
) -> pd.DataFrame:
    """NEIGHBOURHOOD_FEATURES of `bases` for each row of `base` (aligned with the adjacency)."""
    values = base[list(bases)].to_numpy(dtype=np.float64)
    values = np.nan_to_num(values, nan=0.0)
    reverse = adjacency.T.tocsr()
    along = _mean_operator(adjacency)
    against = _mean_operator(reverse)
    out_mean = along @ values
    in_mean = against @ values
    in_max = _neighbour_max(reverse, values)
    out_max = _neighbour_max(adjacency, values)
    in_mean2 = against @ in_mean
    out_mean2 = along @ out_mean
    columns: dict[str, np.ndarray] = {}
    for k, name in enumerate(bases):
        columns[f"nb_in_mean_{name}"] = in_mean[:, k]
        columns[f"nb_in_max_{name}"] = in_max[:, k]
        columns[f"nb_out_mean_{name}"] = out_mean[:, k]
        columns[f"nb_out_max_{name}"] = out_max[:, k]
        columns[f"nb2_in_mean_{name}"] = in_mean2[:, k]
        columns[f"nb2_out_mean_{name}"] = out_mean2[:, k]
    return pd.DataFrame(columns, index=base.index)


def _mean_operator(adjacency: sp.csr_matrix) -> sp.csr_matrix:
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    inverse = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    return (sp.diags(inverse) @ adjacency).tocsr()


def _neighbour_max(adjacency: sp.csr_matrix, values: np.ndarray) -> np.ndarray:
    """Row-wise max of `values` (one column per feature) over each row's stored neighbours.

    0 for a row with no neighbours. One segmented maximum per column over the CSR arrays.
    """
    result = np.zeros((adjacency.shape[0], values.shape[1]))
    busy = np.diff(adjacency.indptr) > 0
    if not busy.any():
        return result
    starts = adjacency.indptr[:-1][busy]
    for k in range(values.shape[1]):
        result[busy, k] = np.maximum.reduceat(values[:, k][adjacency.indices], starts)
    return result
