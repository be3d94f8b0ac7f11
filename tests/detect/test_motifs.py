"""Transfer motifs: time-ordered cycles, and known accomplices met in the same burst."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from fraudnet.detect.temporal_cycles import temporal_cycles

DAY = 86_400


def _run(edges: Sequence[tuple[int, int, float]], nodes: int) -> tuple[list[int], list[int]]:
    src = np.array([e[0] for e in edges])
    dst = np.array([e[1] for e in edges])
    seconds = np.array([int(e[2] * DAY) for e in edges])
    count, shortest = temporal_cycles(src, dst, seconds, nodes)
    return count.tolist(), shortest.tolist()


def test_an_ordered_cycle_marks_every_member() -> None:
    count, shortest = _run([(0, 1, 1), (1, 2, 2), (2, 3, 3), (3, 0, 4)], 5)
    assert count == [1, 1, 1, 1, 0]
    assert shortest == [4, 4, 4, 4, 0]


def test_a_rotation_that_is_in_time_order_counts() -> None:
    # 6 -> 7 on day 5, 7 -> 8 on day 3, 8 -> 6 on day 4: in order starting from 7
    count, shortest = _run([(0, 1, 5), (1, 2, 3), (2, 0, 4)], 3)
    assert count == [1, 1, 1] and shortest == [3, 3, 3]


def test_out_of_order_slow_or_immediate_returns_are_not_cycles() -> None:
    out_of_order = [(0, 1, 3), (1, 2, 2), (2, 0, 1)]
    assert _run(out_of_order, 3)[0] == [0, 0, 0]
    too_slow = [(0, 1, 1), (1, 2, 2), (2, 0, 30)]
    assert _run(too_slow, 3)[0] == [0, 0, 0]
    stalled = [(0, 1, 1), (1, 2, 6), (2, 0, 7)]  # within 10 days, but 5 idle days at 1
    assert _run(stalled, 3)[0] == [0, 0, 0]
    paid_back = [(0, 1, 1), (1, 0, 2)]  # a payment straight back is not round-tripping
    assert _run(paid_back, 2)[0] == [0, 0]


def test_a_longer_cycle_through_a_shortcut_reports_the_shortest() -> None:
    edges = [(0, 1, 1), (1, 2, 2), (2, 0, 3), (1, 3, 1.5), (3, 4, 2.5), (4, 0, 3.5)]
    count, shortest = _run(edges, 5)
    assert count[0] == 2 and count[1] == 2  # 0-1-2-0 and 0-1-3-4-0
    assert shortest[0] == 3 and shortest[3] == 4
    assert _run([], 3) == ([0, 0, 0], [0, 0, 0])


def test_known_accomplices_in_the_same_burst() -> None:
    """Senders paying one hub within a day of each other meet there; a week later they don't."""
    from fraudnet.detect.motifs import Transfers, known_in_bursts

    # 0, 1, 2 pay hub 5 on days 1-2; 3 pays it on day 9; 4 pays 6 on day 1
    src = np.array([0, 1, 2, 3, 4])
    dst = np.array([5, 5, 5, 5, 6])
    days = np.array([1.0, 1.5, 2.0, 9.0, 1.0])
    t = Transfers(src, dst, (days * DAY).astype(np.int64), np.full(5, 100.0))
    known = np.zeros(7, dtype=bool)
    known[[0, 1]] = True
    met = known_in_bursts(t, known, days=1)["burst_known_co_senders"].tolist()
    assert met == [1, 1, 2, 0, 0, 0, 0]  # 0 meets 1, 1 meets 0, 2 meets both; 3 came late
