"""The plain baseline fraudnet must beat: eight per-account aggregates, LightGBM, one hand rule.

Aggregates, over every payment up to the cut-off, in each direction (in = received, out = sent):
payment count, money sum, distinct counterparties, distinct active days (eight columns, one
DuckDB-dialect group-by through the engine). With revealed labels: LightGBM (200 trees,
learning rate 0.05, 31 leaves, positives weighted by sqrt(negatives / positives)) trained on
exactly the accounts fraudnet trained on and scored on the rest. With no labels: the
pass-through rule, score = min(in sum, out sum) / max(in sum, out sum) x activity, where
activity = log(1 + payments in and out) / its maximum over accounts.
"""

from __future__ import annotations

import datetime as dt

import lightgbm as lgb
import numpy as np
import pandas as pd

from fraudnet.detect.asof import Cutoff
from fraudnet.engine import Engine

AGGREGATES = (
    "in_n",
    "in_sum",
    "in_cp",
    "in_days",
    "out_n",
    "out_sum",
    "out_cp",
    "out_days",
)

AGGREGATES_SQL = """
WITH legs AS (
  SELECT dst_account AS account_id, 'in' AS dir, src_account AS cp, ts, amount
  FROM transactions WHERE dst_account IS NOT NULL AND ts <= {cutoff}
  UNION ALL
  SELECT src_account, 'out', dst_account, ts, amount
  FROM transactions WHERE src_account IS NOT NULL AND ts <= {cutoff}
)
SELECT account_id,
  COUNT(*) FILTER (WHERE dir = 'in') AS in_n,
  COALESCE(SUM(CAST(amount AS DOUBLE)) FILTER (WHERE dir = 'in'), 0) AS in_sum,
  COUNT(DISTINCT cp) FILTER (WHERE dir = 'in') AS in_cp,
  COUNT(DISTINCT CAST(ts AS DATE)) FILTER (WHERE dir = 'in') AS in_days,
  COUNT(*) FILTER (WHERE dir = 'out') AS out_n,
  COALESCE(SUM(CAST(amount AS DOUBLE)) FILTER (WHERE dir = 'out'), 0) AS out_sum,
  COUNT(DISTINCT cp) FILTER (WHERE dir = 'out') AS out_cp,
  COUNT(DISTINCT CAST(ts AS DATE)) FILTER (WHERE dir = 'out') AS out_days
FROM legs GROUP BY account_id
"""


def aggregates(engine: Engine, accounts: pd.Index, as_of: dt.datetime) -> pd.DataFrame:
    """The eight aggregates for `accounts` (0 for an account with no payment)."""
    query = AGGREGATES_SQL.format(cutoff=Cutoff(as_of).literal())  # a timestamp literal
    found = engine.sql(query).to_pandas().set_index("account_id")
    return found.reindex(accounts).fillna(0.0)[list(AGGREGATES)].astype(np.float64)


def supervised_scores(
    features: pd.DataFrame, labels: pd.Series, unseen: pd.Index, seed: int
) -> pd.Series:
    """LightGBM on the revealed accounts' aggregates; scores for the unseen accounts."""
    train = features.loc[labels.index]
    y = labels.to_numpy()
    positives = max(int(y.sum()), 1)
    model = lgb.LGBMClassifier(
        n_estimators=200,
        learning_rate=0.05,
        num_leaves=31,
        scale_pos_weight=float(np.sqrt(max(len(y) - positives, 1) / positives)),
        random_state=seed,
        n_jobs=2,
        verbose=-1,
    )
    model.fit(train.to_numpy(), y)
    probability = np.asarray(model.predict_proba(features.loc[unseen].to_numpy()))[:, 1]
    return pd.Series(probability, index=unseen)


def pass_through_scores(features: pd.DataFrame) -> pd.Series:
    """The no-label rule: balance of money in and out, times how active the account is."""
    money_in = features["in_sum"].to_numpy()
    money_out = features["out_sum"].to_numpy()
    larger = np.maximum(money_in, money_out)
    balance = np.divide(
        np.minimum(money_in, money_out), larger, out=np.zeros_like(larger), where=larger > 0
    )
    activity = np.log1p(features["in_n"].to_numpy() + features["out_n"].to_numpy())
    top = activity.max() if len(activity) else 0.0
    return pd.Series(balance * activity / max(top, 1e-12), index=features.index)
