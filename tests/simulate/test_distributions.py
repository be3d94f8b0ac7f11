"""Headline distributions of the world match their parameters."""

from __future__ import annotations

import duckdb
import pytest

from fraudnet.simulate import SimulationParams
from tests.simulate.conftest import TEST_PARAMS


def one(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    result = con.sql(sql).fetchall()
    assert result
    return float(result[0][0])


def test_mule_age_shares_follow_home_office_figures(con: duckdb.DuckDBPyConnection) -> None:
    ages = con.sql(
        """
        SELECT date_sub('year', p.dob, DATE '2025-01-06') AS age
        FROM labels l JOIN accounts a ON a.account_id = l.subject
        JOIN parties p ON p.party_id = a.holder_party_id
        WHERE l.label IN ('mule_tier1', 'mule_tier2plus') AND p.kind = 'person'
        """
    ).fetchall()
    under21 = sum(a < 21 for (a,) in ages) / len(ages)
    under30 = sum(a < 30 for (a,) in ages) / len(ages)
    want21, want30 = TEST_PARAMS.mule_age_shares
    assert len(ages) > 100
    assert abs(under21 - want21) < 0.06
    assert abs(under30 - want30) < 0.06


def test_tier1_mules_move_money_on_fast(con: duckdb.DuckDBPyConnection) -> None:
    first_out = con.sql(
        "SELECT in_txn, MIN(delay_s) AS d FROM hops WHERE tier = 'tier1' GROUP BY in_txn"
    ).fetchall()
    within_hour = sum(d < 3600 for _, d in first_out) / len(first_out)
    within_15 = sum(d < 900 for _, d in first_out) / len(first_out)
    assert abs(within_hour - TEST_PARAMS.moved_within_hour) < 0.08
    assert abs(within_15 - TEST_PARAMS.moved_within_15min) < 0.08


def test_fast_move_on_is_visible_in_the_transactions(con: duckdb.DuckDBPyConnection) -> None:
    """Measured from the tables alone: a victim payment's mule pays out within the hour."""
    share = one(
        con,
        """
        WITH v AS (
          SELECT t.txn_id, t.dst_account, t.ts FROM victim_payments vp
          JOIN transactions t USING (txn_id)
        )
        SELECT AVG(CASE WHEN EXISTS (
            SELECT 1 FROM transactions o WHERE o.src_account = v.dst_account
            AND o.ts > v.ts AND o.ts <= v.ts + INTERVAL 1 HOUR
            AND o.channel <> 'card') THEN 1 ELSE 0 END)
        FROM v
        """,
    )
    assert share > TEST_PARAMS.moved_within_hour - 0.1


def test_fraud_type_mix_and_report_rate(con: duckdb.DuckDBPyConnection) -> None:
    cases = con.sql(
        'SELECT "case", ANY_VALUE(fraud_type) AS t, BOOL_OR(reported) AS r '
        "FROM victim_payments GROUP BY 1"
    ).fetchall()
    assert len(cases) > 200
    purchase = sum(t == "purchase" for _, t, _ in cases) / len(cases)
    want = TEST_PARAMS.fraud_type_case_share["purchase"]
    assert abs(purchase - want) < 0.08
    reported = sum(r for _, _, r in cases) / len(cases)
    assert abs(reported - TEST_PARAMS.report_rate) < 0.08
    kinds = {t for _, t, _ in cases}
    assert {"purchase", "investment", "impersonation_police_bank"} <= kinds


def test_scam_amounts_differ_by_type(con: duckdb.DuckDBPyConnection) -> None:
    medians = dict(
        con.sql(
            "SELECT fraud_type, MEDIAN(t.amount) FROM victim_payments JOIN transactions t "
            "USING (txn_id) GROUP BY 1"
        ).fetchall()
    )
    assert medians["investment"] > 3 * medians["purchase"]


def test_reports_point_at_victim_payments_with_delay(con: duckdb.DuckDBPyConnection) -> None:
    bad = one(
        con,
        "SELECT COUNT(*) FROM fraud_reports r JOIN transactions t USING (txn_id) "
        "WHERE r.reported_at <= t.ts",
    )
    assert bad == 0
    noise = one(
        con,
        "SELECT AVG(CASE WHEN txn_id IN (SELECT txn_id FROM victim_payments) THEN 0 ELSE 1 END) "
        "FROM fraud_reports",
    )
    assert 0 < noise < 0.1  # a few false reports on ordinary purchases


@pytest.mark.parametrize("share", [0.0, 0.5])
def test_params_reach_the_world(share: float) -> None:
    from fraudnet.simulate import generate_world

    params = SimulationParams().with_(mule_account_share=0.03, report_rate=share)
    world = generate_world(accounts=1500, days=30, seed=1, params=params)
    reported = world.diagnostics["victim_payments"].column("reported").to_pylist()
    assert len(reported) > 10
    assert (sum(reported) == 0) == (share == 0.0)
