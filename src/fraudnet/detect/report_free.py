"""The inputs of the label-free model: features that are not functions of the fraud reports.

With no labels, the weak model learns "received a payment a victim reported" and scores what
else looks like that. An input computed from the reports hands it its own target: the report
features themselves (`REPORT_FEATURES`), a rule that reads them (`reads_reports`), and what is
built on the rules: `rules_total` and `rules_fired` (fired rules minus the others was the target
exactly) and the neighbourhood aggregates of `rules_total` (which also carry an account's own
report back to it along i -> j -> i). Those sums are rebuilt from the rules that do not read
reports; everything else computed from reports is left out. tests/detect/test_report_free.py
moves the reports to other payments and checks that no column of the matrix changes.
"""

from __future__ import annotations

import pandas as pd
import scipy.sparse as sp

from fraudnet.detect.neighbourhood import neighbourhood_features
from fraudnet.detect.rules import report_free_rules, rule_strengths
from fraudnet.schema.detect import (
    NEIGHBOURHOOD_AGGREGATES,
    NEIGHBOURHOOD_BASE,
    REPORT_FEATURES,
    RULE_FEATURES,
)

RULE_TOTALS = tuple(name for name, _ in RULE_FEATURES)
"""Sums over every rule, the reported-funds rule included: rebuilt without it."""
PREFIX = "report_free_"
"""Rebuilt columns are renamed (`report_free_rules_total`), so no name means two things."""


def report_free_parts(
    frame: pd.DataFrame, adjacency: sp.csr_matrix
) -> tuple[list[pd.DataFrame], set[str]]:
    """(parts, columns to skip) of the weak model's matrix, for `float32_matrix`."""
    strengths = rule_strengths(frame, report_free_rules())
    rules = strengths.drop(columns=list(RULE_TOTALS)).add_prefix("rule_")
    totals = strengths[list(RULE_TOTALS)].add_prefix(PREFIX)
    bases = tuple(PREFIX + base for base in NEIGHBOURHOOD_BASE if base in RULE_TOTALS)
    neighbours = neighbourhood_features(adjacency, totals, bases)
    return [frame, rules, totals, neighbours], report_dependent()


def report_dependent() -> set[str]:
    """Columns of the feature frame computed from the reports, directly or through a rule."""
    roots = {*REPORT_FEATURES, *RULE_TOTALS}
    carried = [base for base in NEIGHBOURHOOD_BASE if base in roots]
    aggregates = {f"{agg}_{base}" for base in carried for agg, _ in NEIGHBOURHOOD_AGGREGATES}
    return roots | aggregates
