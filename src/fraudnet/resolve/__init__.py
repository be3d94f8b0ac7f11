"""Entity resolution: one person across many banks and sources, with evidence and stable ids.

Public surface:
- `resolve_parties(engine, threshold, model_path, retrain)` links `parties` into `entities`
  with Splink and writes `entities`, `entity_links`, `identifier_links`, `entity_changes`.
- `judge_link(engine, party_l, party_r, judgement, decided_by, reason)` stores an analyst's
  POSITIVE / NEGATIVE / UNSURE decision, which every later run respects.
- `same_person_account_pairs(engine)` lists pairs of accounts held by one entity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fraudnet.lazy import lazy_exports

if TYPE_CHECKING:
    from fraudnet.resolve.accounts import same_person_account_pairs
    from fraudnet.resolve.judgements import (
        NEGATIVE,
        POSITIVE,
        UNSURE,
        judge_link,
        latest_judgements,
    )
    from fraudnet.resolve.pipeline import ResolutionResult, resolve_parties
    from fraudnet.resolve.threshold import DEFAULT_THRESHOLD

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "same_person_account_pairs": "fraudnet.resolve.accounts",
        "NEGATIVE": "fraudnet.resolve.judgements",
        "POSITIVE": "fraudnet.resolve.judgements",
        "UNSURE": "fraudnet.resolve.judgements",
        "judge_link": "fraudnet.resolve.judgements",
        "latest_judgements": "fraudnet.resolve.judgements",
        "DEFAULT_THRESHOLD": "fraudnet.resolve.threshold",
        "ResolutionResult": "fraudnet.resolve.pipeline",
        "resolve_parties": "fraudnet.resolve.pipeline",
    },
)


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
