"""The demo's pipeline steps: each runs one analytic core and reports what it found."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from fraudnet.engine import Engine


@dataclass
class StepReport:
    """One step's headline numbers and an optional table, for the console and the HTML."""

    name: str
    title: str
    seconds: float = 0.0
    metrics: dict[str, Any] = field(default_factory=dict)
    table: pa.Table | None = None
    note: str = ""
    image: Path | None = None
    link: Path | None = None


@dataclass
class DemoSettings:
    accounts: int
    days: int
    seed: int
    out_dir: Path = Path("out/demo")
    reveal_ground_truth: float = 0.5
    alert_budget: int = 100
    trace_rules: tuple[str, ...] = ("fifo", "pro_rata")


Step = Callable[[Engine, DemoSettings], StepReport]


def timed(step: Step) -> Step:
    def run(engine: Engine, settings: DemoSettings) -> StepReport:
        started = time.perf_counter()
        report = step(engine, settings)
        report.seconds = round(time.perf_counter() - started, 1)
        return report

    run.__name__ = step.__name__
    return run


@timed
def simulate_step(engine: Engine, settings: DemoSettings) -> StepReport:
    from fraudnet.simulate import simulate_world

    summary = simulate_world(engine, settings.accounts, settings.days, settings.seed)
    rows = pa.table({"table": list(summary.rows), "rows": list(summary.rows.values())})
    return StepReport(
        "simulate",
        "A synthetic UK banking world with ground truth",
        metrics={
            "accounts": summary.accounts,
            "days": summary.days,
            "transactions": summary.transactions,
            "mule networks": summary.networks,
            "mule accounts": summary.mule_accounts,
            "scam victims": summary.victims,
        },
        table=rows,
    )


@timed
def resolve_step(engine: Engine, settings: DemoSettings) -> StepReport:
    from fraudnet.resolve import resolve_parties

    result = resolve_parties(engine)
    metrics: dict[str, Any] = {
        "party records": result.n_parties,
        "resolved people and organisations": result.n_entities,
    }
    metrics |= _pairwise_against_truth(engine)
    return StepReport("resolve", "Entity resolution: one person across banks", metrics=metrics)


def _pairwise_against_truth(engine: Engine) -> dict[str, Any]:
    """Pairwise precision/recall of entities against the simulator's party_truth."""
    try:
        truth_rows = engine.count("party_truth")
    except KeyError:
        return {}
    if not truth_rows:
        return {}
    row = engine.sql(
        """
        WITH predicted AS (
            SELECT a.party_id AS l, b.party_id AS r FROM entities a JOIN entities b
            ON a.entity_id = b.entity_id AND a.party_id < b.party_id),
        actual AS (
            SELECT a.party_id AS l, b.party_id AS r FROM party_truth a JOIN party_truth b
            ON a.person_id = b.person_id AND a.party_id < b.party_id)
        SELECT (SELECT COUNT(*) FROM predicted) AS predicted,
               (SELECT COUNT(*) FROM actual) AS actual,
               (SELECT COUNT(*) FROM predicted p JOIN actual t ON p.l = t.l AND p.r = t.r) AS tp
        """
    ).to_pylist()[0]
    predicted, actual, tp = int(row["predicted"]), int(row["actual"]), int(row["tp"])
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    return {
        "same-person pairs found": predicted,
        "pairwise precision": round(precision, 3),
        "pairwise recall": round(recall, 3),
    }


@timed
def trace_step(engine: Engine, settings: DemoSettings) -> StepReport:
    from fraudnet.trace import trace_reports

    rows = []
    for rule in settings.trace_rules:
        totals = trace_reports(engine, rule=rule).totals()
        rows.append({"rule": rule, **{k: _pounds(v) for k, v in totals.items()}})
    reported = engine.sql("SELECT COUNT(*) AS n, SUM(amount) AS total FROM fraud_reports")
    n_reports = int(reported.column("n")[0].as_py())
    total = reported.column("total")[0].as_py() or Decimal(0)
    held = engine.sql(
        "SELECT institution, SUM(amount) AS held FROM traces WHERE kind = 'held' "
        f"AND rule = '{settings.trace_rules[-1]}' GROUP BY institution ORDER BY held DESC LIMIT 5"
    )
    return StepReport(
        "trace",
        "Where reported victims' money is now",
        metrics={"fraud reports traced": n_reports, "reported losses": _pounds(total)},
        table=pa.Table.from_pylist(rows) if rows else None,
        note="Top institutions still holding victims' money ("
        f"{settings.trace_rules[-1]}): "
        + ", ".join(
            f"{r['institution']} {_pounds(r['held'])}" for r in held.to_pylist() if r["held"]
        ),
    )


@timed
def detect_step(engine: Engine, settings: DemoSettings) -> StepReport:
    from fraudnet.detect import detect, evaluate

    result = detect(
        engine,
        alert_budget=settings.alert_budget,
        reveal_ground_truth=settings.reveal_ground_truth,
        seed=settings.seed,
    )
    report = evaluate(engine, out=settings.out_dir / "evaluation")
    top = result.alerts.slice(0, 5).select(["rank", "account_id", "score", "reasons"])
    return StepReport(
        "detect",
        "Mule detection against the ground truth",
        metrics={
            "model": result.mode,
            "analyst labels used for training": result.trained_accounts,
            "accounts evaluated (not trained on)": report.accounts_evaluated,
            "PR-AUC": round(report.pr_auc, 3),
            f"recall in top {report.alert_budget} alerts": round(report.recall_at_budget, 3),
            f"precision in top {report.alert_budget} alerts": round(report.precision_at_budget, 3),
            "networks with a member alerted": round(report.network_recall_at_budget, 3),
        },
        table=top,
        image=settings.out_dir / "evaluation" / "pr_curve.png",
        note=f"{settings.reveal_ground_truth:.0%} of ground-truth accounts were revealed as "
        "analyst labels for training; evaluation counts only the rest. PR curve: "
        f"{settings.out_dir / 'evaluation'}.",
    )


@timed
def networks_step(engine: Engine, settings: DemoSettings) -> StepReport:
    from fraudnet.networks import build_networks
    from fraudnet.networks.evaluate import score_networks
    from fraudnet.report import write_report

    result = build_networks(engine)
    truth = engine.sql(
        "SELECT subject, label, network_id FROM labels WHERE source = 'ground_truth'"
    )
    accounts = set(engine.sql("SELECT account_id FROM accounts").column(0).to_pylist())
    scores = score_networks(truth, result.roles, accounts)
    ranked = result.networks.slice(0, 5)
    link = None
    if ranked.num_rows:
        top_id = str(ranked.column("network_id")[0].as_py())
        link = write_report(engine, top_id, settings.out_dir / f"network-{top_id}.html")
    roles = engine.sql(
        "SELECT role, COUNT(*) AS n FROM network_roles GROUP BY role ORDER BY n DESC"
    ).to_pylist()
    shown = pa.Table.from_pylist(
        [
            {
                "network": r["network_id"],
                "members": r["size"],
                "victims": r["victims"],
                "victim funds": _pounds(r["victim_funds"]),
                "herders": r["herders"],
                "active": _active(r["first_activity"], r["last_activity"]),
            }
            for r in ranked.to_pylist()
        ]
    )
    return StepReport(
        "networks",
        "Networks and herders behind the flagged accounts",
        metrics={"networks": result.networks.num_rows}
        | {ROLE_WORDS.get(str(r["role"]), str(r["role"])): int(r["n"]) for r in roles}
        | {
            "grouping pairwise F1": _or_none(scores.pair_f1, "no networks"),
            "herder precision": _or_none(scores.herder_precision, "no herders found"),
            "herder recall": _or_none(scores.herder_recall, "no herders in truth"),
        },
        table=shown if shown.num_rows else None,
        link=link,
        note="Networks ranked by victim funds moved; the top one has an intelligence report.",
    )


def _or_none(value: float | None, why: str) -> float | str:
    """A score, or why it has no value (a precision over nothing found is not 1.0)."""
    return f"n/a ({why})" if value is None else value


ROLE_WORDS = {
    "victim": "victims",
    "mule_tier1": "tier-1 mules",
    "mule_tier2plus": "tier-2+ mules",
    "collector": "collectors",
    "herder": "herders",
}


def _pounds(value: Decimal | int | float | None) -> str:
    amount = Decimal(str(value or 0)).quantize(Decimal("0.01"))
    return f"£{amount:,}"


DEMO_STEPS: tuple[Step, ...] = (
    simulate_step,
    resolve_step,
    detect_step,
    networks_step,
    trace_step,
)


def _active(first: dt.datetime | None, last: dt.datetime | None) -> str:
    """ "01 Mar to 20 Mar 2025", or "no payments" for a network seeded without any."""
    if first is None or last is None:
        return "no payments"
    return f"{first:%d %b} to {last:%d %b %Y}"
