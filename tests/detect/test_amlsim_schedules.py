"""The AMLSim-style generator's `wide` schedule really is wider than the detector's windows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.detect import amlsim_world


def _alert_days(timing: str) -> pd.DataFrame:
    rows, _, typologies = amlsim_world.generate(1500, 90, seed=3, timing=timing)
    sar = rows[rows["is_sar"] == "True"]
    day = pd.to_datetime(sar["tran_timestamp"]).dt.normalize()
    days = sar.assign(day=(day - day.min()).dt.days)[["alert_id", "day"]].drop_duplicates()
    assert days["alert_id"].nunique() == len(typologies)  # every alert kept some payments
    return days.sort_values(["alert_id", "day"])


def _span_and_wait(days: pd.DataFrame) -> pd.DataFrame:
    wait = days.groupby("alert_id")["day"].diff().fillna(0)
    grouped = days.assign(wait=wait).groupby("alert_id")
    return pd.DataFrame(
        {"span": grouped["day"].max() - grouped["day"].min(), "wait": grouped["wait"].max()}
    )


def test_daily_schedule_fits_the_detector_windows() -> None:
    daily = _span_and_wait(_alert_days("daily"))
    assert daily["wait"].max() <= 4 and np.median(daily["span"]) <= 5


def test_wide_schedule_waits_and_spans_beyond_them() -> None:
    wide = _span_and_wait(_alert_days("wide"))
    # hops wait 1-7 days and windows are 1-21 days: beyond the 3-day cycle gap and motif
    # window for many alerts, beyond the 10-day cycle span for some
    assert (wide["wait"] > 3).mean() > 0.3
    assert (wide["span"] > 10).mean() > 0.3
    assert wide["span"].max() < 90


def test_unknown_schedule_is_refused() -> None:
    with pytest.raises(KeyError):
        amlsim_world.generate(100, 10, seed=1, timing="hourly")
