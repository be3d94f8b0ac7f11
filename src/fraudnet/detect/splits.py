"""Which ground-truth accounts an experiment reveals for training: random, by ring, by time.

A split decides, from ground truth alone, the accounts whose verdicts train the model; every
other account is unseen and is what `evaluate` counts (it leaves out `scores.trained_on = 1`).

- `random`: a seeded random fraction of all accounts (every ring has about that share known).
- `ring`: whole rings are revealed or unseen together (rings that share a member are one
  ring); accounts in no ring are revealed at random. Analysts know past rings, not half of
  each new one.
- `time`: positives whose first criminal activity is on or before T are revealed, T being the
  `fraction` quantile of those first activities; the others, whose crime starts after T, are
  unseen. Accounts that are not positive are revealed at random.

Adding a split is adding a class with a `NAME` to `SPLITS`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from fraudnet.detect.labels import POSITIVE_LABELS, account_labels, reveal
from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError

FIRST_ACTIVITY_SQL = """
WITH ring AS (
  SELECT DISTINCT subject AS account_id, network_id FROM labels
  WHERE source = 'ground_truth' AND network_id IS NOT NULL
    AND label IN ({positives})
),
legs AS (
  SELECT src_account AS account_id, dst_account AS other, ts FROM transactions
  UNION ALL SELECT dst_account, src_account, ts FROM transactions
),
in_ring AS (
  SELECT l.account_id, MIN(l.ts) AS ts FROM legs l
  JOIN ring a ON a.account_id = l.account_id
  JOIN ring b ON b.account_id = l.other AND b.network_id = a.network_id
  GROUP BY l.account_id
),
reported AS (
  SELECT t.dst_account AS account_id, MIN(t.ts) AS ts FROM fraud_reports r
  JOIN transactions t ON t.txn_id = r.txn_id GROUP BY t.dst_account
),
first_any AS (SELECT account_id, MIN(ts) AS ts FROM legs GROUP BY account_id)
SELECT f.account_id, COALESCE(LEAST(i.ts, r.ts), i.ts, r.ts, f.ts) AS first_criminal
FROM first_any f LEFT JOIN in_ring i USING (account_id) LEFT JOIN reported r USING (account_id)
WHERE f.account_id IS NOT NULL
"""
"""An account's first criminal activity: its first payment with a member of its own ring or
its first credit a victim reported, whichever is earlier; else its first payment at all."""


class RevealSplit(ABC):
    """Decides which ground-truth accounts are revealed (their verdicts train the model)."""

    NAME: ClassVar[str]

    @abstractmethod
    def reveal(self, engine: Engine, truth: pd.Series, fraction: float, seed: int) -> pd.Series:
        """account_id -> 0/1 for the revealed accounts among `truth` (0/1 per account)."""


class RandomSplit(RevealSplit):
    """A seeded random `fraction` of all accounts, as before splits existed."""

    NAME = "random"

    def reveal(self, engine: Engine, truth: pd.Series, fraction: float, seed: int) -> pd.Series:
        return reveal(truth, fraction, seed)


class RingSplit(RevealSplit):
    """Whole rings revealed or unseen: round(fraction x rings) of them, seeded."""

    NAME = "ring"

    def reveal(self, engine: Engine, truth: pd.Series, fraction: float, seed: int) -> pd.Series:
        ring = ring_of(engine).reindex(truth.index)
        in_ring = ring.notna().to_numpy()
        rings = np.unique(ring[in_ring].to_numpy())
        rng = np.random.default_rng(seed)
        chosen = rng.permutation(rings)[: round(min(fraction, 1.0) * len(rings))]
        revealed_members = truth[in_ring & ring.isin(chosen).to_numpy()]
        return pd.concat([revealed_members, reveal(truth[~in_ring], fraction, seed)]).sort_index()


class TimeSplit(RevealSplit):
    """Positives whose crime started by T revealed (T: the `fraction` quantile of starts)."""

    NAME = "time"

    def reveal(self, engine: Engine, truth: pd.Series, fraction: float, seed: int) -> pd.Series:
        positive = truth.to_numpy() == 1
        if not positive.any():
            return reveal(truth, fraction, seed)
        starts = first_criminal_activity(engine).reindex(truth.index[positive])
        cut = time_cut(starts, fraction)
        early = truth[positive][(starts <= cut).to_numpy()]
        return pd.concat([early, reveal(truth[~positive], fraction, seed)]).sort_index()


SPLITS: dict[str, type[RevealSplit]] = {
    split.NAME: split for split in (RandomSplit, RingSplit, TimeSplit)
}


def split_named(name: str) -> RevealSplit:
    """The split registered under `name`, or one clear error listing the known ones."""
    if name not in SPLITS:
        raise FraudnetError(f"unknown reveal split {name!r}; known: {', '.join(sorted(SPLITS))}")
    return SPLITS[name]()


def ring_of(engine: Engine) -> pd.Series:
    """account_id -> ring number for ground-truth positives in a ring (overlapping rings merged)."""
    rows = account_labels(engine)
    rows = rows[
        (rows["source"] == "ground_truth")
        & rows["label"].isin(POSITIVE_LABELS)
        & rows["network_id"].notna()
    ].drop_duplicates(["account_id", "network_id"])
    if rows.empty:
        return pd.Series(dtype=np.int64, index=pd.Index([], name="account_id"))
    accounts, account_code = np.unique(rows["account_id"].to_numpy(), return_inverse=True)
    _, network_code = np.unique(rows["network_id"].to_numpy(), return_inverse=True)
    n = len(accounts)
    links = sp.coo_matrix(
        (np.ones(len(rows)), (account_code, n + network_code)),
        shape=(n + network_code.max() + 1,) * 2,
    )
    _, component = connected_components(links, directed=False)
    return pd.Series(component[:n], index=pd.Index(accounts, name="account_id"))


def first_criminal_activity(engine: Engine) -> pd.Series:
    """account_id -> timestamp of its first criminal activity (see FIRST_ACTIVITY_SQL)."""
    positives = ", ".join(f"'{label}'" for label in POSITIVE_LABELS)  # constants, not input
    found = engine.sql(FIRST_ACTIVITY_SQL.format(positives=positives)).to_pandas()
    return found.set_index("account_id")["first_criminal"]


def time_cut(starts: pd.Series, fraction: float) -> pd.Timestamp:
    """T: the `fraction` quantile of first criminal activity (lower: at least that share seen)."""
    values = pd.to_datetime(starts.dropna()).sort_values()
    if values.empty:
        return pd.Timestamp.min
    position = max(int(np.ceil(min(fraction, 1.0) * len(values))) - 1, 0)
    return pd.Timestamp(values.iloc[position])
