"""Mule detection: time-respecting features, explained typology rules, a learned scorer.

>>> from fraudnet.detect import detect, evaluate
>>> result = detect(store, alert_budget=200, reveal_ground_truth=0.5, seed=1)
>>> result.alerts            # Arrow: account_id, rank, score, reasons, as_of
>>> report = evaluate(store, out="eval/")   # PR-AUC, recall at budget, PR curve
"""

from __future__ import annotations

from fraudnet.detect.evaluate import EvaluationReport, evaluate
from fraudnet.detect.pipeline import DEFAULT_ALERT_BUDGET, DetectResult, detect
from fraudnet.detect.rules import RULES, TypologyRule, all_rules

__all__ = [
    "DEFAULT_ALERT_BUDGET",
    "RULES",
    "DetectResult",
    "EvaluationReport",
    "TypologyRule",
    "all_rules",
    "detect",
    "evaluate",
]
