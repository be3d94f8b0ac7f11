"""The Splink model: what is compared, and prior parameters (blocking: `blocking.py`).

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
from splink import SettingsCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from fraudnet.resolve.blocking import prediction_rules

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


def name_comparison(column: str, other: str, tf: bool, weigh_swap: bool) -> ComparisonCreator:
    """Exact, swapped with the other field, Jaro-Winkler >= 0.92, >= 0.80, initial, else.

    The initial level ('D' against 'David') keeps a bank that records initials from making
    "different given name" look common among true matches, which would blunt the strong
    evidence a really different given name is (relatives at one address). A swap of given
    and family name is one fact: it is weighed in the given-name comparison only, and the
    family-name comparison gives it a fixed weight of zero (else it counts twice).
    """
    initial = (
        f"substr({column}_l, 1, 1) = substr({column}_r, 1, 1) "
        f"AND (length({column}_l) = 1 OR length({column}_r) = 1)"
    )
    levels = [
        cll.NullLevel(column),
        _exact(column, "exact", tf),
        cll.ColumnsReversedLevel(column, other, symmetrical=True).configure(
            label_for_charts="given and family names swapped"
        ),
        cll.JaroWinklerLevel(column, 0.92).configure(label_for_charts="jaro-winkler >= 0.92"),
        cll.JaroWinklerLevel(column, 0.80).configure(label_for_charts="jaro-winkler >= 0.80"),
        cll.CustomLevel(initial).configure(label_for_charts="initial agrees"),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.81, 0.03, 0.09, 0.04, 0.02, 0.01]
    u = [0.004, 0.0002, 0.004, 0.03, 0.002, 0.9598]
    with_priors = _priors(levels, m, u)
    if not weigh_swap:
        levels[2].configure(
            label_for_charts="given and family names swapped (weighed under given_name)",
            m_probability=0.5,
            u_probability=0.5,
            fix_m_probability=True,
            fix_u_probability=True,
        )
    return cl.CustomComparison(comparison_levels=with_priors, output_column_name=column)


def dob_comparison() -> ComparisonCreator:
    """Exact, one typo (Damerau-Levenshtein <= 1 on YYYY-MM-DD), else."""
    levels = [
        cll.NullLevel("dob"),
        _exact("dob", "exact", tf=False),
        cll.DamerauLevenshteinLevel("dob", 1).configure(label_for_charts="one typo"),
        cll.DamerauLevenshteinLevel("dob", 2).configure(label_for_charts="two typos"),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.88, 0.08, 0.03, 0.01]
    u = [0.0001, 0.003, 0.02, 0.9769]
    return cl.CustomComparison(comparison_levels=_priors(levels, m, u), output_column_name="dob")


def location_comparison(tf: bool) -> ComparisonCreator:
    """Address, postcode and city judged together, as one piece of evidence.

    They all say where someone lives: scored as three independent fields, one fact counts
    three times and relatives at one address outweigh different given names and dates of
    birth. Scored together, each combination of agreements is one level, and its weight is
    learned from how often random pairs agree that way: where city adds nothing beyond the
    postcode (real addresses) the weights come out alike; where fields vary independently
    (FEBRL) agreeing on more of them weighs more. The data decides.
    """
    address, postcode, city = "address", "postcode", "city"
    same_address = cll.ExactMatchLevel(address)
    close_address = cll.JaroWinklerLevel(address, 0.88)
    same_postcode = cll.ExactMatchLevel(postcode)
    same_city = cll.ExactMatchLevel(city)
    near = cll.Or(cll.JaroWinklerLevel(address, 0.80), cll.DamerauLevenshteinLevel(postcode, 1))
    levels: list[ComparisonLevelCreator] = [
        cll.And(
            cll.Or(cll.NullLevel(address), cll.NullLevel(postcode)), cll.NullLevel(city)
        ).configure(is_null_level=True, label_for_charts="missing"),
        _label(cll.And(same_address, same_postcode, same_city), "same address, postcode, city"),
        _label(cll.And(same_address, same_postcode), "same address and postcode"),
        _label(
            cll.And(close_address, same_postcode, same_city), "similar address, same postcode, city"
        ),
        _label(cll.And(close_address, same_postcode), "similar address, same postcode"),
        _label(cll.And(close_address, same_city), "similar address, same city"),
        _label(cll.JaroWinklerLevel(address, 0.92), "similar address"),
        _label(cll.And(same_postcode, same_city), "same postcode and city"),
        _label(same_postcode, "same postcode"),
        _label(cll.And(near, same_city), "address or postcode close, same city"),
        _label(near, "address or postcode close"),
        _label(same_city, "same city"),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.55, 0.08, 0.10, 0.04, 0.03, 0.03, 0.02, 0.02, 0.03, 0.02, 0.03, 0.05]
    u = [5e-5, 1e-4, 1e-4, 2e-4, 3e-4, 5e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 0.98025]
    del tf  # term frequencies need a single-column exact level; postcode/city are combined
    return cl.CustomComparison(
        comparison_levels=_priors(levels, m, u), output_column_name="location"
    )


def _label(level: ComparisonLevelCreator, label: str) -> ComparisonLevelCreator:
    return level.configure(label_for_charts=label)


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
    """Same address built from the names (weight fixed at 0), exact, or different.

    An address that is nothing but the name (olivia.patel@...) is shared by namesakes
    wherever a provider or a bank lets it be; its agreement repeats the name evidence, and
    counted again it merged different people of one name. It gets a fixed weight of zero
    (shown in the evidence), like the swapped-name level of the family name. An address with
    anything of its own (digits, a nickname) is weighed as learned. No username level: the
    username is mostly the name too."""
    built_from_names = "email_l = email_r AND (email_own_l IS NULL OR email_own_r IS NULL)"
    levels = [
        cll.NullLevel("email"),
        cll.CustomLevel(built_from_names).configure(
            label_for_charts="same, built from the names (weighed under the names)"
        ),
        _exact("email", "exact", tf),
        cll.ElseLevel().configure(label_for_charts="different"),
    ]
    m = [0.5, 0.80, 0.20]
    u = [0.5, 0.0001, 0.9999]
    with_priors = _priors(levels, m, u)
    levels[1].configure(fix_m_probability=True, fix_u_probability=True)
    return cl.CustomComparison(comparison_levels=with_priors, output_column_name="email")


def field_comparisons(tf: bool) -> list[FieldComparison]:
    """Every comparison the model can use; fields absent from the data are dropped later."""
    return [
        FieldComparison(
            "given_name",
            ("given_name", "family_name"),
            name_comparison("given_name", "family_name", tf, weigh_swap=True),
        ),
        FieldComparison(
            "family_name",
            ("family_name", "given_name"),
            name_comparison("family_name", "given_name", tf, weigh_swap=False),
        ),
        FieldComparison("dob", ("dob",), dob_comparison()),
        FieldComparison("location", ("address", "postcode", "city"), location_comparison(tf)),
        FieldComparison("phone", ("phone",), phone_comparison()),
        FieldComparison("email", ("email", "email_own"), email_comparison(tf)),
    ]


def build_settings(present: set[str], tf: bool, prior_match_probability: float) -> SettingsCreator:
    """Splink settings over the fields present in the data (at least one non-null value)."""
    comparisons: list[ComparisonCreator | dict[str, Any]] = [
        fc.comparison for fc in field_comparisons(tf) if set(fc.columns) & present
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=ID_COLUMN,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=prediction_rules(present),
        probability_two_random_records_match=prior_match_probability,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        max_iterations=20,
    )
