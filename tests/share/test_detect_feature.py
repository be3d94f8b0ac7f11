"""Detection reads other organisations' intelligence as features, respecting the cut-off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from fraudnet.detect.asof import Cutoff, drop_views, latest_timestamp, prepare_views
from fraudnet.detect.features import tabular_features
from fraudnet.engine import Engine
from fraudnet.share.intel import flagged_accounts
from fraudnet.share.package import PackageRequest, build_package
from fraudnet.share.receive import receive_package
from fraudnet.store import open_store
from tests.share.conftest import SENDER, SplitWorld, make_keys

RECEIVER = "thames-building-society"


def _features(engine: Engine, as_of: dt.datetime) -> pd.DataFrame:
    cutoff = Cutoff(as_of)
    prepare_views(engine, cutoff)
    try:
        return tabular_features(engine, cutoff)
    finally:
        drop_views(engine)


def test_flagged_accounts_and_counterparties_become_features(
    split_world: SplitWorld, tmp_path: Path
) -> None:
    keys = make_keys(tmp_path, SENDER, RECEIVER)
    package = tmp_path / "p.json"
    with open_store(split_world.store(RECEIVER)) as eng:
        latest = latest_timestamp(eng)
    assert latest is not None
    received = latest - dt.timedelta(days=10)  # replayed: as if sent during the window
    request = PackageRequest(split_world.network_ids[-1], RECEIVER)  # the larger ring
    with open_store(split_world.store(SENDER)) as eng:
        package.write_bytes(build_package(eng, keys[SENDER], request, now=received))
    with open_store(split_world.store(RECEIVER)) as eng:
        receipt = receive_package(eng, package, keys[RECEIVER], now=received)
        flagged = set(
            eng.sql(
                "SELECT subject_account FROM shared_intel WHERE subject_account IS NOT NULL "
                "AND claim NOT IN ('network_summary', 'victim', 'network_identifier')"
            )["subject_account"].to_pylist()
        )
        after = _features(eng, latest)
        before = _features(eng, received - dt.timedelta(seconds=1))
        seeds_after = flagged_accounts(eng, latest)
        seeds_before = flagged_accounts(eng, received - dt.timedelta(seconds=1))
    assert seeds_after == sorted(flagged) and seeds_before == []
    assert receipt.matched > 0 and flagged
    assert set(after.index[after["shared_flagged_by"] == 1]) == flagged & set(after.index)
    assert after["shared_flagged_cp_n"].sum() > 0
    assert before["shared_flagged_by"].sum() == 0 and before["shared_flagged_cp_n"].sum() == 0
