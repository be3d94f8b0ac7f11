"""`evaluate`: how good the latest scores are against labels, counting only unseen accounts.

Truth is ground truth where the store has it, else analyst labels. Accounts whose own label
trained the model (`scores.trained_on = 1`) are left out. Unlabelled accounts count as
negatives (AMLSim labels only its suspicious accounts).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from fraudnet.atomic import atomic_path, write_atomic
from fraudnet.detect.labels import POSITIVE_LABELS, account_labels
from fraudnet.engine import Engine

TYPOLOGY_SQL = """
SELECT l.network_id, r.fraud_type, COUNT(*) AS n
FROM fraud_reports r JOIN transactions t ON t.txn_id = r.txn_id
JOIN labels l ON l.subject = t.dst_account
WHERE l.network_id IS NOT NULL AND r.fraud_type IS NOT NULL
GROUP BY l.network_id, r.fraud_type
"""


@dataclass
class EvaluationReport:
    """The numbers of one evaluation; `to_json` is what `fraudnet evaluate` writes."""

    truth_source: str
    accounts_evaluated: int
    positives: int
    excluded_trained: int
    pr_auc: float
    base_rate: float
    threshold: float
    precision_at_threshold: float
    recall_at_threshold: float
    f1_at_threshold: float
    alert_budget: int
    precision_at_budget: float
    recall_at_budget: float
    network_recall_at_budget: float
    networks: int
    recall_by_role: dict[str, float] = field(default_factory=dict)
    recall_by_typology: dict[str, float] = field(default_factory=dict)
    model_version: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)


def evaluate(
    engine: Engine,
    out: str | Path | None = None,
    threshold: float = 0.5,
    typologies: dict[str, str] | None = None,
) -> EvaluationReport:
    """Score the stored `scores`/`alerts` against labels; write JSON and a PR curve to `out`."""
    scores = engine.table("scores").to_pandas()
    alerted = set(engine.table("alerts").column("account_id").to_pylist())
    rows = account_labels(engine)
    source = "ground_truth" if (rows["source"] == "ground_truth").any() else "analyst"
    truth_rows = rows[rows["source"] == source]
    frame = _evaluation_frame(scores, truth_rows, alerted)
    kinds = typologies if typologies is not None else simulator_typologies(engine)
    report = _report(frame, source, threshold, len(alerted), kinds)
    report.excluded_trained = int((scores["trained_on"] == 1).sum())
    report.model_version = str(scores["model_version"].iloc[0]) if len(scores) else ""
    if out is not None:
        write_outputs(report, frame, Path(out))
    return report


def simulator_typologies(engine: Engine) -> dict[str, str]:
    """network_id -> the scam type most reported against the network's accounts."""
    found = engine.sql(TYPOLOGY_SQL).to_pandas()
    if found.empty:
        return {}
    found = found.sort_values(["network_id", "n", "fraud_type"], ascending=[True, False, True])
    return dict(found.drop_duplicates("network_id").set_index("network_id")["fraud_type"])


def _evaluation_frame(scores: pd.DataFrame, truth: pd.DataFrame, alerted: set[str]) -> pd.DataFrame:
    frame = scores[scores["trained_on"] != 1][["account_id", "score"]].copy()
    positive = truth[truth["label"].isin(POSITIVE_LABELS)]
    role = positive.sort_values("label").drop_duplicates("account_id").set_index("account_id")
    frame["label"] = frame["account_id"].map(role["label"])
    frame["network_id"] = frame["account_id"].map(role["network_id"])
    frame["positive"] = frame["label"].notna().astype(int)
    frame["alerted"] = frame["account_id"].isin(alerted)
    return frame.reset_index(drop=True)


def _report(
    frame: pd.DataFrame, source: str, threshold: float, budget: int, kinds: dict[str, str]
) -> EvaluationReport:
    from sklearn.metrics import average_precision_score  # scikit-learn loads on use

    y = frame["positive"].to_numpy()
    s = frame["score"].to_numpy()
    has_both = 0 < y.sum() < len(y)
    pr_auc = float(average_precision_score(y, s)) if has_both else float("nan")
    p_t, r_t, f_t = _prf(y, s >= threshold)
    p_b, r_b, _ = _prf(y, frame["alerted"].to_numpy())
    pos = frame[frame["positive"] == 1]
    networks = pos.dropna(subset=["network_id"]).groupby("network_id")["alerted"].any()
    by_role = pos.groupby("label")["alerted"].mean().round(4).to_dict()
    pos_kind = pos.assign(kind=pos["network_id"].map(kinds)).dropna(subset=["kind"])
    by_kind = pos_kind.groupby("kind")["alerted"].mean().round(4).to_dict()
    return EvaluationReport(
        truth_source=source,
        accounts_evaluated=len(frame),
        positives=int(y.sum()),
        excluded_trained=0,
        pr_auc=round(pr_auc, 4),
        base_rate=round(float(y.mean()) if len(y) else 0.0, 5),
        threshold=threshold,
        precision_at_threshold=p_t,
        recall_at_threshold=r_t,
        f1_at_threshold=f_t,
        alert_budget=budget,
        precision_at_budget=p_b,
        recall_at_budget=r_b,
        network_recall_at_budget=round(float(networks.mean()) if len(networks) else 0.0, 4),
        networks=len(networks),
        recall_by_role={str(k): float(v) for k, v in by_role.items()},
        recall_by_typology={str(k): float(v) for k, v in by_kind.items()},
    )


def _prf(y: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    tp = float(np.sum(predicted & (y == 1)))
    precision = tp / max(float(predicted.sum()), 1.0)
    recall = tp / max(float(y.sum()), 1.0)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return round(precision, 4), round(recall, 4), round(f1, 4)


def write_outputs(report: EvaluationReport, frame: pd.DataFrame, out: Path) -> list[Path]:
    """evaluation.json and pr_curve.png under `out`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import precision_recall_curve

    json_path = write_atomic(out / "evaluation.json", report.to_json())
    png_path = out / "pr_curve.png"
    fig, ax = plt.subplots(figsize=(5, 4))
    y = frame["positive"].to_numpy()
    if 0 < y.sum() < len(y):
        precision, recall, _ = precision_recall_curve(y, frame["score"].to_numpy())
        ax.plot(recall, precision, label=f"PR-AUC {report.pr_auc:.3f}")
        ax.axhline(report.base_rate, linestyle="--", color="grey", label="base rate")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title(f"Mule scores vs {report.truth_source} ({report.positives} positives)")
    ax.legend(loc="upper right")
    fig.tight_layout()
    with atomic_path(png_path) as tmp:
        fig.savefig(tmp, dpi=100, format="png")
    plt.close(fig)
    return [json_path, png_path]
