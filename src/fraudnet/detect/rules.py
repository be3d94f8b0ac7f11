"""Typology rules: one registered class per money-mule pattern, each with its evidence.

A rule reads the per-account feature frame and returns a strength in [0, 1] (0 = no hit);
for the accounts it hit, its evidence query returns the transactions that show the pattern,
and `explain` says it in plain words with the values that triggered it. Adding a rule is
adding a class here (`@register`), nothing else.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

import numpy as np
import pandas as pd

from fraudnet.detect.new_ties import CYCLE_GAP_DAYS, FAN_WINDOW_DAYS, WIDE_GAP_DAYS
from fraudnet.detect.tie_groups import DAY, WINDOW_DAYS

RULES: dict[str, type[TypologyRule]] = {}


class FeatureRow(Protocol):
    """One account's features by name: a pandas row, or a `FeatureRows` row."""

    def __getitem__(self, feature: str, /) -> Any: ...


class FeatureRows:
    """Rows of a feature frame, each read as `row[feature]`, without building a pandas Series.

    `frame.iloc[i]` on a frame of ~200 columns costs about 0.2 ms; explaining the rule hits of
    a million accounts that way took most of a minute.
    """

    __slots__ = ("_columns",)

    def __init__(self, frame: pd.DataFrame) -> None:
        self._columns = {str(name): frame[name].to_numpy() for name in frame.columns}

    def __getitem__(self, position: int) -> _Row:
        return _Row(self._columns, position)


class _Row:
    __slots__ = ("_columns", "_position")

    def __init__(self, columns: dict[str, np.ndarray], position: int) -> None:
        self._columns = columns
        self._position = position

    def __getitem__(self, feature: str) -> Any:
        return self._columns[feature][self._position]


LEG_EVIDENCE = "SELECT l.account_id, l.txn_id, l.ts FROM {legs} l JOIN {hits} h ON "
LEG_EVIDENCE += "h.code = l.code WHERE l.own = 0"


class TypologyRule(ABC):
    """A named detector with parameters, a strength, evidence SQL and an explanation."""

    name: ClassVar[str]
    description: ClassVar[str]
    parameters: ClassVar[dict[str, float]] = {}
    reads_reports: ClassVar[bool] = False
    """True for a rule that reads fraud reports: the label-free model, whose target is "was
    a reported payee", must not learn from it (`fraudnet.detect.report_free`)."""

    @abstractmethod
    def strength(self, f: pd.DataFrame) -> np.ndarray:
        """Strength in [0, 1] for every account (row of the feature frame); 0 = no hit."""

    def evidence_sql(self) -> str | None:
        """DuckDB-dialect SELECT (account_id, txn_id, ts) over {legs}/{txn} for {hits}.

        {hits} (and {relays}) hold account_id and the integer `code` of `dt_accounts`: join on
        codes, which is several times cheaper than on account ids over millions of legs.
        """
        return LEG_EVIDENCE

    @abstractmethod
    def explain(self, row: FeatureRow) -> str:
        """The hit in plain words, with the values that triggered it."""

    def p(self, key: str) -> float:
        return self.parameters[key]


def register(cls: type[TypologyRule]) -> type[TypologyRule]:
    RULES[cls.name] = cls
    return cls


def all_rules() -> list[TypologyRule]:
    return [cls() for cls in RULES.values()]


def report_free_rules() -> list[TypologyRule]:
    """The rules that never read fraud reports (inputs the weak report model may use)."""
    return [rule for rule in all_rules() if not rule.reads_reports]


def _ramp(value: pd.Series, start: float, full: float) -> np.ndarray:
    """0 below `start`, rising linearly to 1 at `full`."""
    x = value.astype(float).fillna(0.0).to_numpy()
    return np.clip((x - start) / max(full - start, 1e-9), 0.0, 1.0)


def _gate(condition: pd.Series | np.ndarray, strength: np.ndarray) -> np.ndarray:
    mask = np.asarray(condition, dtype=bool)
    return np.where(mask, np.maximum(strength, 0.05), 0.0)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


FAST_PAIRS_SQL = """
WITH seq AS (
  SELECT l.account_id, l.txn_id, l.ts, l.is_in,
    MIN(CASE WHEN l.is_in = 0 THEN l.ts END) OVER (PARTITION BY l.account_id
      ORDER BY l.ts, l.is_in DESC ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_out,
    MAX(CASE WHEN l.is_in = 1 THEN l.ts END) OVER (PARTITION BY l.account_id
      ORDER BY l.ts, l.is_in DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS last_in
  FROM {legs} l JOIN {hits} h ON h.code = l.code WHERE l.own = 0
)
SELECT account_id, txn_id, ts FROM seq
WHERE (is_in = 1 AND DATE_DIFF('second', ts, next_out) <= 86400)
   OR (is_in = 0 AND DATE_DIFF('second', last_in, ts) <= 86400)
"""


@register
class RapidPassThrough(TypologyRule):
    name = "rapid_pass_through"
    description = "Most money received is paid on again within a day."
    parameters: ClassVar[dict[str, float]] = {"min_pass_through": 0.7, "min_fast_share": 0.5}

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        hit = (f["pass_through"] >= self.p("min_pass_through")) & (
            f["fast_out_share_24h"] >= self.p("min_fast_share")
        )
        return _gate(hit, f["pass_through"].to_numpy() * f["fast_out_share_24h"].to_numpy())

    def evidence_sql(self) -> str:
        return FAST_PAIRS_SQL

    def explain(self, row: FeatureRow) -> str:
        return (
            f"paid on {_pct(row['pass_through'])} of what it received; "
            f"{_pct(row['fast_out_share_24h'])} of the money received went out again within "
            f"24h (within 1h: {_pct(row['fast_out_share_1h'])})"
        )


@register
class FanIn(TypologyRule):
    name = "fan_in"
    description = "Many unrelated senders, none dominant, and the money moves on."
    parameters: ClassVar[dict[str, float]] = {
        "min_senders": 5,
        "max_top_share": 0.5,
        "min_moved_on_7d": 0.5,
    }

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        hit = (
            (f["in_cp"] >= self.p("min_senders"))
            & (f["in_top_share"] <= self.p("max_top_share"))
            & (f["fast_out_share_7d"] >= self.p("min_moved_on_7d"))
        )
        k = self.p("min_senders")
        return _gate(hit, _ramp(f["in_cp"], k - 1, 4 * k) * f["fast_out_share_7d"].to_numpy())

    def evidence_sql(self) -> str:
        return LEG_EVIDENCE + " AND l.is_in = 1"

    def explain(self, row: FeatureRow) -> str:
        return (
            f"received from {row['in_cp']:.0f} senders (largest {_pct(row['in_top_share'])} "
            f"of the money), {_pct(row['fast_out_share_7d'])} paid on within 7 days"
        )


@register
class FanOut(TypologyRule):
    name = "fan_out"
    description = "Money from few senders is quickly spread over many payees."
    parameters: ClassVar[dict[str, float]] = {
        "min_payees": 5,
        "max_senders": 2,
        "min_moved_on_7d": 0.5,
    }

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        hit = (
            (f["out_cp"] >= self.p("min_payees"))
            & (f["in_cp"] <= self.p("max_senders"))
            & (f["in_cp"] >= 1)
            & (f["fast_out_share_7d"] >= self.p("min_moved_on_7d"))
        )
        k = self.p("min_payees")
        return _gate(hit, _ramp(f["out_cp"], k - 1, 4 * k) * f["fast_out_share_7d"].to_numpy())

    def evidence_sql(self) -> str:
        return LEG_EVIDENCE + " AND l.is_in = 0"

    def explain(self, row: FeatureRow) -> str:
        return (
            f"paid {row['out_cp']:.0f} payees from {row['in_cp']:.0f} sender(s); "
            f"{_pct(row['fast_out_share_7d'])} of the money moved on within 7 days"
        )


SCATTER_GATHER_SQL = """
WITH legs2{x} AS (
  SELECT a.src AS head, a.dst AS mid, b.dst AS tail, a.txn_id AS t1, a.ts AS ts1,
         b.txn_id AS t2, b.ts AS ts2
  FROM {txn} a JOIN {relays} r ON r.code = a.dst_code
  JOIN {txn} b ON b.src_code = a.dst_code AND b.ts >= a.ts
  JOIN {hits} h ON h.code = {side}
  WHERE a.own = 0 AND b.own = 0 AND b.dst_code IS NOT NULL AND b.dst_code <> a.src_code
), shapes{x} AS (
  SELECT head, tail FROM legs2{x} GROUP BY head, tail HAVING COUNT(DISTINCT mid) >= {k}
), proof{x} AS (
  SELECT l.* FROM legs2{x} l JOIN shapes{x} s ON s.head = l.head AND s.tail = l.tail
)
SELECT {side_col} AS account_id, t1 AS txn_id, ts1 AS ts FROM proof{x}
UNION ALL
SELECT {side_col} AS account_id, t2 AS txn_id, ts2 AS ts FROM proof{x}
"""


@register
class ScatterGather(TypologyRule):
    name = "scatter_gather"
    description = (
        "Money split over several intermediaries that pass it on to one account (the rule "
        "fires on both ends)."
    )
    parameters: ClassVar[dict[str, float]] = {"min_paths": 3}

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        paths = np.maximum(f["scatter_gather_out"], f["scatter_gather_in"])
        k = self.p("min_paths")
        return _gate(paths >= k, _ramp(pd.Series(paths), k - 1, 3 * k))

    def evidence_sql(self) -> str:
        k = int(self.p("min_paths"))
        out = SCATTER_GATHER_SQL.format(
            txn="{txn}",
            hits="{hits}",
            relays="{relays}",
            side="a.src_code",
            side_col="head",
            k=k,
            x="_out",
        )
        into = SCATTER_GATHER_SQL.format(
            txn="{txn}",
            hits="{hits}",
            relays="{relays}",
            side="b.dst_code",
            side_col="tail",
            k=k,
            x="_in",
        )
        return f"SELECT * FROM ({out}) AS o UNION ALL SELECT * FROM ({into}) AS i"

    def explain(self, row: FeatureRow) -> str:
        return (
            f"{row['scatter_gather_out']:.0f} parallel two-step paths out to one account, "
            f"{row['scatter_gather_in']:.0f} in from one account"
        )


@register
class GatherScatter(TypologyRule):
    name = "gather_scatter"
    description = "A relay: many senders in, many payees out, the balance passed on."
    parameters: ClassVar[dict[str, float]] = {
        "min_senders": 3,
        "min_payees": 3,
        "min_moved_on_7d": 0.6,
    }

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        hit = (
            (f["in_cp"] >= self.p("min_senders"))
            & (f["out_cp"] >= self.p("min_payees"))
            & (f["fast_out_share_7d"] >= self.p("min_moved_on_7d"))
        )
        relay = _ramp(f["gather_scatter"], 2, 12) * f["fast_out_share_7d"].to_numpy()
        return _gate(hit, relay)

    def explain(self, row: FeatureRow) -> str:
        return (
            f"{row['in_cp']:.0f} senders in, {row['out_cp']:.0f} payees out, "
            f"{_pct(row['fast_out_share_7d'])} passed on within 7 days"
        )


CYCLE_SQL = """
WITH c3 AS (
  SELECT h.account_id, a.txn_id AS t1, a.ts AS ts1, b.txn_id AS t2, b.ts AS ts2,
         c.txn_id AS t3, c.ts AS ts3
  FROM {hits} h JOIN {txn} a ON a.src_code = h.code
  JOIN {txn} b ON b.src_code = a.dst_code AND b.dst_code <> h.code
  JOIN {txn} c ON c.src_code = b.dst_code AND c.dst_code = h.code
  WHERE a.own = 0 AND b.own = 0 AND c.own = 0 AND a.dst_code <> h.code
)
SELECT account_id, t1 AS txn_id, ts1 AS ts FROM c3
UNION ALL SELECT account_id, t2 AS txn_id, ts2 AS ts FROM c3
UNION ALL SELECT account_id, t3 AS txn_id, ts3 AS ts FROM c3
"""


@register
class Cycle(TypologyRule):
    name = "cycle"
    description = "Round-tripping: money returns to the account through 3 or 4 steps."
    parameters: ClassVar[dict[str, float]] = {"min_cycles": 1, "min_moved_on_7d": 0.5}

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        cycles = f["cycle_3"] + f["cycle_4"]
        k = self.p("min_cycles")
        moved = f["fast_out_share_7d"].to_numpy()
        moving = moved >= self.p("min_moved_on_7d")
        strength = _ramp(cycles, k - 1, k + 4) * moved
        return _gate((cycles >= k) & moving, strength)

    def evidence_sql(self) -> str:
        return CYCLE_SQL

    def explain(self, row: FeatureRow) -> str:
        return (
            f"on {row['cycle_3']:.0f} three-step and {row['cycle_4']:.0f} four-step payment cycles"
        )


@register
class DormantThenActive(TypologyRule):
    name = "dormant_then_active"
    description = "A long quiet spell, then a burst of payments in the last 30 days."
    parameters: ClassVar[dict[str, float]] = {"min_quiet_days": 30, "min_recent_payments": 5}

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        recent = f["in_n_30d"] + f["out_n_30d"]
        hit = (f["quiet_days_before_recent"] >= self.p("min_quiet_days")) & (
            recent >= self.p("min_recent_payments")
        )
        k = self.p("min_recent_payments")
        return _gate(hit, _ramp(recent, k - 1, 4 * k))

    def evidence_sql(self) -> str:
        return LEG_EVIDENCE + " AND l.ts > {t30}"

    def explain(self, row: FeatureRow) -> str:
        recent = row["in_n_30d"] + row["out_n_30d"]
        return (
            f"quiet for {row['quiet_days_before_recent']:.0f} days, then {recent:.0f} "
            "payments in the last 30 days"
        )


@register
class NewAccountHighVelocity(TypologyRule):
    name = "new_account_high_velocity"
    description = "An account opened recently that already moves many payments."
    parameters: ClassVar[dict[str, float]] = {"max_age_days": 90, "min_payments_30d": 10}

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        recent = f["in_n_30d"] + f["out_n_30d"]
        young = f["account_age_days"].fillna(np.inf) <= self.p("max_age_days")
        k = self.p("min_payments_30d")
        return _gate(young & (recent >= k), _ramp(recent, k - 1, 4 * k))

    def evidence_sql(self) -> str:
        return LEG_EVIDENCE + " AND l.ts > {t30}"

    def explain(self, row: FeatureRow) -> str:
        recent = row["in_n_30d"] + row["out_n_30d"]
        return f"opened {row['account_age_days']:.0f} days ago, {recent:.0f} payments in 30 days"


@register
class SharedDevice(TypologyRule):
    name = "shared_device"
    description = "A device or phone number shared with many other account holders."
    parameters: ClassVar[dict[str, float]] = {"min_device_accounts": 4, "min_phone_holders": 4}

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        device = _ramp(f["device_shared_max"], self.p("min_device_accounts") - 1, 12)
        phone = _ramp(f["phone_shared_max"], self.p("min_phone_holders") - 1, 12)
        return np.maximum(device, phone)

    def evidence_sql(self) -> str | None:
        return None

    def explain(self, row: FeatureRow) -> str:
        return (
            f"a device seen on {row['device_shared_max']:.0f} accounts; a phone number "
            f"shared by {row['phone_shared_max']:.0f} holders"
        )


@register
class ReceivesReportedFunds(TypologyRule):
    name = "receives_reported_funds"
    description = "Received payments that the payers reported as fraud."
    parameters: ClassVar[dict[str, float]] = {"min_reports": 1}
    reads_reports = True

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        n = f["reported_in_n"]
        return _gate(n >= self.p("min_reports"), 0.5 + 0.5 * _ramp(n, 0, 4))

    def evidence_sql(self) -> str:
        return (
            "SELECT t.dst AS account_id, t.txn_id, t.ts FROM {txn} t "
            "JOIN {hits} h ON h.code = t.dst_code "
            "JOIN (SELECT DISTINCT txn_id FROM fraud_reports "
            "WHERE reported_at IS NULL OR reported_at <= {as_of}) r ON r.txn_id = t.txn_id"
        )

    def explain(self, row: FeatureRow) -> str:
        return (
            f"received {row['reported_in_n']:.0f} payments reported as fraud "
            f"({row['reported_in_sum']:,.2f} in total)"
        )


SHORT_TIES_SQL = """
WITH mine AS (
  SELECT l.account_id, l.cp_code, l.txn_id, l.ts FROM {legs} l JOIN {hits} h ON h.code = l.code
  WHERE l.own = 0 AND l.cp_code IS NOT NULL
), spans AS (
  SELECT account_id, cp_code FROM mine GROUP BY account_id, cp_code
  HAVING DATE_DIFF('second', MIN(ts), MAX(ts)) <= {short_seconds}
)
SELECT m.account_id, m.txn_id, m.ts FROM mine m
JOIN spans s ON s.account_id = m.account_id AND s.cp_code = m.cp_code
"""


@register
class ShortLivedRing(TypologyRule):
    name = "short_lived_ring"
    description = (
        "Met several new counterparties who also met each other, all within days, and the "
        "ties stopped again: a layer, a scatter-gather or a walk inside a ring."
    )
    parameters: ClassVar[dict[str, float]] = {"min_cycles": 2, "full_cycles": 12}

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        cycles = f["tie_squares_max"] + f["tie_triangles_max"]
        start, full = self.p("min_cycles"), self.p("full_cycles")
        return _gate(cycles >= start, _ramp(cycles, start - 1, full))

    def evidence_sql(self) -> str:
        return SHORT_TIES_SQL.replace("{short_seconds}", str(max(WINDOW_DAYS) * DAY))

    def explain(self, row: FeatureRow) -> str:
        return (
            f"its short-lived ties close {row['tie_squares_max']:.0f} four-cycles and "
            f"{row['tie_triangles_max']:.0f} triangles within one window (ordinary one-off "
            f"payments form trees)"
        )


ONE_OFF_SQL = """
WITH mine AS (
  SELECT h.account_id, l.code, l.cp_code, l.is_in, l.txn_id, l.ts
  FROM {legs} l JOIN {hits} h ON h.code = l.code WHERE l.own = 0 AND l.cp_code IS NOT NULL
), mine_one AS (
  SELECT m.* FROM mine m JOIN (
    SELECT code, cp_code FROM mine GROUP BY code, cp_code HAVING COUNT(*) = 1
  ) p ON p.code = m.code AND p.cp_code = m.cp_code
)"""
"""The hits' one-off ties: pairs with exactly one payment, either way, by the cut-off."""

ONE_OFF_FAN_SQL = (
    ONE_OFF_SQL
    + """, theirs AS (
  SELECT l.code, l.cp_code, l.is_in, l.txn_id, l.ts FROM {legs} l
  WHERE l.own = 0 AND l.cp_code IS NOT NULL AND l.code IN (SELECT cp_code FROM mine_one)
), theirs_one AS (
  SELECT t.* FROM theirs t JOIN (
    SELECT code, cp_code FROM theirs GROUP BY code, cp_code HAVING COUNT(*) = 1
  ) p ON p.code = t.code AND p.cp_code = t.cp_code
)
SELECT account_id, txn_id, ts FROM mine_one
UNION ALL
SELECT m.account_id, t.txn_id, t.ts FROM mine_one m JOIN theirs_one t
  ON t.code = m.cp_code AND t.is_in = 1 - m.is_in AND t.cp_code <> m.code
  AND ABS(DATE_DIFF('second', m.ts, t.ts)) <= {window_seconds}
"""
)


@register
class OneOffFan(TypologyRule):
    name = "one_off_fan"
    description = (
        "Strangers who each paid (or were paid) once, crowded into a few days, at an account "
        "that rarely meets new counterparties: a fan-in or fan-out hub, or one of its spokes."
    )
    parameters: ClassVar[dict[str, float]] = {"min_surprise": 4.0, "full_surprise": 8.0}

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        surprise = np.maximum(f["one_off_fan_surprise"], f["one_off_spoke_surprise"])
        start, full = self.p("min_surprise"), self.p("full_surprise")
        return _gate(surprise >= start, _ramp(surprise, start, full))

    def evidence_sql(self) -> str:
        return ONE_OFF_FAN_SQL.replace("{window_seconds}", str(FAN_WINDOW_DAYS * DAY))

    def explain(self, row: FeatureRow) -> str:
        own = max(row["one_off_fan_surprise"], 0.0)
        spoke = max(row["one_off_spoke_surprise"], 0.0)
        if own >= spoke:
            return (
                f"{row['one_off_in_burst']:.0f} senders and {row['one_off_out_burst']:.0f} "
                f"payees met once each within {FAN_WINDOW_DAYS} days at most: a chance of "
                f"1 in 10^{own:.1f} at its own rate of new counterparties"
            )
        return (
            f"paid or was paid once by an account whose one-off counterparties crowded into "
            f"{FAN_WINDOW_DAYS} days (a chance of 1 in 10^{spoke:.1f} at its rate): a fan's spoke"
        )


@register
class OneOffCycle(TypologyRule):
    name = "one_off_cycle"
    description = (
        "On a time-ordered cycle of payments between strangers who paid each other once: "
        "round-tripping, not a circle of friends."
    )
    parameters: ClassVar[dict[str, float]] = {"wide_strength": 0.7}

    def strength(self, f: pd.DataFrame) -> np.ndarray:
        tight = f["one_off_cycles"].to_numpy() > 0
        wide = f["one_off_cycles_wide"].to_numpy() > 0
        return np.where(tight, 1.0, np.where(wide, self.p("wide_strength"), 0.0))

    def evidence_sql(self) -> str:
        return ONE_OFF_SQL + "\nSELECT account_id, txn_id, ts FROM mine_one"

    def explain(self, row: FeatureRow) -> str:
        return (
            f"on {row['one_off_cycles']:.0f} cycles of one-off payments with hops within "
            f"{CYCLE_GAP_DAYS} days and {row['one_off_cycles_wide']:.0f} with hops within "
            f"{WIDE_GAP_DAYS} days"
        )


def rule_strengths(f: pd.DataFrame, rules: list[TypologyRule] | None = None) -> pd.DataFrame:
    """One strength column per rule (default: every registered rule), plus rules_total and
    rules_fired over those rules only."""
    chosen = all_rules() if rules is None else rules
    out = pd.DataFrame({r.name: r.strength(f) for r in chosen}, index=f.index)
    names = [r.name for r in chosen]
    out["rules_total"] = out[names].sum(axis=1)
    out["rules_fired"] = (out[names] > 0).sum(axis=1).astype(float)
    return out


Explainer = Callable[[FeatureRow], str]
