"""Nothing after the cut-off reaches a detection output.

Each case adds one kind of record dated after the cut-off (payments, fraud reports, identifiers
and logins, new accounts, label decisions), and one case adds them all; detection as of the
cut-off must give byte-identical outputs (features, rule strengths, scores, reasons, alerts,
rule evidence, model version) with ground truth revealed and without it (reports only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from fraudnet.detect import DetectResult, detect
from fraudnet.detect.labels import ground_truth_accounts, reveal_draws
from fraudnet.engine import Engine, open_engine

CUTOFF = dt.datetime(2025, 3, 1)
"""Late enough that the reports known by then train the label-free model."""
AT = f"TIMESTAMP '{CUTOFF:%Y-%m-%d %H:%M:%S}'"
LATE = f"{AT} + INTERVAL 1 HOUR * (1 + ROW_NUMBER() OVER () % 120)"
"""A time 1 to 120 hours after the cut-off, different from row to row."""
MODES: dict[str, dict[str, Any]] = {
    "supervised": {"reveal_ground_truth": 0.5},
    "reports-only": {"reveal_ground_truth": 0.0, "alert_budget": 20, "per_day_window": 7},
}
"""Ground truth revealed for half the accounts with a total alert budget; no labels, so the
model learns from the reports, with a daily alert queue over the last week."""
MULES = "SELECT subject FROM labels WHERE source = 'ground_truth' AND label LIKE 'mule%'"


def _add(engine: Engine, table: str, sql: str) -> int:
    """Append the rows `sql` selects to `table`; how many there were."""
    rows = engine.sql(sql)
    engine.append(table, rows)
    return rows.num_rows


def late_payments(engine: Engine) -> None:
    """Copies of real payments (same accounts) moved to after the cut-off, new ids."""
    assert _add(
        engine,
        "transactions",
        f"SELECT * REPLACE ('LATE-P-' || txn_id AS txn_id, {LATE} AS ts) "
        "FROM (SELECT * FROM transactions ORDER BY txn_id LIMIT 3000)",
    )


def late_reports(engine: Engine) -> None:
    """Reports made after the cut-off: on earlier payments to mules and others, again on
    payments already reported, and on payments made after the cut-off."""
    template = "(SELECT * FROM fraud_reports ORDER BY report_id LIMIT 1) r"
    unreported = "txn_id NOT IN (SELECT txn_id FROM fraud_reports)"
    earlier = (
        f"SELECT * FROM (SELECT * FROM transactions WHERE ts <= {AT} AND {unreported} "
        f"AND dst_account IN ({MULES}) ORDER BY txn_id LIMIT 200) UNION ALL "
        f"SELECT * FROM (SELECT * FROM transactions WHERE ts <= {AT} AND {unreported} "
        "ORDER BY amount DESC, txn_id LIMIT 100)"
    )
    later = (
        f"SELECT * REPLACE ('LATE-RP-' || txn_id AS txn_id, {LATE} AS ts) FROM transactions "
        f"WHERE dst_account IN ({MULES}) AND ts <= {AT} ORDER BY txn_id LIMIT 300"
    )
    assert _add(engine, "transactions", later)
    for prefix, payments in (("LATE-R-", earlier), ("LATE-RL-", later.replace(LATE, AT))):
        assert _add(
            engine,
            "fraud_reports",
            f"SELECT r.* REPLACE ('{prefix}' || t.txn_id AS report_id, t.txn_id AS txn_id, "
            f"t.amount AS amount, {LATE} AS reported_at) FROM ({payments}) t CROSS JOIN {template}",
        )
    assert _add(
        engine,
        "fraud_reports",
        f"SELECT * REPLACE ('LATE-R2-' || report_id AS report_id, {LATE} AS reported_at) "
        f"FROM fraud_reports WHERE reported_at <= {AT}",
    )


def _shared_identifier(owner_kind: str, kind: str, owners: str) -> str:
    """`owners` take one of three values of another owner's `kind`, first seen later."""
    return f"""
    WITH hub AS (
      SELECT value, CAST(ROW_NUMBER() OVER (ORDER BY value) - 1 AS BIGINT) AS g FROM (
        SELECT DISTINCT value FROM identifiers WHERE owner_kind = '{owner_kind}'
          AND kind = '{kind}' ORDER BY value LIMIT 3)),
    who AS (SELECT owner, CAST(ROW_NUMBER() OVER (ORDER BY owner) AS BIGINT) AS k
            FROM ({owners}))
    SELECT i.* REPLACE (w.owner AS owner, h.value AS value, {LATE} AS first_seen,
      {LATE} AS last_seen)
    FROM who w JOIN hub h ON w.k % 3 = h.g
    CROSS JOIN (SELECT * FROM identifiers WHERE owner_kind = '{owner_kind}'
                AND kind = '{kind}' ORDER BY owner, value LIMIT 1) i
    WHERE NOT EXISTS (SELECT 1 FROM identifiers x WHERE x.owner = w.owner
                      AND x.kind = '{kind}' AND x.value = h.value)
    """


def late_identifiers(engine: Engine) -> None:
    """Devices, IPs, phones and addresses first seen after the cut-off, each one shared by
    hundreds of existing accounts or holders, and logins after it on other accounts' devices."""
    accounts = f"SELECT account_id AS owner FROM accounts WHERE opened_at <= {AT}"
    holders = f"SELECT DISTINCT holder_party_id AS owner FROM accounts WHERE opened_at <= {AT}"
    for kind in ("device", "ip"):
        owners = f"{accounts} ORDER BY owner LIMIT 300"
        assert _add(engine, "identifiers", _shared_identifier("account", kind, owners))
    for kind in ("phone", "address"):
        owners = f"{holders} ORDER BY owner LIMIT 300"
        assert _add(engine, "identifiers", _shared_identifier("party", kind, owners))
    assert _add(
        engine,
        "events",
        f"""SELECT e.* REPLACE ('LATE-EV-' || a.owner AS event_id, {LATE} AS ts,
          a.owner AS subject, d.device AS device, d.ip AS ip)
        FROM ({accounts} ORDER BY owner DESC LIMIT 300) a
        CROSS JOIN (SELECT * FROM events ORDER BY event_id LIMIT 1) e
        CROSS JOIN (SELECT device, ip FROM events ORDER BY event_id LIMIT 1) d""",
    )


def late_accounts(engine: Engine) -> None:
    """Accounts opened after the cut-off (ids sorting among the existing ones), half for new
    holders, with payments, identifiers and the ground truth the simulator would give them."""
    picked = f"SELECT account_id FROM accounts WHERE opened_at <= {AT} ORDER BY account_id"
    new_holder = "account_id IN (SELECT account_id FROM picked WHERE k % 2 = 0)"
    with_k = (
        f"picked AS (SELECT account_id, ROW_NUMBER() OVER (ORDER BY account_id) AS k "
        f"FROM ({picked} LIMIT 300))"
    )
    assert _add(
        engine,
        "parties",
        f"WITH {with_k} SELECT * REPLACE (party_id || 'L' AS party_id) FROM parties "
        f"WHERE party_id IN (SELECT holder_party_id FROM accounts WHERE {new_holder})",
    )
    assert _add(
        engine,
        "accounts",
        f"""WITH {with_k} SELECT * REPLACE (account_id || 'L' AS account_id, {LATE} AS opened_at,
          CASE WHEN {new_holder} THEN holder_party_id || 'L' ELSE holder_party_id END
          AS holder_party_id)
        FROM accounts WHERE account_id IN (SELECT account_id FROM picked)""",
    )
    assert _add(
        engine,
        "transactions",
        f"""WITH {with_k} SELECT * REPLACE ('LATE-A-' || txn_id AS txn_id, {LATE} AS ts,
          CASE WHEN src_account IN (SELECT account_id FROM picked) THEN src_account || 'L'
            ELSE src_account END AS src_account,
          CASE WHEN dst_account IN (SELECT account_id FROM picked) THEN dst_account || 'L'
            ELSE dst_account END AS dst_account)
        FROM transactions WHERE src_account IN (SELECT account_id FROM picked)
          OR dst_account IN (SELECT account_id FROM picked)""",
    )
    assert _add(
        engine,
        "identifiers",
        f"""SELECT * REPLACE (owner || 'L' AS owner, {LATE} AS first_seen, {LATE} AS last_seen)
        FROM identifiers WHERE owner || 'L' IN (SELECT account_id FROM accounts
          WHERE opened_at > {AT} UNION SELECT holder_party_id FROM accounts
          WHERE opened_at > {AT})""",
    )
    assert _add(
        engine,
        "labels",
        f"SELECT * REPLACE (subject || 'L' AS subject) FROM labels WHERE subject || 'L' IN "
        f"(SELECT account_id FROM accounts WHERE opened_at > {AT})",
    )


def late_labels(engine: Engine) -> None:
    """Decisions after the cut-off, by analysts and in ground truth: the busiest legitimate
    accounts called mules, every mule called legitimate."""
    legitimate = (
        "SELECT subject FROM labels WHERE source = 'ground_truth' AND label = 'legitimate' "
        f"AND subject IN (SELECT dst_account FROM transactions WHERE ts <= {AT}) "
        "ORDER BY subject LIMIT 150"
    )
    for source in ("analyst", "ground_truth"):
        for verdict, subjects in (("mule_tier1", legitimate), ("legitimate", MULES)):
            assert _add(
                engine,
                "labels",
                f"SELECT * REPLACE ('{verdict}' AS label, '{source}' AS source, "
                f"'late-{source}' AS decided_by, {LATE} AS decided_at) FROM labels "
                f"WHERE source = 'ground_truth' AND subject IN ({subjects})",
            )


LateRecords = Callable[[Engine], None]
CASES: dict[str, list[LateRecords]] = {
    "payments": [late_payments],
    "reports": [late_reports],
    "identifiers": [late_identifiers],
    "accounts": [late_accounts],
    "labels": [late_labels],
}
CASES["all"] = [add for adds in list(CASES.values()) for add in adds]


def _run(engine: Engine, mode: str) -> DetectResult:
    return detect(engine, as_of=CUTOFF, seed=3, write=False, **MODES[mode])


@pytest.fixture(scope="module")
def baseline(world_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, DetectResult]:
    """Each mode's outputs on the untouched world (computed once)."""
    copy = tmp_path_factory.mktemp("baseline") / "world.duckdb"
    copy.write_bytes(world_path.read_bytes())
    with open_engine(copy, "duckdb") as engine:
        return {mode: _run(engine, mode) for mode in MODES}


@pytest.fixture
def late_world(world: Engine, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The world with one case's late records added."""
    before = _table_sizes(world)
    for add in CASES[request.param]:
        add(world)
    grown = [name for name, n in _table_sizes(world).items() if n > before[name]]
    assert grown, "the case added nothing"
    yield world


def _table_sizes(engine: Engine) -> dict[str, int]:
    names = ("transactions", "fraud_reports", "identifiers", "events", "accounts", "labels")
    return {name: engine.count(name) for name in names}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("late_world", list(CASES), indirect=True)
def test_records_after_cutoff_change_no_output(
    late_world: Engine, baseline: dict[str, DetectResult], mode: str
) -> None:
    before = baseline[mode]
    after = _run(late_world, mode)
    assert (after.mode, after.model_version) == (before.mode, before.model_version)
    assert after.trained_accounts == before.trained_accounts
    pd.testing.assert_frame_equal(after.features, before.features, check_exact=True)
    pd.testing.assert_frame_equal(after.rule_strengths, before.rule_strengths, check_exact=True)
    for name in ("scores", "alerts", "rule_hits"):
        assert getattr(after, name).equals(getattr(before, name)), name


TRUE_POSITIVES_IN_ALERTS = {"supervised": 8 - 3, "reports-only": 19 - 5}
"""Ground-truth positives among each mode's alerts (100, and 20 a day for 7 days), as
measured on this world, minus a margin."""


def test_baseline_is_a_real_model_in_each_mode(
    world_path: Path, baseline: dict[str, DetectResult]
) -> None:
    with open_engine(world_path, "duckdb") as engine:
        truth = ground_truth_accounts(engine)
    assert baseline["supervised"].mode == "supervised"
    assert baseline["supervised"].trained_accounts > 1000
    assert baseline["reports-only"].model_version.startswith("reports-")  # reports train it
    for mode, result in baseline.items():
        alerted = result.alerts.column("account_id").to_pylist()
        assert int(truth.reindex(alerted).sum()) >= TRUE_POSITIVES_IN_ALERTS[mode], mode
        assert len(set(result.scores.column("score").to_pylist())) > 20
        assert result.rule_hits.num_rows > 1000
    assert baseline["supervised"].alerts.num_rows == 100
    assert sorted(baseline["reports-only"].alerts.column("alert_day").unique().to_pylist()) == [
        dt.date(2025, 2, 22) + dt.timedelta(days=d) for d in range(7)
    ]


def test_an_accounts_reveal_draw_ignores_the_other_accounts() -> None:
    everyone = pd.Index([f"GB-000000-{i:08d}" for i in range(6000)])
    some = everyone[::3].append(pd.Index(["GB-999999-00000000"]))
    draws = pd.Series(reveal_draws(everyone, seed=3), index=everyone)
    assert (reveal_draws(some, seed=3)[:-1] == draws[some[:-1]].to_numpy()).all()
    assert abs(float((draws < 0.5).mean()) - 0.5) < 0.03  # 3 standard errors is 0.019
    assert not (reveal_draws(everyone, seed=4) == draws.to_numpy()).all()
