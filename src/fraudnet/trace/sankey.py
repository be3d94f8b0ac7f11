"""Per-report Sankey diagrams of where the money went (plotly, works offline)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from fraudnet.atomic import private_dir, write_atomic
from fraudnet.trace.money import to_decimal, to_pence
from fraudnet.trace.result import TraceResult

PLOTLY_BUNDLE = "plotly.min.js"  # the name plotly's include_plotlyjs="directory" links to


def sankey_figure(result: TraceResult, report_id: str) -> go.Figure:
    """Accounts as nodes, tainted flows as links; exits end in a node per channel and payee."""
    traces, flows = _by_report(result)
    return _figure(result, report_id, traces.get(report_id, []), flows.get(report_id, []))


def write_sankeys(
    result: TraceResult, directory: Path, report_ids: list[str] | None = None
) -> list[Path]:
    """One HTML file per report; plotly.js is written once beside them (no network needed).

    Each file appears whole (temporary name, then rename) and is readable by its owner only.
    """
    private_dir(directory)
    bundle = directory / PLOTLY_BUNDLE
    if not bundle.exists():
        write_atomic(bundle, get_plotlyjs())
    traces, flows = _by_report(result)
    written = []
    for report_id in report_ids or sorted(flows):
        path = directory / f"{_safe(report_id)}-{result.rule}.html"
        figure = _figure(result, report_id, traces.get(report_id, []), flows.get(report_id, []))
        written.append(write_atomic(path, figure.to_html(include_plotlyjs="directory")))
    return written


Rows = dict[str, list[dict[str, Any]]]


def _by_report(result: TraceResult) -> tuple[Rows, Rows]:
    traces: Rows = defaultdict(list)
    for r in result.traces.to_pylist():
        traces[r["report_id"]].append(r)
    flows: Rows = defaultdict(list)
    for r in result.trace_flows.to_pylist():
        flows[r["report_id"]].append(r)
    return traces, flows


def _figure(
    result: TraceResult, report_id: str, traces: list[dict[str, Any]], flows: list[dict[str, Any]]
) -> go.Figure:
    exits = {
        (r["account_id"], r["exit_channel"], r["destination"])
        for r in traces
        if r["kind"] == "exited"
    }
    links: dict[tuple[str, str], int] = defaultdict(int)
    for r in flows:
        src = r["src_account"] or "cash in"
        if (r["src_account"], r["channel"], r["dst_account"]) in exits:
            dst = f"exit: {r['channel']} → {r['dst_account'] or '?'}"
        else:
            dst = r["dst_account"] or "?"
        links[(src, dst)] += to_pence(r["amount"])
    nodes = sorted({n for pair in links for n in pair})
    index = {n: i for i, n in enumerate(nodes)}
    bound = " (upper bound)" if result.upper_bound else ""
    figure = go.Figure(
        go.Sankey(
            node={"label": nodes, "pad": 18},
            link={
                "source": [index[s] for s, _ in links],
                "target": [index[d] for _, d in links],
                "value": [float(to_decimal(p)) for p in links.values()],
                "customdata": [f"£{to_decimal(p):,}" for p in links.values()],
                "hovertemplate": "%{source.label} → %{target.label}: %{customdata}<extra></extra>",
            },
        )
    )
    figure.update_layout(title=f"Report {report_id}: {result.rule}{bound}, as of {result.as_of}")
    return figure


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


__all__ = ["sankey_figure", "write_sankeys"]
