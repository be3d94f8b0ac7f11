"""A straightforward pandas + networkx version of the detection features (bench/detect.py).

The same feature families as fraudnet.detect (windows, counterparties, amount-matched
pass-through, dwell, graph shapes, PageRank, neighbourhood means) written the way a data
scientist would in a notebook: pandas group-bys and per-account loops over a networkx DiGraph.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest


def baseline_features(txn: pd.DataFrame, as_of: dt.datetime) -> pd.DataFrame:
    """txn: ts, amount (float), src, dst; returns one row per account."""
    txn = txn[txn["ts"] <= as_of]
    legs = pd.concat(
        [
            txn.rename(columns={"dst": "account", "src": "cp"}).assign(is_in=1),
            txn.rename(columns={"src": "account", "dst": "cp"}).assign(is_in=0),
        ]
    ).dropna(subset=["account"])
    t7, t30 = as_of - dt.timedelta(days=7), as_of - dt.timedelta(days=30)
    g = legs.groupby(["account", "is_in"])
    f: pd.DataFrame = pd.DataFrame(
        {
            "n": g.size(),
            "sum": g["amount"].sum(),
            "n_7d": legs[legs.ts > t7].groupby(["account", "is_in"]).size(),
            "n_30d": legs[legs.ts > t30].groupby(["account", "is_in"]).size(),
            "cp": g["cp"].nunique(),
        }
    ).unstack(fill_value=0)
    f.columns = [f"{pair[0]}_{'in' if pair[1] else 'out'}" for pair in f.columns]
    f = f.fillna(0)
    f["moved_24h"] = _moved_on(legs, 86400)
    f["moved_7d"] = _moved_on(legs, 7 * 86400)
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(
        txn.dropna(subset=["src", "dst"])[["src", "dst", "amount"]].values
    )
    f = f.join(_graph_features(graph), how="left").fillna(0)
    return f.join(_neighbour_means(graph, f[["moved_24h", "moved_7d", "cp_in", "cp_out"]]))


def _moved_on(legs: pd.DataFrame, seconds: int) -> pd.Series:
    """Share of money received paid out again within `seconds`, per account."""
    out = {}
    window = np.timedelta64(seconds, "s")
    for account, rows in legs.sort_values("ts").groupby("account"):
        ts = rows["ts"].to_numpy()
        amount = rows["amount"].to_numpy()
        is_in = rows["is_in"].to_numpy() == 1
        debits = np.cumsum(np.where(is_in, 0.0, amount))
        start = np.searchsorted(ts, ts, side="left")
        end = np.searchsorted(ts, ts + window, side="right") - 1
        paid = debits[end] - np.where(start > 0, debits[start - 1], 0.0)
        received = amount[is_in].sum()
        matched = np.minimum(amount[is_in], paid[is_in]).sum()
        out[account] = matched / received if received > 0 else 0.0
    return pd.Series(out)


def _graph_features(graph: nx.DiGraph) -> pd.DataFrame:
    n = max(graph.number_of_nodes(), 1)
    rank = nx.pagerank(graph, weight="weight", tol=1e-6 / n)
    rows = {}
    for node in graph.nodes:
        succ = set(graph.successors(node))
        pred = set(graph.predecessors(node))
        two_out = {w for v in succ for w in graph.successors(v)} - {node}
        two_in = {u for v in pred for u in graph.predecessors(v)} - {node}
        cycle_3 = sum(1 for v in succ for w in graph.successors(v) if graph.has_edge(w, node))
        rows[node] = {
            "pagerank": rank.get(node, 0.0) * n,
            "fan_out_2hop": len(two_out),
            "fan_in_2hop": len(two_in),
            "cycle_3": cycle_3,
            "reciprocal": len(succ & pred),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _neighbour_means(graph: nx.DiGraph, base: pd.DataFrame) -> pd.DataFrame:
    rows = {}
    lookup = base.to_dict(orient="index")
    for node in base.index:
        if node not in graph:
            continue
        out = [lookup[v] for v in graph.successors(node) if v in lookup]
        inn = [lookup[v] for v in graph.predecessors(node) if v in lookup]
        row = {}
        for col in base.columns:
            row[f"nb_out_{col}"] = float(np.mean([o[col] for o in out])) if out else 0.0
            row[f"nb_in_{col}"] = float(np.mean([i[col] for i in inn])) if inn else 0.0
        rows[node] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def baseline_scores(features: pd.DataFrame, seed: int = 0) -> np.ndarray:
    values = np.log1p(features.to_numpy(dtype=float).clip(min=0))
    forest = IsolationForest(n_estimators=100, max_samples=512, random_state=seed)
    return -forest.fit(values).score_samples(values)
