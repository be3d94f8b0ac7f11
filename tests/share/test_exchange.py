"""One round of exchange between several stores: PSI decides where each network goes."""

from __future__ import annotations

import shutil
from pathlib import Path

from fraudnet.detect.asof import latest_timestamp
from fraudnet.share.exchange import Organisation, exchange
from fraudnet.share.split import POLICE_ORG, TRUTH_STORE
from fraudnet.store import open_store
from tests.share.conftest import SENDER, SplitWorld, make_keys


def _held(store: Path) -> set[str]:
    """Accounts a bank holds and devices and IPs its customers logged in from."""
    with open_store(store) as eng:
        rows = eng.sql(
            "SELECT account_id AS v FROM accounts UNION SELECT value FROM identifiers "
            "WHERE kind IN ('device', 'ip') UNION SELECT device FROM events "
            "UNION SELECT ip FROM events"
        )["v"].to_pylist()
    return {str(v).lower() for v in rows if v}


def test_networks_go_exactly_where_they_touch_a_partner(
    split_world: SplitWorld, tmp_path: Path
) -> None:
    banks = [o for o in split_world.stores if o not in (POLICE_ORG, TRUTH_STORE)]
    stores = {}
    for org in banks:
        stores[org] = tmp_path / f"{org}.duckdb"
        shutil.copy(split_world.store(org), stores[org])
        with open_store(stores[org]) as eng:  # other tests receive into the shared world
            eng.commit(replaces={"shared_intel": eng.table("shared_intel").slice(0, 0)})
    keys = make_keys(tmp_path / "keys", *banks)
    with open_store(stores[SENDER]) as eng:
        now = latest_timestamp(eng)
        members = eng.sql(
            "SELECT network_id, subject FROM network_roles WHERE role <> 'victim' "
            "AND subject_kind IN ('account', 'device', 'ip')"
        ).to_pylist()
    assert now is not None and members
    orgs = [Organisation(org, stores[org], keys[org]) for org in banks]

    report = exchange(orgs, tmp_path / "outbox", now)

    expected = set()
    for org in banks:
        if org != SENDER:
            held = _held(stores[org])
            expected |= {(org, m["network_id"]) for m in members if m["subject"].lower() in held}
    sent = {(p.partner, p.network_id) for p in report.packages}
    assert expected and sent == expected
    assert {p.sender for p in report.packages} == {SENDER}  # only the sender has networks
    assert all(s.sender == SENDER and s.hits <= s.asked for s in report.psi)
    receivers = {p.partner for p in report.packages}
    for org in banks:
        with open_store(stores[org]) as eng:
            intel = eng.sql("SELECT subject_account, claim FROM shared_intel").to_pylist()
            known = set(
                eng.sql(
                    "SELECT account_id FROM accounts UNION SELECT account_id "
                    "FROM counterparty_accounts"
                )["account_id"].to_pylist()
            )
            logged = eng.count("psi_query_log")
        claims = sum(p.claims for p in report.packages if p.partner == org)
        assert len(intel) == claims and bool(intel) == (org in receivers)
        resolved = {r["subject_account"] for r in intel if r["subject_account"]}
        assert resolved <= known  # tokens turn into accounts this bank itself knows
        assert (org in receivers) <= bool(resolved)
        assert logged > 0  # every bank answered (and logged) the sender's queries
    again = exchange(orgs, tmp_path / "outbox", now)  # a second round adds nothing
    assert {(p.partner, p.network_id) for p in again.packages} == expected
    assert again.totals()["packages"] == 0 and all(p.duplicate for p in again.packages)
    for org in banks:
        with open_store(stores[org]) as eng:
            assert eng.count("shared_intel") == sum(
                p.claims for p in report.packages if p.partner == org
            )
    totals = report.totals()
    assert totals["packages"] == len(expected) and totals["package_bytes"] > 0
    assert totals["psi_bytes"] > 0 and totals["psi_hits"] >= len(receivers)
