"""Neighbourhood features: what an account's counterparties do, along and against the flow.

The tree-model analogue of directed message passing: for a few base features, the mean and
maximum over payees (along the flow) and senders (against it), and the mean two hops away
(a mean of neighbours' means). Sparse matrix products, so linear in the number of edges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from fraudnet.schema.detect import NEIGHBOURHOOD_BASE


def neighbourhood_features(adjacency: sp.csr_matrix, base: pd.DataFrame) -> pd.DataFrame:
    """NEIGHBOURHOOD_FEATURES for each row of `base` (aligned with the adjacency's nodes)."""
    values = base[list(NEIGHBOURHOOD_BASE)].to_numpy(dtype=np.float64)
    values = np.nan_to_num(values, nan=0.0)
    along = _mean_operator(adjacency)
    against = _mean_operator(adjacency.T.tocsr())
    out_mean = along @ values
    in_mean = against @ values
    columns: dict[str, np.ndarray] = {}
    for k, name in enumerate(NEIGHBOURHOOD_BASE):
        columns[f"nb_in_mean_{name}"] = in_mean[:, k]
        columns[f"nb_in_max_{name}"] = _neighbour_max(adjacency.T.tocsr(), values[:, k])
        columns[f"nb_out_mean_{name}"] = out_mean[:, k]
        columns[f"nb_out_max_{name}"] = _neighbour_max(adjacency, values[:, k])
        columns[f"nb2_in_mean_{name}"] = against @ in_mean[:, k]
        columns[f"nb2_out_mean_{name}"] = along @ out_mean[:, k]
    return pd.DataFrame(columns, index=base.index)


def _mean_operator(adjacency: sp.csr_matrix) -> sp.csr_matrix:
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    inverse = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    return (sp.diags(inverse) @ adjacency).tocsr()


def _neighbour_max(adjacency: sp.csr_matrix, value: np.ndarray) -> np.ndarray:
    """Row-wise max of `value` over each row's neighbours (0 with no neighbours)."""
    shifted = value - value.min() + 1.0 if len(value) else value
    weighted = adjacency.multiply(shifted[np.newaxis, :]).tocsr()
    if weighted.nnz == 0:
        return np.zeros(adjacency.shape[0])
    best = np.asarray(weighted.max(axis=1).todense()).ravel()
    low = value.min() if len(value) else 0.0
    return np.where(best > 0, best - 1.0 + low, 0.0)
