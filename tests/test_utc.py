"""Offsets are converted to UTC, never dropped: the cut-off and analyst judgements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from fraudnet.detect.asof import Cutoff
from fraudnet.utc import naive_utc

PLUS_ONE = timezone(timedelta(hours=1))
MINUS_FIVE = timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("given", "utc"),
    [
        (datetime(2024, 6, 1, 11, 0, tzinfo=PLUS_ONE), datetime(2024, 6, 1, 10, 0)),
        (datetime(2024, 1, 1, 11, 0, tzinfo=MINUS_FIVE), datetime(2024, 1, 1, 16, 0)),
        (datetime(2024, 1, 1, 23, 30, tzinfo=MINUS_FIVE), datetime(2024, 1, 2, 4, 30)),
        (datetime(2024, 1, 1, 11, 0, tzinfo=UTC), datetime(2024, 1, 1, 11, 0)),
        (datetime(2024, 1, 1, 11, 0), datetime(2024, 1, 1, 11, 0)),
    ],
)
def test_naive_utc_converts_offsets(given: datetime, utc: datetime) -> None:
    assert naive_utc(given) == utc
    assert naive_utc(given).tzinfo is None


def test_cutoff_literal_is_in_utc() -> None:
    cutoff = Cutoff(datetime(2024, 1, 1, 23, 30, tzinfo=MINUS_FIVE))
    assert cutoff.as_of == datetime(2024, 1, 2, 4, 30)
    assert cutoff.literal() == "TIMESTAMP '2024-01-02 04:30:00.000000'"
    assert cutoff.date_literal == "DATE '2024-01-02'"
    assert (
        Cutoff(datetime(2024, 6, 1, 11, 0, tzinfo=PLUS_ONE))
        .literal(1)
        .startswith("TIMESTAMP '2024-05-31 10:00")
    )
