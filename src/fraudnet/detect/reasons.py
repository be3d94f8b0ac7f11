"""Turn model contributions and rule hits into the plain-words `reasons` of a score."""

from __future__ import annotations

import numpy as np
import pandas as pd

from fraudnet.detect.rules import RULES, FeatureRows
from fraudnet.schema.detect import FEATURE_MEANINGS

EXTRA_MEANINGS = {
    "known_mule_payees": "payees already known as mules",
    "known_mule_senders": "senders already known as mules",
    "known_mule_2hop": "known mules two payments away",
    "known_mule_cp_share": "share of counterparties with a known verdict that are known mules",
    "co_payees_known_mule_max": "highest share of known mules among a payee's other senders",
    "co_payees_known_mule_n": "known mules paying the same payees",
    "co_senders_known_mule_max": "highest share of known mules among a sender's other payees",
    "co_senders_known_mule_n": "known mules paid by the same senders",
    "burst_known_co_senders": "known mules paying the same payee within a day of this account",
    "burst_known_co_payees": "known mules paid by the same sender within a day of this account",
    "burst_known_co_senders_3d": "known mules paying the same payee within 3 days of this account",
    "burst_known_co_payees_3d": "known mules paid by the same sender within 3 days of this account",
    "anomaly": "how unusual the flow pattern is (percentile)",
    **{f"rule_{name}": f"typology rule {name.replace('_', ' ')} (strength)" for name in RULES},
}
TOP_REASONS = 3


def meaning(feature: str) -> str:
    return FEATURE_MEANINGS.get(feature) or EXTRA_MEANINGS.get(feature, feature)


def format_value(feature: str, value: float) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "unknown"
    if "share" in feature or feature in ("pass_through", "anomaly"):
        return f"{100 * value:.0f}%"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def model_reasons(contributions: np.ndarray, values: pd.DataFrame, names: list[str]) -> list[str]:
    """Top positive contributions per row, as 'meaning: value' phrases joined by '; '."""
    out = []
    top = np.argsort(-contributions, axis=1)[:, :TOP_REASONS]
    matrix = values.to_numpy(dtype=np.float64)
    for row, picks in enumerate(top):
        phrases = [
            f"{meaning(names[j])}: {format_value(names[j], matrix[row, j])}"
            for j in picks
            if contributions[row, j] > 0
        ]
        out.append("; ".join(phrases) or "no signal above the population average")
    return out


ANOMALY_PHRASE = "flow pattern more unusual than {pct:.0f}% of accounts"
REPORTED_LIKE_PHRASE = "behaves more like payees of reported fraud than {pct:.0f}% of accounts"


def rule_reasons(
    strengths: pd.DataFrame,
    frame: pd.DataFrame,
    anomaly: np.ndarray | None,
    phrase: str = ANOMALY_PHRASE,
) -> list[str]:
    """Fired rules (strongest first) explained, then the anomaly percentile if given."""
    rules = {name: cls() for name, cls in RULES.items()}
    names = list(rules)
    matrix = strengths[names].to_numpy()
    if anomaly is None:
        out = ["no typology rule fired"] * len(frame)
    else:
        out = [phrase.format(pct=100 * a) for a in anomaly]
    rows = FeatureRows(frame)
    for row in np.flatnonzero(matrix.max(axis=1, initial=0.0) > 0):
        order = [j for j in np.argsort(-matrix[row]) if matrix[row, j] > 0][: TOP_REASONS - 1]
        record = rows[int(row)]
        phrases = [f"{names[j]}: {rules[names[j]].explain(record)}" for j in order]
        out[row] = "; ".join(phrases if anomaly is None else [*phrases, out[row]])
    return out
