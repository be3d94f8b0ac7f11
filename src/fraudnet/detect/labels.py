"""Which labels train the model and which judge it.

Training: `labels.source = 'analyst'` decided by the cut-off, plus (only when asked) a seeded
random fraction of the accounts known at the cut-off with their ground truth decided by then.
Evaluation: ground truth where present, else analyst labels; accounts the model trained on are
never counted.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fraudnet.detect.asof import ACCOUNTS, Cutoff
from fraudnet.engine import Engine

if TYPE_CHECKING:
    from fraudnet.detect.splits import RevealSplit

POSITIVE_LABELS = ("mule", "mule_tier1", "mule_tier2plus", "collector", "herder", "suspicious")
NEGATIVE_LABELS = ("legitimate", "victim")

LABELS_SQL = """
SELECT subject AS account_id, label, network_id, source, decided_at FROM labels
WHERE (subject IN (SELECT account_id FROM accounts)
   OR subject IN (SELECT src_account FROM transactions)
   OR subject IN (SELECT dst_account FROM transactions))
"""


def account_labels(engine: Engine) -> pd.DataFrame:
    """Every label row about an account (account_id, label, network_id, source)."""
    return engine.sql(LABELS_SQL).to_pandas()


def verdicts(rows: pd.DataFrame) -> pd.Series:
    """1 for an account with any positive label, 0 for one labelled only negative."""
    known = rows[rows["label"].isin(POSITIVE_LABELS + NEGATIVE_LABELS)]
    positive = known["label"].isin(POSITIVE_LABELS).groupby(known["account_id"]).max()
    return positive.astype(np.int64)


def training_labels(
    engine: Engine,
    cutoff: Cutoff,
    reveal_ground_truth: float = 0.0,
    seed: int = 0,
    split: RevealSplit | None = None,
) -> pd.Series:
    """account_id -> 0/1 for the accounts whose labels may train the model (views prepared).

    `split` (fraudnet.detect.splits) chooses which ground truth is revealed; None: random.
    """
    trained = verdicts(_decided_by(engine, cutoff, "analyst"))
    if reveal_ground_truth > 0:
        truth = ground_truth_at(engine, cutoff)
        if split is None:
            revealed = reveal(truth, reveal_ground_truth, seed)
        else:
            revealed = split.reveal(engine, truth, reveal_ground_truth, seed)
        trained = pd.concat([revealed[~revealed.index.isin(trained.index)], trained])
    return trained.sort_index()


def _decided_by(engine: Engine, cutoff: Cutoff, source: str) -> pd.DataFrame:
    """The label rows of `source` decided by the cut-off (undated rows count as always known)."""
    return engine.sql(
        LABELS_SQL + f" AND source = '{source}' AND (decided_at IS NULL OR decided_at <= "
        f"{cutoff.literal()})"
    ).to_pandas()


def ground_truth_at(engine: Engine, cutoff: Cutoff) -> pd.Series:
    """0/1 over the accounts known at the cut-off, by the ground truth decided by then."""
    accounts = engine.sql(f"SELECT account_id FROM {ACCOUNTS}").column(0).to_pylist()
    series = pd.Series(0, index=pd.Index(sorted(accounts), name="account_id"))
    positives = verdicts(_decided_by(engine, cutoff, "ground_truth"))
    positives = positives[positives.index.isin(series.index)]
    series.loc[positives.index[positives.to_numpy() == 1]] = 1
    return series


def ground_truth_accounts(engine: Engine) -> pd.Series:
    """0/1 over every account in the store by ground truth, for evaluation (unlabelled: 0)."""
    rows = account_labels(engine)
    truth = rows[rows["source"] == "ground_truth"]
    accounts = engine.sql(
        "SELECT account_id FROM accounts UNION SELECT src_account FROM transactions "
        "WHERE src_account IS NOT NULL UNION SELECT dst_account FROM transactions "
        "WHERE dst_account IS NOT NULL"
    ).column(0)
    series = pd.Series(0, index=pd.Index(sorted(accounts.to_pylist()), name="account_id"))
    positives = verdicts(truth)
    series.loc[positives.index[positives.to_numpy() == 1]] = 1
    return series


def reveal(truth: pd.Series, fraction: float, seed: int) -> pd.Series:
    """A seeded random `fraction` of the accounts, with their ground-truth verdicts."""
    if truth.empty or fraction <= 0:
        return truth.iloc[:0]
    return truth[reveal_draws(truth.index, seed) < min(fraction, 1.0)]


def reveal_draws(accounts: pd.Index, seed: int) -> np.ndarray:
    """A uniform draw in [0, 1) per account, hashed from (seed, account id).

    An account's draw depends on nothing else, so accounts added to the store (opened after a
    cut-off, say) change no other account's draw, as a position in a random stream would.
    """
    key = hashlib.blake2b(str(seed).encode(), digest_size=8).hexdigest()  # 16 characters
    values = accounts.astype(str).to_numpy(dtype=object)
    hashed = pd.util.hash_array(values, hash_key=key, categorize=False)
    return (hashed >> np.uint64(11)).astype(np.float64) / float(2**53)
