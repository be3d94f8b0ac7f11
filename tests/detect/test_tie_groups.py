"""Dense groups of short-lived ties score; trees, long-lived ties and hubs do not."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from fraudnet.detect.tie_groups import (
    DAY,
    HUB_TIES,
    TIE_GROUP_FEATURES,
    tie_group_features,
    tie_group_score,
)


def _features(edges: list[tuple[int, int, float]], n: int) -> dict[str, np.ndarray]:
    src = np.array([a for a, _, _ in edges])
    dst = np.array([b for _, b, _ in edges])
    seconds = np.array([int(day * DAY) for _, _, day in edges], dtype=np.int64)
    return tie_group_features(src, dst, seconds, n)


def test_a_bipartite_layer_closes_four_cycles() -> None:
    # accounts 0-2 each pay 3-5 once, within two days: K(3,3) has 9 four-cycles
    edges = [
        (s, d, 1 + 0.2 * k) for k, (s, d) in enumerate(itertools.product(range(3), range(3, 6)))
    ]
    result = _features(edges, 6)
    # through each node of K(3,3): choose 2 of its 3 neighbours x 2 others on the far side
    assert result["tie_squares_max"].tolist() == [6.0] * 6
    assert result["tie_triangles_max"].tolist() == [0.0] * 6


def test_a_chain_of_one_off_payments_has_no_cycles() -> None:
    edges = [(k, k + 1, 1 + 0.5 * k) for k in range(6)]
    result = _features(edges, 7)
    assert result["tie_squares_max"].sum() == 0
    assert result["tie_triangles_max"].sum() == 0
    assert result["tie_fan_max"].max() == 2


def test_long_lived_ties_are_not_short_lived() -> None:
    # the same square, but every pair pays again two months later: ordinary relations
    square = [(0, 1, 1.0), (1, 2, 1.5), (2, 3, 2.0), (3, 0, 2.5)]
    again = [(a, b, day + 60) for a, b, day in square]
    assert _features(square, 4)["tie_squares_max"].tolist() == [1.0] * 4
    assert _features(square + again, 4)["tie_squares_max"].sum() == 0


def test_a_triangle_is_counted_once_per_corner() -> None:
    result = _features([(0, 1, 1.0), (1, 2, 1.2), (2, 0, 1.4)], 3)
    assert result["tie_triangles_max"].tolist() == [1.0, 1.0, 1.0]


def test_spokes_inherit_a_fan_but_not_a_hub() -> None:
    fan = [(k, 0, 1 + 0.1 * k) for k in range(1, 7)]  # six senders into account 0
    shop_customers = range(8, 8 + HUB_TIES + 5)
    shop = [(c, 7, 1 + 0.01 * c) for c in shop_customers]  # a shop: beyond HUB_TIES
    result = _features(fan + shop, 8 + HUB_TIES + 5)
    assert result["tie_fan_max"][0] == 6
    assert result["tie_spoke_max"][1:7].tolist() == [6.0] * 6
    assert result["tie_spoke_max"][8] == 0  # the shop's customer is no spoke
    frame = pd.DataFrame(result)[list(TIE_GROUP_FEATURES)]
    score = tie_group_score(frame)
    assert score[1] > score[8] and score[0] > score[7]


def test_a_pattern_spread_over_two_weeks_is_seen_by_a_wider_window() -> None:
    # K(2,3) spread over 12 days: too slow for the 4-day window, whole in the 16-day one
    pairs = list(itertools.product(range(2), range(2, 5)))
    edges = [(s, d, 1 + 2.0 * k) for k, (s, d) in enumerate(pairs)]
    assert _features(edges, 5)["tie_squares_max"][0] == 3.0
