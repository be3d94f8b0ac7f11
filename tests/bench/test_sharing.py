"""The sharing experiment (bench/sharing.py) on a tiny world, and its ring scoring by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sharing import Truth, ring_measures, run_world

from fraudnet.share.intel import flagged_accounts
from fraudnet.store import open_store


def test_both_arms_on_a_tiny_world(tmp_path: Path) -> None:
    row = run_world(1, 1200, 20, tmp_path, banks_kept=3, alert_share=0.2)
    siloed, shared = row["arms"]["siloed"], row["arms"]["shared"]
    assert row["banks"] == 3 and len(siloed["banks"]) == len(shared["banks"]) == 3
    assert all(b["shared_intel_rows"] == 0 for b in siloed["banks"])  # scored before exchange
    exchanged = row["costs"]["exchange"]
    assert exchanged["packages"] > 0 and exchanged["psi_bytes"] > 0
    assert shared["total"]["shared_intel_rows"] == exchanged["package_claims"]
    receivers = {p["partner"] for p in row["exchange_steps"]["packages"]}
    for bank in shared["banks"]:
        with open_store(tmp_path / "orgs" / f"{bank['bank']}.duckdb") as eng:
            own = set(eng.sql("SELECT account_id FROM accounts")["account_id"].to_pylist())
            known = own | set(
                eng.sql("SELECT account_id FROM counterparty_accounts")["account_id"].to_pylist()
            )
            resolved = {
                r["subject_account"]
                for r in eng.sql("SELECT subject_account FROM shared_intel").to_pylist()
                if r["subject_account"]
            }
            flagged = set(flagged_accounts(eng))
        assert (bank["shared_intel_rows"] > 0) == (bank["bank"] in receivers)
        assert resolved <= known
        if bank["bank"] in receivers:
            assert resolved & own  # a package came because the bank holds part of a network
        assert bank["seeds"] == len(flagged) and bank["flagged_own"] == len(flagged & own)
        assert bank["members_true"] <= bank["placed"] and bank["alerts"] == bank["budget"]
    for arm in (siloed, shared):
        total = arm["total"]
        assert total["members_true"] == sum(b["members_true"] for b in arm["banks"])
        assert (
            total["ring_parts_whole"]
            <= total["ring_parts_half"]
            <= total["ring_parts_found"]
            <= total["ring_parts"]
        )


def _view(mules: set[str], placed: dict[str, str]) -> dict[str, Any]:
    return {"_mules": mules, "_placed": placed}


def test_ring_measures_count_parts_by_hand() -> None:
    truth = Truth({"a1": "R", "a2": "R", "b1": "R", "b2": "R", "c1": "S", "c2": "T"})
    views = [
        _view({"a1", "a2"}, {"a1": "n1", "a2": "n1"}),  # R's part at bank A: whole
        _view({"b1", "b2", "c1"}, {"b1": "n9", "x": "n9"}),  # R's part at B: half; S: none
        _view({"c2"}, {"c2": "m"}),  # T, one bank, whole
    ]
    got = ring_measures(views, truth)
    assert got["rings"] == 3 and got["rings_touched"] == 2
    assert got["ring_parts"] == 4 and got["ring_parts_found"] == 3
    assert got["ring_parts_half"] == 3 and got["ring_parts_whole"] == 2
    assert got["rings_found_whole"] == 1  # T only: R's part at B is half found
    assert got["rings_spanning_banks"] == 1 and got["spanning_seen_by_two_banks"] == 1
    assert got["spanning_found_at_every_bank"] == 1 and got["spanning_found_whole"] == 0
