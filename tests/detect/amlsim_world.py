"""A small AMLSim-style world: the eight AML typologies hidden in random normal traffic.

Written in AMLSim's output layout (transactions.csv, accounts.csv) so it loads through
`ingest(..., source_format="amlsim", with_labels=True)`. Like AMLSim: criminal and normal
amounts come from the same range, timestamps are whole days, accounts carry no ages or
demographics with signal (open dates empty), the channel is a plain transfer, and normal
accounts run their own fan-in, fan-out, forward and mutual patterns too.

Two schedules for the criminal patterns (`timing=`): `daily`, the original one hop a day with
fans spread over at most 3-4 days (which the detector's 3-day cycle gap and 3-day motif window
match exactly), and `wide`, where each hop waits 1-7 days and each fan, gather or scatter
spreads over a window of 1-21 days drawn per pattern: wider than every detector window (1/3/7-day
bursts, 3-day cycle gap, 10-day cycle span, 7-day moved-on).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

TYPOLOGIES = (
    "fan_in",
    "fan_out",
    "cycle",
    "bipartite",
    "stack",
    "random",
    "scatter_gather",
    "gather_scatter",
)
START = dt.datetime(2017, 1, 1)
AMOUNT_RANGE = (100.0, 1000.0)
WIDE_HOP_DAYS = (1, 7)
"""`wide` schedule: days between one hop and the next, drawn uniformly (inclusive)."""
WIDE_WINDOW_DAYS = (1, 21)
"""`wide` schedule: length of the window a fan, gather or scatter spreads over, per pattern."""


class _Ledger:
    def __init__(self, rng: np.random.Generator, days: int) -> None:
        self.rng = rng
        self.days = days
        self.rows: list[tuple[int, int, float, int, bool, int]] = []

    def amount(self) -> float:
        return round(float(self.rng.uniform(*AMOUNT_RANGE)), 2)

    def pay(
        self, src: int, dst: int, day: int, alert: int = -1, amount: float | None = None
    ) -> None:
        value = self.amount() if amount is None else amount
        self.rows.append((src, dst, value, min(max(day, 0), self.days - 1), alert >= 0, alert))


def generate(
    accounts: int = 3000,
    days: int = 60,
    seed: int = 0,
    alerts: int | None = None,
    timing: str = "daily",
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """(transactions, accounts, network_id -> typology) in AMLSim's column layout."""
    criminal = SCHEDULES[timing]
    rng = np.random.default_rng(seed)
    ledger = _Ledger(rng, days)
    _normal_traffic(rng, ledger, accounts, days)
    n_alerts = alerts if alerts is not None else max(8, accounts // 120)
    typology_of: dict[str, str] = {}
    for alert in range(n_alerts):
        kind = TYPOLOGIES[alert % len(TYPOLOGIES)]
        size = int(rng.integers(4, 10))
        members = rng.choice(accounts, size=size, replace=False)
        criminal(kind, members, rng, ledger, alert, days)
        typology_of[f"amlsim-alert-{alert}"] = kind
    return _transactions(ledger), _accounts(rng, accounts), typology_of


def _normal_traffic(rng: np.random.Generator, ledger: _Ledger, n: int, days: int) -> None:
    """Random transfers plus AMLSim's normal models: fan-in, fan-out, forward, mutual."""
    contacts = rng.integers(0, n, size=(n, 4))
    per_day = max(1, int(n * 0.35))
    for day in range(days):
        src = rng.integers(0, n, size=per_day)
        dst = np.where(
            rng.random(per_day) < 0.7,
            contacts[src, rng.integers(0, 4, size=per_day)],
            rng.integers(0, n, size=per_day),
        )
        for s, d in zip(src, dst, strict=True):
            if s != d:
                ledger.pay(int(s), int(d), day)
    for _ in range(max(4, n // 60)):
        hub = int(rng.integers(0, n))
        others = rng.choice(n, size=int(rng.integers(4, 10)), replace=False)
        day = int(rng.integers(0, days))
        pattern = rng.integers(0, 4)
        for k, other in enumerate(others):
            if other == hub:
                continue
            when = day + int(rng.integers(0, 7))
            if pattern == 0:
                ledger.pay(int(other), hub, when)
            elif pattern == 1:
                ledger.pay(hub, int(other), when)
            elif pattern == 2 and k + 1 < len(others):
                ledger.pay(int(other), int(others[k + 1]), when + k)
            else:
                ledger.pay(hub, int(other), when)
                ledger.pay(int(other), hub, when + 3)


def _criminal(
    kind: str,
    members: np.ndarray,
    rng: np.random.Generator,
    ledger: _Ledger,
    alert: int,
    days: int,
) -> None:
    day = int(rng.integers(0, max(days - 12, 1)))
    m = [int(x) for x in members]

    def pay(src: int, dst: int, offset: int) -> None:
        ledger.pay(src, dst, day + offset, alert)

    if kind == "fan_in":
        for k, s in enumerate(m[1:]):
            pay(s, m[0], k % 3)
    elif kind == "fan_out":
        for k, d in enumerate(m[1:]):
            pay(m[0], d, k % 3)
    elif kind == "cycle":
        for k, s in enumerate(m):
            pay(s, m[(k + 1) % len(m)], k)
    elif kind == "bipartite":
        half = len(m) // 2
        for s in m[:half]:
            for d in m[half:]:
                pay(s, d, int(rng.integers(0, 4)))
    elif kind == "stack":
        third = max(len(m) // 3, 1)
        layers = [m[:third], m[third : 2 * third], m[2 * third :]]
        for step, (left, right) in enumerate(itertools.pairwise(layers)):
            for s in left:
                for d in right:
                    pay(s, d, 2 * step + int(rng.integers(0, 2)))
    elif kind == "random":
        current = m[0]
        for k in range(2 * len(m)):
            nxt = m[int(rng.integers(0, len(m)))]
            if nxt != current:
                pay(current, nxt, k)
                current = nxt
    elif kind == "scatter_gather":
        for mid in m[1:-1]:
            pay(m[0], mid, 0)
            pay(mid, m[-1], 2 + int(rng.integers(0, 3)))
    else:  # gather_scatter
        half = len(m) // 2
        for s in m[1:half]:
            pay(s, m[0], int(rng.integers(0, 2)))
        for d in m[half:]:
            pay(m[0], d, 3 + int(rng.integers(0, 2)))


def _criminal_wide(
    kind: str,
    members: np.ndarray,
    rng: np.random.Generator,
    ledger: _Ledger,
    alert: int,
    days: int,
) -> None:
    """The same shapes as `_criminal`, on hop delays and windows wider than the detector's."""
    window = int(rng.integers(WIDE_WINDOW_DAYS[0], WIDE_WINDOW_DAYS[1] + 1))
    timing = _WideTiming(rng, window)
    legs = _WIDE_SHAPES[kind]([int(x) for x in members], timing)
    span = max(offset for _, _, offset in legs)
    day = int(rng.integers(0, max(days - span, 1)))
    for src, dst, offset in legs:
        ledger.pay(src, dst, day + offset, alert)


class _WideTiming:
    """Draws of the `wide` schedule: a hop delay, a place in the pattern's window, a member."""

    def __init__(self, rng: np.random.Generator, window: int) -> None:
        self.rng = rng
        self.window = window

    def hop(self) -> int:
        return int(self.rng.integers(WIDE_HOP_DAYS[0], WIDE_HOP_DAYS[1] + 1))

    def spread(self) -> int:
        return int(self.rng.integers(0, self.window))

    def pick(self, n: int) -> int:
        return int(self.rng.integers(0, n))


Legs = list[tuple[int, int, int]]


def _wide_fan_in(m: list[int], t: _WideTiming) -> Legs:
    return [(s, m[0], t.spread()) for s in m[1:]]


def _wide_fan_out(m: list[int], t: _WideTiming) -> Legs:
    return [(m[0], d, t.spread()) for d in m[1:]]


def _wide_cycle(m: list[int], t: _WideTiming) -> Legs:
    at = np.cumsum([0] + [t.hop() for _ in m[1:]])
    return [(s, m[(k + 1) % len(m)], int(at[k])) for k, s in enumerate(m)]


def _wide_bipartite(m: list[int], t: _WideTiming) -> Legs:
    half = len(m) // 2
    return [(s, d, t.spread()) for s in m[:half] for d in m[half:]]


def _wide_stack(m: list[int], t: _WideTiming) -> Legs:
    third = max(len(m) // 3, 1)
    layers = [m[:third], m[third : 2 * third], m[2 * third :]]
    legs: Legs = []
    start = 0
    for left, right in itertools.pairwise(layers):
        legs += [(s, d, start + t.spread()) for s in left for d in right]
        start = max(offset for _, _, offset in legs) + t.hop()
    return legs


def _wide_random(m: list[int], t: _WideTiming) -> Legs:
    legs: Legs = []
    current, when = m[0], 0
    for _ in range(2 * len(m)):
        nxt = m[t.pick(len(m))]
        if nxt != current:
            legs.append((current, nxt, when))
            current, when = nxt, when + t.hop()
    return legs or [(m[0], m[1], 0)]


def _wide_scatter_gather(m: list[int], t: _WideTiming) -> Legs:
    legs: Legs = []
    for mid in m[1:-1]:
        first = t.spread()
        legs += [(m[0], mid, first), (mid, m[-1], first + t.hop())]
    return legs


def _wide_gather_scatter(m: list[int], t: _WideTiming) -> Legs:
    half = len(m) // 2
    legs = [(s, m[0], t.spread()) for s in m[1:half]]
    after = max((offset for _, _, offset in legs), default=0) + t.hop()
    return legs + [(m[0], d, after + t.spread()) for d in m[half:]]


_WIDE_SHAPES: dict[str, Callable[[list[int], _WideTiming], Legs]] = {
    "fan_in": _wide_fan_in,
    "fan_out": _wide_fan_out,
    "cycle": _wide_cycle,
    "bipartite": _wide_bipartite,
    "stack": _wide_stack,
    "random": _wide_random,
    "scatter_gather": _wide_scatter_gather,
    "gather_scatter": _wide_gather_scatter,
}
SCHEDULES = {"daily": _criminal, "wide": _criminal_wide}
"""Criminal pattern schedules by name (see the module docstring)."""


def _transactions(ledger: _Ledger) -> pd.DataFrame:
    rows = pd.DataFrame(
        ledger.rows, columns=["orig_acct", "bene_acct", "base_amt", "day", "is_sar", "alert_id"]
    )
    rows = rows.sort_values("day", kind="stable").reset_index(drop=True)
    stamps = [
        (START + dt.timedelta(days=int(d))).strftime("%Y-%m-%dT%H:%M:%SZ") for d in rows["day"]
    ]
    return pd.DataFrame(
        {
            "tran_id": np.arange(1, len(rows) + 1),
            "orig_acct": rows["orig_acct"],
            "bene_acct": rows["bene_acct"],
            "tx_type": "TRANSFER",
            "base_amt": rows["base_amt"],
            "tran_timestamp": stamps,
            "is_sar": rows["is_sar"].map({True: "True", False: "False"}),
            "alert_id": rows["alert_id"],
        }
    )


def _accounts(rng: np.random.Generator, n: int) -> pd.DataFrame:
    ids = np.arange(n)
    return pd.DataFrame(
        {
            "acct_id": ids,
            "dsply_nm": [f"C_{i}" for i in ids],
            "type": "I",
            "acct_stat": "A",
            "acct_rptng_crncy": "USD",
            "prior_sar_count": "False",
            "branch_id": rng.integers(1, 20, size=n),
            "open_dt": "0",
            "close_dt": "1000000",
            "initial_deposit": np.round(rng.uniform(AMOUNT_RANGE[0], 10 * AMOUNT_RANGE[1], n), 2),
            "bank_id": "bank",
            "first_name": "",
            "last_name": "",
            "street_addr": "",
            "city": "",
            "state": "",
            "country": "US",
            "zip": "",
            "gender": "",
            "birth_date": "",
            "ssn": "",
            "lon": 0.0,
            "lat": 0.0,
        }
    )


def write(
    directory: Path, accounts: int = 3000, days: int = 60, seed: int = 0, timing: str = "daily"
) -> dict[str, str]:
    """Write transactions.csv and accounts.csv; returns network_id -> typology."""
    directory.mkdir(parents=True, exist_ok=True)
    transactions, accounts_table, typologies = generate(accounts, days, seed, timing=timing)
    transactions.to_csv(directory / "transactions.csv", index=False)
    accounts_table.to_csv(directory / "accounts.csv", index=False)
    return typologies
