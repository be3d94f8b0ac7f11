"""Nothing but behaviour separates criminals from the innocent; the hard look-alikes exist."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from fraudnet.simulate import World

CRIMINAL = "('mule_tier1', 'mule_tier2plus', 'collector', 'herder')"


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.sql(sql).fetchall()


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return rows(con, sql)[0][0]


def _mean_rank(ids: pa.Array, flagged: set[str]) -> float:
    """Mean position (0..1) of flagged ids in sorted id order: 0.5 when ids carry no signal."""
    ordered = sorted(ids.to_pylist())
    positions = [i / (len(ordered) - 1) for i, v in enumerate(ordered) if v in flagged]
    assert len(positions) > 30
    return sum(positions) / len(positions)


def test_ids_carry_no_role_signal(world: World, con: duckdb.DuckDBPyConnection) -> None:
    mule_accounts = {
        r[0]
        for r in rows(
            con,
            f"SELECT subject FROM labels l JOIN accounts "
            f"ON account_id = subject WHERE label IN {CRIMINAL}",
        )
    }
    mule_parties = {
        r[0]
        for r in rows(
            con,
            f"SELECT subject FROM labels l JOIN parties "
            f"ON party_id = subject WHERE label IN {CRIMINAL}",
        )
    }
    criminal_txns = {
        r[0]
        for r in rows(
            con,
            "SELECT txn_id FROM purposes WHERE purpose IN "
            "('victim','tier1_out','tier2_out','collector_out')",
        )
    }
    criminal_events = {
        r[0]
        for r in rows(
            con,
            "SELECT event_id FROM events e JOIN labels l ON e.subject = l.subject "
            f"WHERE l.label IN {CRIMINAL}",
        )
    }
    t = world.tables
    assert abs(_mean_rank(t["accounts"].column("account_id"), mule_accounts) - 0.5) < 0.1
    assert abs(_mean_rank(t["parties"].column("party_id"), mule_parties) - 0.5) < 0.1
    assert abs(_mean_rank(t["transactions"].column("txn_id"), criminal_txns) - 0.5) < 0.1
    assert abs(_mean_rank(t["events"].column("event_id"), criminal_events) - 0.5) < 0.1


def test_mules_live_ordinary_lives(con: duckdb.DuckDBPyConnection) -> None:
    """Mules are people with pay and card spending, and most mule accounts are not new."""
    mule_people = """
        SELECT DISTINCT pt.person_id FROM labels l JOIN accounts a ON a.account_id = l.subject
        JOIN party_truth pt ON pt.party_id = a.holder_party_id
        WHERE l.label IN ('mule_tier1', 'mule_tier2plus')"""
    spending = scalar(
        con,
        f"""
        SELECT AVG(CASE WHEN EXISTS (SELECT 1 FROM party_truth pt2 JOIN accounts a2
            ON a2.holder_party_id = pt2.party_id JOIN transactions t ON t.src_account =
            a2.account_id AND t.channel = 'card' WHERE pt2.person_id = m.person_id)
            THEN 1 ELSE 0 END) FROM ({mule_people}) m
        """,
    )
    assert spending > 0.8
    paid = scalar(
        con,
        f"""
        SELECT AVG(CASE WHEN EXISTS (SELECT 1 FROM party_truth pt2 JOIN accounts a2
            ON a2.holder_party_id = pt2.party_id JOIN transactions t ON t.dst_account =
            a2.account_id AND t.channel = 'bacs' WHERE pt2.person_id = m.person_id)
            THEN 1 ELSE 0 END) FROM ({mule_people}) m
        """,
    )
    assert paid > 0.4
    old = scalar(
        con,
        "SELECT AVG(CASE WHEN opened_at < TIMESTAMP '2024-06-01' THEN 1 ELSE 0 END) "
        "FROM labels JOIN accounts ON account_id = subject WHERE label LIKE 'mule_%'",
    )
    assert 0.4 < old < 0.9
    new_legit = scalar(
        con,
        "SELECT COUNT(*) FROM labels JOIN accounts ON account_id = subject "
        "WHERE label = 'legitimate' AND opened_at >= TIMESTAMP '2024-06-01'",
    )
    assert new_legit > 50


def test_amount_precision_is_no_signal(con: duckdb.DuckDBPyConnection) -> None:
    def round_share(purposes: str) -> float:
        return float(
            scalar(
                con,
                "SELECT AVG(CASE WHEN amount % 1 = 0 THEN 1 ELSE 0 END) FROM transactions "
                f"JOIN purposes USING (txn_id) WHERE channel = 'fps' AND purpose IN {purposes}",
            )
        )

    legit = round_share("('p2p', 'sale', 'trade', 'own', 'rent', 'student')")
    mule = round_share("('tier1_out', 'tier2_out', 'collector_out')")
    victim = round_share("('victim',)")
    assert 0.3 < legit < 0.85 and 0.3 < mule < 0.85 and 0.3 < victim < 0.85
    assert abs(legit - mule) < 0.25


def test_criminal_hours_overlap_ordinary_hours(con: duckdb.DuckDBPyConnection) -> None:
    def hours(purposes: str) -> dict[int, float]:
        found = rows(
            con,
            "SELECT hour(ts), COUNT(*) FROM transactions JOIN purposes USING (txn_id) "
            f"WHERE purpose IN {purposes} GROUP BY 1",
        )
        total = sum(n for _, n in found)
        return {h: n / total for h, n in found}

    legit = hours("('p2p', 'sale', 'own', 'student', 'trade')")
    crime = hours("('victim', 'tier1_out', 'tier2_out')")
    distance = 0.5 * sum(abs(legit.get(h, 0) - crime.get(h, 0)) for h in range(24))
    assert distance < 0.3


def test_criminal_references_also_occur_in_ordinary_payments(
    con: duckdb.DuckDBPyConnection,
) -> None:
    only_criminal = rows(
        con,
        """
        SELECT DISTINCT reference FROM transactions JOIN purposes USING (txn_id)
        WHERE purpose IN ('victim','tier1_out','tier2_out','collector_out','herder_fee')
          AND reference IS NOT NULL
        EXCEPT SELECT DISTINCT reference FROM transactions JOIN purposes USING (txn_id)
        WHERE purpose NOT IN ('victim','tier1_out','tier2_out','collector_out','herder_fee')
        """,
    )
    assert only_criminal == []


def test_same_person_appears_differently_at_several_banks(
    con: duckdb.DuckDBPyConnection,
) -> None:
    multi = rows(
        con,
        """
        SELECT person_id, COUNT(*) AS n, COUNT(DISTINCT p.name) AS names,
               COUNT(DISTINCT p.postcode) AS postcodes, COUNT(DISTINCT p.phone) AS phones
        FROM party_truth JOIN parties p USING (party_id) WHERE p.kind = 'person'
        GROUP BY 1 HAVING COUNT(*) > 1
        """,
    )
    assert len(multi) > 200
    assert sum(names > 1 for _, _, names, _, _ in multi) > 0.2 * len(multi)
    assert sum(pcs > 1 for _, _, _, pcs, _ in multi) > 0.1 * len(multi)
    assert any(names == 1 for _, _, names, _, _ in multi)  # some records agree exactly


def test_own_account_pass_through_exists(con: duckdb.DuckDBPyConnection) -> None:
    """Pay lands and leaves for the same person's other bank within hours: not a mule."""
    found = scalar(
        con,
        """
        SELECT COUNT(*) FROM transactions pay
        JOIN transactions fwd ON fwd.src_account = pay.dst_account AND fwd.channel = 'fps'
          AND fwd.ts > pay.ts AND fwd.ts < pay.ts + INTERVAL 12 HOUR
        JOIN accounts s ON s.account_id = fwd.src_account
        JOIN accounts d ON d.account_id = fwd.dst_account
        JOIN party_truth ps ON ps.party_id = s.holder_party_id
        JOIN party_truth pd ON pd.party_id = d.holder_party_id
        JOIN labels l ON l.subject = fwd.src_account
        WHERE pay.channel = 'bacs' AND ps.person_id = pd.person_id
          AND s.institution <> d.institution AND l.label = 'legitimate'
        """,
    )
    assert found > 20


def test_shared_devices_exist_for_families_and_for_herders(
    con: duckdb.DuckDBPyConnection,
) -> None:
    legit_shared = scalar(
        con,
        """
        SELECT COUNT(*) FROM (
          SELECT e.device FROM events e JOIN accounts a ON a.account_id = e.subject
          JOIN party_truth pt ON pt.party_id = a.holder_party_id
          JOIN labels l ON l.subject = e.subject
          GROUP BY 1 HAVING COUNT(DISTINCT pt.person_id) > 1
             AND BOOL_AND(l.label IN ('legitimate', 'victim')))
        """,
    )
    assert legit_shared > 20
    networks = rows(
        con,
        """
        SELECT l.network_id, MAX(n) FROM (
          SELECT e.device, l.network_id, COUNT(DISTINCT e.subject) AS n FROM events e
          JOIN labels l ON l.subject = e.subject
          WHERE l.label IN ('mule_tier1', 'mule_tier2plus') GROUP BY 1, 2) l GROUP BY 1
        """,
    )
    assert networks and sum(n >= 2 for _, n in networks) >= 0.8 * len(networks)


def test_fan_in_and_fan_out_look_alikes(con: duckdb.DuckDBPyConnection) -> None:
    fan_in = scalar(
        con,
        """
        SELECT COUNT(*) FROM (SELECT dst_account FROM transactions t
          JOIN labels l ON l.subject = t.dst_account AND l.label = 'legitimate'
          WHERE channel = 'fps' GROUP BY 1 HAVING COUNT(DISTINCT src_account) >= 20)
        """,
    )
    landlords = scalar(
        con,
        """
        SELECT COUNT(*) FROM (SELECT dst_account FROM transactions t
          JOIN accounts a ON a.account_id = t.dst_account AND a.kind = 'personal'
          JOIN purposes USING (txn_id) WHERE purpose = 'rent'
          GROUP BY 1 HAVING COUNT(DISTINCT src_account) >= 2)
        """,
    )
    payroll = scalar(
        con,
        "SELECT MAX(n) FROM (SELECT src_account, COUNT(DISTINCT dst_account) AS n "
        "FROM transactions WHERE channel = 'bacs' GROUP BY 1)",
    )
    assert fan_in > 10 and landlords > 3 and payroll >= 20


def test_each_bank_formats_every_record_alike(con: duckdb.DuckDBPyConnection) -> None:
    """Overridden phones and addresses (herders', parents') follow the bank's house style."""
    styles = rows(
        con,
        """
        SELECT split_part(party_id, '-', 1) AS bank,
          COUNT(DISTINCT CASE WHEN phone LIKE '+44%' THEN 'e164' WHEN phone LIKE '% %'
                THEN 'spaced' WHEN phone IS NOT NULL THEN 'national' END) AS phone_styles,
          COUNT(DISTINCT CASE WHEN postcode IS NOT NULL THEN postcode LIKE '% %' END) AS pc_styles
        FROM parties WHERE kind = 'person' AND country = 'GB' GROUP BY 1
        """,
    )
    assert len(styles) == 10
    assert all(p == 1 and c == 1 for _, p, c in styles), styles


def test_innocent_records_share_phones_too(con: duckdb.DuckDBPyConnection) -> None:
    """Students' banks sometimes hold a parent's number: shared phones are not only herders'."""
    shared = scalar(
        con,
        """
        SELECT COUNT(*) FROM (
          SELECT i.value FROM identifiers i JOIN party_truth pt ON pt.party_id = i.owner
          JOIN labels l ON l.subject = i.owner
          WHERE i.kind = 'phone' GROUP BY 1
          HAVING COUNT(DISTINCT pt.person_id) > 1 AND BOOL_AND(l.label IN ('legitimate', 'victim')))
        """,
    )
    assert shared > 3


def test_mules_forward_no_more_than_they_receive_and_cuts_are_not_round(
    con: duckdb.DuckDBPyConnection,
) -> None:
    kept = rows(
        con,
        """
        SELECT i.amount, SUM(o.amount) FROM hops h
        JOIN transactions i ON i.txn_id = h.in_txn JOIN transactions o ON o.txn_id = h.out_txn
        WHERE h.tier = 'tier1' GROUP BY h.in_txn, i.amount
        """,
    )
    assert len(kept) > 100
    assert all(out <= received for received, out in kept)
    # the part kept is never a fixed percentage: few forwards are an exact whole per cent
    exact = [out * 100 % received == 0 for received, out in kept if out < received]
    assert sum(exact) < 0.2 * len(exact)


def _auc(scores: list[float], positive: list[bool]) -> float:
    """Area under the ROC curve by the rank-sum formula (ties share ranks)."""
    import numpy as np
    import pandas as pd

    ranks = pd.Series(scores).rank().to_numpy()
    pos = np.asarray(positive)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def test_static_account_and_party_fields_do_not_predict_mules(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """A model given only fields that are no behaviour (ids, balances, formatting) is blind."""
    import lightgbm as lgb
    import numpy as np

    data = rows(
        con,
        """
        SELECT l.label LIKE 'mule_%' AS mule, a.opening_balance::DOUBLE,
          hash(a.institution) % 97, TRY_CAST(right(a.account_id, 8) AS BIGINT),
          TRY_CAST(substr(a.account_id, 4, 6) AS BIGINT),
          TRY_CAST(split_part(a.holder_party_id, '-', 2) AS BIGINT),
          (p.phone IS NULL)::INT, (p.email IS NULL)::INT, (p.name = upper(p.name))::INT,
          length(p.name), (p.nationality = 'GB')::INT, length(p.address)
        FROM accounts a JOIN labels l ON l.subject = a.account_id
        JOIN parties p ON p.party_id = a.holder_party_id
        WHERE a.kind = 'personal' AND a.jurisdiction = 'GB'
          AND l.label IN ('legitimate', 'mule_tier1', 'mule_tier2plus')
        """,
    )
    y = np.asarray([r[0] for r in data], dtype=bool)
    x = np.asarray([r[1:] for r in data], dtype=np.float64)
    folds = np.arange(len(y)) % 4
    scores = np.zeros(len(y))
    for k in range(4):
        model = lgb.LGBMClassifier(
            n_estimators=60, num_leaves=15, verbose=-1, random_state=0, n_jobs=1
        )
        model.fit(x[folds != k], y[folds != k])
        scores[folds == k] = np.asarray(model.predict_proba(x[folds == k]))[:, 1]
    assert y.sum() > 100
    assert _auc(scores.tolist(), y.tolist()) < 0.65
