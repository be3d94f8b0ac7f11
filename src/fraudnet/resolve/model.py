"""The Splink model: what is compared, how pairs are blocked, and prior parameters.

Each field gets a comparison with graded levels (exact, near, else); names use Jaro-Winkler
levels plus a level for given and family name swapped. Every level carries a prior m and u
probability so a store too small to train on still gets a sensible model; `training.py`
replaces them with EM estimates (m) and random-sampling estimates (u) when there is data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

ID_COLUMN = "party_id"


@dataclass(frozen=True, slots=True)
class FieldComparison:
    """One compared field: the input columns it needs and its Splink comparison."""

    field: str
    columns: tuple[str, ...]
    comparison: ComparisonCreator


def _priors(
    levels: list[ComparisonLevelCreator], m: Sequence[float], u: Sequence[float]
) -> list[ComparisonLevelCreator | dict[str, Any]]:
    """Attach prior m/u probabilities to every non-null level (the null level is first)."""
    for level, m_prob, u_prob in zip(levels[1:], m, u, strict=True):
        level.configure(m_probability=m_prob, u_probability=u_prob)
    return list(levels)


def _exact(column: str, label: str, tf: bool) -> ComparisonLevelCreator:
    level = cll.ExactMatchLevel(column, term_frequency_adjustments=tf)
    return level.configure(label_for_charts=label)


def name_comparison(column: str, other: str, tf: bool) -> ComparisonCreator:
    """Exact, swapped with the other name field, Jaro-Winkler >= 0.92, >= 0.80, else."""
    levels = [
        cll.NullLevel(column),
        _exact(column, "exact", tf),
        cll.ColumnsReversedLevel(column, other, symmetrical=True).configure(
            label_for_charts="given and family names swapped"
        ),
        cll.JaroWinklerLevel(column, 0.92).configure(label_for_charts="jaro-winkler >= 0.92"),
        cll.JaroWinklerLevel(column, 0.80).configure(label_for_charts="jaro-winkler >= 0.80"),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.80, 0.03, 0.09, 0.04, 0.04]
    u = [0.004, 0.0002, 0.004, 0.03, 0.9618]
    return cl.CustomComparison(comparison_levels=_priors(levels, m, u), output_column_name=column)


def dob_comparison() -> ComparisonCreator:
    """Exact, one typo (Damerau-Levenshtein <= 1 on YYYY-MM-DD), else."""
    levels = [
        cll.NullLevel("dob"),
        _exact("dob", "exact", tf=False),
        cll.DamerauLevenshteinLevel("dob", 1).configure(label_for_charts="one typo"),
        cll.DamerauLevenshteinLevel("dob", 2).configure(label_for_charts="two typos"),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.85, 0.08, 0.03, 0.04]
    u = [0.0001, 0.003, 0.02, 0.9769]
    return cl.CustomComparison(comparison_levels=_priors(levels, m, u), output_column_name="dob")


def address_comparison(tf: bool) -> ComparisonCreator:
    levels = [
        cll.NullLevel("address"),
        _exact("address", "exact", tf),
        cll.JaroWinklerLevel("address", 0.90).configure(label_for_charts="jaro-winkler >= 0.90"),
        cll.JaroWinklerLevel("address", 0.75).configure(label_for_charts="jaro-winkler >= 0.75"),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.70, 0.15, 0.07, 0.08]
    u = [0.0005, 0.002, 0.05, 0.9475]
    return cl.CustomComparison(
        comparison_levels=_priors(levels, m, u), output_column_name="address"
    )


def postcode_comparison(tf: bool) -> ComparisonCreator:
    """Exact (after removing spaces), one typo, else."""
    levels = [
        cll.NullLevel("postcode"),
        _exact("postcode", "exact", tf),
        cll.DamerauLevenshteinLevel("postcode", 1).configure(label_for_charts="one typo"),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.85, 0.08, 0.07]
    u = [0.001, 0.01, 0.989]
    return cl.CustomComparison(
        comparison_levels=_priors(levels, m, u), output_column_name="postcode"
    )


def city_comparison(tf: bool) -> ComparisonCreator:
    levels = [
        cll.NullLevel("city"),
        _exact("city", "exact", tf),
        cll.JaroWinklerLevel("city", 0.88).configure(label_for_charts="jaro-winkler >= 0.88"),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.85, 0.07, 0.08]
    u = [0.01, 0.005, 0.985]
    return cl.CustomComparison(comparison_levels=_priors(levels, m, u), output_column_name="city")


def phone_comparison() -> ComparisonCreator:
    levels = [
        cll.NullLevel("phone"),
        _exact("phone", "exact", tf=False),
        cll.DamerauLevenshteinLevel("phone", 1).configure(label_for_charts="one typo"),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.80, 0.08, 0.12]
    u = [0.0001, 0.001, 0.9989]
    return cl.CustomComparison(comparison_levels=_priors(levels, m, u), output_column_name="phone")


def email_comparison(tf: bool) -> ComparisonCreator:
    """Exact, same username at another domain, Jaro-Winkler >= 0.88 on the username, else."""
    levels = [
        cll.NullLevel("email"),
        _exact("email", "exact", tf),
        cll.ExactMatchLevel("email_user").configure(label_for_charts="same username"),
        cll.JaroWinklerLevel("email_user", 0.88).configure(
            label_for_charts="username jaro-winkler >= 0.88"
        ),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.80, 0.05, 0.05, 0.10]
    u = [0.0001, 0.0002, 0.001, 0.9987]
    return cl.CustomComparison(comparison_levels=_priors(levels, m, u), output_column_name="email")


def field_comparisons(tf: bool) -> list[FieldComparison]:
    """Every comparison the model can use; fields absent from the data are dropped later."""
    return [
        FieldComparison(
            "given_name",
            ("given_name", "family_name"),
            name_comparison("given_name", "family_name", tf),
        ),
        FieldComparison(
            "family_name",
            ("family_name", "given_name"),
            name_comparison("family_name", "given_name", tf),
        ),
        FieldComparison("dob", ("dob",), dob_comparison()),
        FieldComparison("address", ("address",), address_comparison(tf)),
        FieldComparison("postcode", ("postcode",), postcode_comparison(tf)),
        FieldComparison("city", ("city",), city_comparison(tf)),
        FieldComparison("phone", ("phone",), phone_comparison()),
        FieldComparison("email", ("email",), email_comparison(tf)),
    ]


def blocking_rules(present: set[str]) -> list[BlockingRuleCreator | dict[str, Any]]:
    """Pairs are only scored when they agree exactly on at least one of these keys."""
    rules: list[tuple[tuple[str, ...], BlockingRuleCreator]] = [
        (("given_name", "family_name"), block_on("given_name", "family_name")),
        (
            ("given_name", "family_name"),
            CustomRule("l.given_name = r.family_name AND l.family_name = r.given_name"),
        ),
        (("dob",), block_on("dob")),
        (("postcode",), block_on("postcode")),
        (("address",), block_on("address")),
        (("phone",), block_on("phone")),
        (("email",), block_on("email")),
    ]
    return [rule for columns, rule in rules if set(columns) <= present]


def deterministic_rules(present: set[str]) -> list[str | BlockingRuleCreator]:
    """Near-certain matches, used to estimate how often two random records match."""
    rules = [
        (("given_name", "family_name", "dob"), block_on("given_name", "family_name", "dob")),
        (("email",), block_on("email")),
        (
            ("given_name", "family_name", "postcode"),
            block_on("given_name", "family_name", "postcode"),
        ),
    ]
    chosen: list[str | BlockingRuleCreator] = [r for c, r in rules if set(c) <= present]
    return chosen


def build_settings(present: set[str], tf: bool, prior_match_probability: float) -> SettingsCreator:
    """Splink settings over the fields present in the data (at least one non-null value)."""
    comparisons: list[ComparisonCreator | dict[str, Any]] = [
        fc.comparison for fc in field_comparisons(tf) if fc.columns[0] in present
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=ID_COLUMN,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking_rules(present),
        probability_two_random_records_match=prior_match_probability,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        max_iterations=20,
    )
