"""One small world split over its banks, with one bank's pipeline run, shared by the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest

from fraudnet.detect import detect
from fraudnet.networks import ExpansionSettings, build_networks
from fraudnet.share.keys import OrgKeys, import_partner, init_keys, public_bundle
from fraudnet.share.split import OrgStore, write_split
from fraudnet.simulate import world_tables
from fraudnet.store import open_store
from fraudnet.trace import prepare, trace_ledger
from fraudnet.trace.result import store_results

SENDER = "northern-counties-bank"
RECIPIENT = "westgate-bank"
OUTSIDER = "albion-bank"


@dataclass(frozen=True)
class SplitWorld:
    """The world as generated, the stores it was split into, and the sender's networks."""

    world: dict[str, pa.Table]
    stores: dict[str, OrgStore]
    network_ids: list[str]

    def store(self, org: str) -> Path:
        return self.stores[org].path


@pytest.fixture(scope="session")
def split_world(tmp_path_factory: pytest.TempPathFactory) -> SplitWorld:
    world = world_tables(accounts=2000, days=30, seed=1)
    folder = tmp_path_factory.mktemp("orgs")
    stores = {s.org: s for s in write_split(world, folder)}
    with open_store(stores[SENDER].path) as eng:
        detect(eng)
        build_networks(eng, ExpansionSettings())
        ledger = prepare(eng)
        results = [trace_ledger(eng, ledger, "pro_rata", store=False)]
        store_results(eng, results, [r.report_id for r in ledger.reports])
        ids = eng.table("networks", order_by=["rank"])["network_id"].to_pylist()
    return SplitWorld(world, stores, ids)


def make_keys(folder: Path, *orgs: str) -> dict[str, OrgKeys]:
    """Keys for each org, every pair importing each other's public keys."""
    keys = {org: init_keys(org, folder / org) for org in orgs}
    for org, own in keys.items():
        for other, theirs in keys.items():
            if other != org:
                bundle = folder / f"{other}.pub.json"
                bundle.write_text(public_bundle(theirs))
                import_partner(own, bundle)
    return keys
