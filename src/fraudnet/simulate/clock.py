"""Intra-day timing: when people pay, so criminal and ordinary activity share the same hours."""

from __future__ import annotations

import numpy as np

from fraudnet.simulate.arrowkit import MICROS_PER_DAY

HOUR = 3_600_000_000
MINUTE = 60_000_000

# Relative activity by UTC hour (UK time is UTC or UTC+1; close enough for a profile).
_PROFILES: dict[str, tuple[float, ...]] = {
    # card spending: low at night, lunch and early-evening peaks
    "card": (0.4, 0.25, 0.15, 0.1, 0.1, 0.2, 0.6, 1.5, 2.8, 3.5, 4.2, 4.8,
             6.0, 5.6, 4.8, 4.6, 5.0, 5.8, 6.2, 5.5, 4.2, 3.0, 1.8, 0.9),
    # transfers between people and online banking: evenings heavy
    "online": (0.8, 0.45, 0.25, 0.15, 0.15, 0.25, 0.7, 1.6, 2.6, 3.2, 3.6, 3.8,
               4.2, 4.0, 3.8, 3.8, 4.0, 4.6, 5.6, 6.2, 6.4, 5.6, 3.8, 2.0),
    # batch payments (Bacs salaries, direct debits) post in the small hours
    "batch": (2.0, 4.0, 6.0, 6.0, 4.0, 2.0, 1.0, 0.5, 0.2, 0.1, 0.1, 0.1,
              0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 1.0),
    # business hours: invoices, payroll top-ups, CHAPS
    "business": (0.05, 0.03, 0.02, 0.02, 0.02, 0.05, 0.2, 1.5, 4.5, 6.0, 6.2, 6.0,
                 4.5, 5.0, 5.8, 5.6, 4.5, 2.5, 0.8, 0.4, 0.2, 0.15, 0.1, 0.05),
    # cash machines
    "cash": (0.5, 0.4, 0.2, 0.1, 0.1, 0.2, 0.6, 1.6, 3.0, 3.6, 4.0, 4.6,
             5.2, 5.0, 4.6, 4.6, 5.0, 5.4, 5.2, 4.6, 3.6, 2.6, 1.6, 0.9),
}  # fmt: skip


def profile(name: str) -> np.ndarray:
    weights = np.asarray(_PROFILES[name], dtype=np.float64)
    return weights / weights.sum()


def times_on_days(
    rng: np.random.Generator, start_us: int, days: np.ndarray, profile_name: str
) -> np.ndarray:
    """A timestamp (µs) on each given day offset, at an hour drawn from the named profile."""
    hours = rng.choice(24, size=len(days), p=profile(profile_name))
    within = rng.integers(0, HOUR, size=len(days), dtype=np.int64)
    return start_us + days.astype(np.int64) * MICROS_PER_DAY + hours * HOUR + within


def weekday(start_weekday: int, days: np.ndarray) -> np.ndarray:
    """Day of week (0 Monday) of day offsets from a start on `start_weekday`."""
    return (start_weekday + days) % 7


def next_weekday(start_weekday: int, days: np.ndarray) -> np.ndarray:
    """Move weekend day offsets to the following Monday (banks post on working days)."""
    wd = weekday(start_weekday, days)
    return days + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))
