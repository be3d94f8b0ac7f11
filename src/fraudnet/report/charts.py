"""The network picture and the money timeline, drawn with matplotlib as embedded PNGs."""

from __future__ import annotations

import base64
import io
import json
import random

import igraph as ig
import matplotlib
import matplotlib.pyplot as plt
import polars as pl
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from fraudnet.report.data import ReportData

ROLE_COLOURS = {
    "victim": "#8fb3d9",
    "mule_tier1": "#f2a541",
    "mule_tier2plus": "#e07b39",
    "collector": "#c0392b",
    "herder": "#6c3483",
    "device": "#555555",
    "other account": "#d5d8dc",
}


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _node_roles(data: ReportData) -> dict[str, str]:
    roles = data.roles.filter(pl.col("subject_kind") == "account")
    found = dict(zip(roles["subject"], roles["role"], strict=True))
    for src in data.payments.filter(pl.col("kind") == "victim")["src_account"]:
        found.setdefault(src, "victim")
    return found


def network_picture(data: ReportData) -> str:
    """Members coloured by role, victims' payments in, control devices as squares."""
    matplotlib.use("Agg")
    role_of = _node_roles(data)
    edges = data.payments.filter(pl.col("dst_account").is_not_null())
    edges = edges.filter(pl.col("src_account").is_in(list(role_of)))
    pairs = {(a, b) for a, b in zip(edges["src_account"], edges["dst_account"], strict=True)}
    devices = data.roles.filter(pl.col("subject_kind").is_in(["device", "ip"]))
    links = []
    for value, evidence in zip(devices["subject"], devices["evidence"], strict=True):
        for account in json.loads(evidence)["accounts"]:
            links.append((f"dev:{value}", account))
    nodes = sorted({n for p in pairs for n in p} | {n for p in links for n in p} | set(role_of))
    index = {n: i for i, n in enumerate(nodes)}
    graph = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in [*pairs, *links]])
    random.seed(7)  # igraph's layout draws from Python's RNG
    layout = graph.layout_fruchterman_reingold(niter=500) if nodes else []
    fig, ax = plt.subplots(figsize=(9, 6.5))
    coords = list(layout)
    for a, b in pairs:
        (x1, y1), (x2, y2) = coords[index[a]], coords[index[b]]
        ax.annotate(
            "",
            (x2, y2),
            (x1, y1),
            arrowprops={
                "arrowstyle": "->",
                "color": "#7f8c8d",
                "lw": 0.8,
                "shrinkA": 6,
                "shrinkB": 6,
            },
        )
    for a, b in links:
        (x1, y1), (x2, y2) = coords[index[a]], coords[index[b]]
        ax.plot([x1, x2], [y1, y2], ls=":", color="#555555", lw=0.8)
    for node in nodes:
        x, y = coords[index[node]]
        if node.startswith("dev:"):
            ax.scatter([x], [y], marker="s", s=70, color=ROLE_COLOURS["device"], zorder=3)
            continue
        role = role_of.get(node, "other account")
        ax.scatter([x], [y], s=140, color=ROLE_COLOURS[role], edgecolor="white", zorder=3)
        if role != "victim":
            ax.annotate(node[-6:], (x, y), fontsize=6, xytext=(4, 4), textcoords="offset points")
    handles = [
        Line2D([], [], marker="s" if r == "device" else "o", ls="", color=c, label=r)
        for r, c in ROLE_COLOURS.items()
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False, ncol=3)
    ax.set_axis_off()
    return _png(fig)


def money_timeline(data: ReportData) -> str:
    """Money per day: paid in by victims, moved between members, and taken out."""
    matplotlib.use("Agg")
    daily = (
        data.payments.with_columns(pl.col("ts").dt.date().alias("day"))
        .group_by("day", "kind")
        .agg(pl.col("amount").sum().cast(pl.Float64).alias("pounds"))
        .sort("day")
    )
    fig, ax = plt.subplots(figsize=(9, 3.2))
    colours = {"victim": "#2e86c1", "internal": "#f2a541", "out": "#c0392b"}
    labels = {"victim": "paid in by victims", "internal": "between members", "out": "taken out"}
    for kind, colour in colours.items():
        rows = daily.filter(pl.col("kind") == kind)
        if rows.height:
            ax.bar(
                rows["day"].to_list(),
                rows["pounds"].to_list(),
                color=colour,
                alpha=0.75,
                label=labels[kind],
                width=0.9,
            )
    ax.set_ylabel("£ per day")
    ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    return _png(fig)
