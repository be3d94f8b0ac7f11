"""Train the Splink model (u by random sampling, m by EM), save it as JSON, and reuse it.

A model is trained once per store and saved next to it; later runs load it unless told to
retrain. Stores with too few parties to train on use the prior parameters in `model.py`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from splink import Linker
from splink.internals.splink_dataframe import SplinkDataFrame

from fraudnet.atomic import atomic_path
from fraudnet.engine import Engine
from fraudnet.resolve.blocking import prediction_rules, training_rule
from fraudnet.resolve.model import build_settings

MIN_PARTIES_TO_TRAIN = 200
"""Below this, EM has too few blocked pairs to learn from: prior parameters are used."""

U_PAIRS = 1e6
"""Random pairs for the u estimates: enough to see a level as rare as one pair in 10^5 ten
times; the rarer levels (a shared date of birth, a shared name) are term-frequency adjusted."""

EM_PAIRS = 5e5
"""Blocked pairs EM learns m from (a random sample above it): the m of a level is a share of
the true pairs, and a few tens of thousands of true pairs pin it down."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """How the model used by a run came to be: trained now (and saved), reused from the saved
    file, or (neither) built from prior parameters because the store is too small to train on;
    a prior-only model is not saved, so a later, larger store trains its own."""

    path: Path | None
    trained: bool
    reused: bool
    fields: tuple[str, ...]

    @property
    def state(self) -> str:
        if self.reused:
            return "reused saved model"
        if self.trained:
            return "trained now and saved"
        return f"prior parameters (fewer than {MIN_PARTIES_TO_TRAIN} parties; not saved)"


def default_model_path(engine: Engine) -> Path:
    """The saved model lives beside a DuckDB store file, or inside a Spark store folder."""
    if engine.location.is_dir():
        return engine.location / "resolve-model.json"
    return engine.location.with_name(engine.location.name + ".resolve-model.json")


def model_fields(model: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(str(c["output_column_name"]) for c in model["comparisons"]))


def linker_from_saved(frame: SplinkDataFrame, path: Path, present: set[str]) -> Linker:
    """The saved parameters with today's blocking rules: how pairs are chosen is the code's
    business (the capped key columns), not the model file's."""
    settings = json.loads(path.read_text())
    settings["blocking_rules_to_generate_predictions"] = prediction_rules(present)
    return Linker(frame, settings, log_level=logging.ERROR)


def train_linker(frame: SplinkDataFrame, present: set[str], n_parties: int) -> tuple[Linker, bool]:
    """A linker with parameters estimated on this data, or priors if it is tiny (False)."""
    trainable = n_parties >= MIN_PARTIES_TO_TRAIN
    prior = min(0.5, 1.0 / max(n_parties, 2))
    settings = build_settings(present, tf=trainable, prior_match_probability=prior)
    linker = Linker(frame, settings, log_level=logging.ERROR)
    if trainable:
        _estimate(linker, present, n_parties)
    return linker, trainable


def _estimate(linker: Linker, present: set[str], n_parties: int) -> None:
    training = linker.training
    rules = _deterministic_rules(present)
    if rules:
        training.estimate_probability_two_random_records_match(rules, recall=0.6)
    max_pairs = min(U_PAIRS, max(1e5, n_parties * 20.0))
    training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=7)
    for rule in _em_rules(present):
        training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS
        )


def _deterministic_rules(present: set[str]) -> list[Any]:
    """Near-certain matches (names + dob, an email of one's own, names + postcode), to estimate
    how often two random records match."""
    names = ("names_dob", "email_own", "names_postcode")
    return [rule for name in names if (rule := training_rule(name, present)) is not None]


def _em_rules(present: set[str]) -> list[Any]:
    """Two EM passes: one blocked on a non-name field (trains names), one on names (the rest)."""
    rules: list[Any] = []
    for name in ("dob", "postcode", "email_own", "phone"):
        if (rule := training_rule(name, present)) is not None:
            rules.append(rule)
            break
    if (names := training_rule("names_em", present)) is not None:
        rules.append(names)
    return rules


def save_model(linker: Linker, path: Path) -> None:
    with atomic_path(path) as tmp:
        linker.misc.save_model_to_json(str(tmp), overwrite=True)


def model_summary(linker: Linker) -> dict[str, Any]:
    """The trained parameters as a plain dict (for docs and the CLI)."""
    return dict(linker.misc.save_model_to_json(out_path=None))
