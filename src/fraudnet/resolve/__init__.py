"""Entity resolution: one person across many banks and sources, with evidence and stable ids.

Public surface:
- `resolve_parties(engine, threshold, model_path, retrain)` links `parties` into `entities`
  with Splink and writes `entities`, `entity_links`, `identifier_links`, `entity_changes`.
- `judge_link(engine, party_l, party_r, judgement, decided_by, reason)` stores an analyst's
  POSITIVE / NEGATIVE / UNSURE decision, which every later run respects.
- `same_person_account_pairs(engine)` lists pairs of accounts held by one entity.
"""

from __future__ import annotations

from fraudnet.resolve.accounts import same_person_account_pairs
from fraudnet.resolve.judgements import NEGATIVE, POSITIVE, UNSURE, judge_link, latest_judgements
from fraudnet.resolve.pipeline import DEFAULT_THRESHOLD, ResolutionResult, resolve_parties

__all__ = [
    "DEFAULT_THRESHOLD",
    "NEGATIVE",
    "POSITIVE",
    "UNSURE",
    "ResolutionResult",
    "judge_link",
    "latest_judgements",
    "resolve_parties",
    "same_person_account_pairs",
]
