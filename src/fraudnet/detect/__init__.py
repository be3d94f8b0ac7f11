"""Mule detection: time-respecting features, explained typology rules, a learned scorer.

>>> from fraudnet.detect import detect, evaluate
>>> result = detect(store, alert_budget=200, reveal_ground_truth=0.5, seed=1)
>>> result.alerts            # Arrow: account_id, rank, score, reasons, as_of
>>> report = evaluate(store, out="eval/")   # PR-AUC, recall at budget, PR curve
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# evaluate shares its submodule's name, so it is imported eagerly (see fraudnet.lazy)
from fraudnet.detect.evaluate import EvaluationReport, evaluate
from fraudnet.lazy import lazy_exports

if TYPE_CHECKING:
    from fraudnet.detect.budget import DEFAULT_ALERT_BUDGET
    from fraudnet.detect.pipeline import DetectResult, detect
    from fraudnet.detect.rules import RULES, TypologyRule, all_rules

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "DEFAULT_ALERT_BUDGET": "fraudnet.detect.budget",
        "DetectResult": "fraudnet.detect.pipeline",
        "detect": "fraudnet.detect.pipeline",
        "RULES": "fraudnet.detect.rules",
        "TypologyRule": "fraudnet.detect.rules",
        "all_rules": "fraudnet.detect.rules",
    },
)


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
