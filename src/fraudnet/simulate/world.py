"""Build the whole world and turn integer-coded arrays into the canonical Arrow tables."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fraudnet.schema.enums import CHANNELS
from fraudnet.simulate.arrowkit import (
    constant,
    digits,
    join,
    money,
    take_strings,
    timestamps,
    unique_random,
)
from fraudnet.simulate.contacts import herder_contacts
from fraudnet.simulate.digital import DeviceBook, Logins, build_logins
from fraudnet.simulate.flows import MoneyFlows, VictimPayments
from fraudnet.simulate.identity import Parties, build_parties
from fraudnet.simulate.ledger import PURPOSES, Ledger
from fraudnet.simulate.legit import LegitLife
from fraudnet.simulate.networks import (
    Criminals,
    plan_networks,
)
from fraudnet.simulate.params import SimulationParams
from fraudnet.simulate.population import Population, build_population
from fraudnet.simulate.tables import (
    SOURCE,
    account_ids_array,
    accounts_table,
    digital_tables,
    hops_table,
    labels_table,
    opening_balances,
    references,
    reports_table,
)


@dataclass
class World:
    """The canonical tables of a simulated world, plus ground-truth diagnostics for tests."""

    tables: dict[str, pa.Table]
    diagnostics: dict[str, pa.Table] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


class _Stopwatch:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def generate_world(
    accounts: int, days: int, seed: int, params: SimulationParams | None = None
) -> World:
    """A whole synthetic world as Arrow tables; the same seed gives identical tables."""
    params = params or SimulationParams()
    watch = _Stopwatch()
    streams = [np.random.default_rng([seed, k]) for k in range(10)]
    pop = build_population(streams[0], params, accounts, days)
    crim = plan_networks(streams[1], params, pop)
    watch.lap("population_and_networks")
    ledger = Ledger()
    LegitLife(streams[2], params, pop, ledger, crim.acc_role > 0).generate()
    watch.lap("legitimate_payments")
    flows = MoneyFlows(streams[3], params, pop, crim, ledger)
    victims = flows.run()
    txn, keep_map = _valid_transactions(pop, ledger)
    ledger.clear()
    watch.lap("criminal_flows")
    book = DeviceBook(streams[4], params, pop, crim)
    logins = build_logins(streams[4], params, pop, crim, book, txn)
    watch.lap("logins")
    phones, addresses = herder_contacts(streams[5], params, pop, crim)
    parties = build_parties(streams[5], pop, phones, addresses)
    watch.lap("parties")
    world = _assemble(
        streams[6], params, pop, crim, parties, txn, keep_map, victims, flows, logins, book
    )
    watch.lap("arrow_tables")
    world.timings = watch.laps
    return world


def _valid_transactions(
    pop: Population, ledger: Ledger
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Drop payments outside the window or touching an account not yet open or closed."""
    t = ledger.arrays()
    ts = t["ts"]
    keep = (ts >= pop.start_us) & (ts < pop.end_us)
    for side in ("src", "dst"):
        acc = t[side]
        a = np.maximum(acc, 0)
        ok = ts > pop.acc_opened_us[a]
        closed = pop.acc_closed_us[a]
        ok &= (closed < 0) | (ts < closed)
        keep &= (acc < 0) | ok
    keep &= t["src"] != t["dst"]
    new_index = np.cumsum(keep) - 1
    new_index[~keep] = -1
    for name in list(t):  # filter one column at a time to keep the peak low
        t[name] = t[name][keep]
    return t, new_index


def _assemble(
    rng: np.random.Generator,
    params: SimulationParams,
    pop: Population,
    crim: Criminals,
    parties: Parties,
    txn: dict[str, np.ndarray],
    keep_map: np.ndarray,
    victims: VictimPayments,
    flows: MoneyFlows,
    logins: Logins,
    book: DeviceBook,
) -> World:
    account_ids = account_ids_array(rng, pop)
    party_ids = parties.party_ids
    # one sort of every subject id (accounts then parties) orders accounts, parties, labels
    # and identifiers without sorting strings again
    subject_order = pc.sort_indices(pa.concat_arrays([account_ids, party_ids])).to_numpy()
    rank = np.empty(len(subject_order), dtype=np.int64)
    rank[subject_order] = np.arange(len(subject_order))
    n_acc = pop.n_accounts
    party_order = pa.array(np.argsort(rank[n_acc:]))
    n_txn = len(txn["ts"])
    txn_codes = unique_random(rng, n_txn, 0, 10**14)
    order = np.argsort(txn["ts"], kind="stable")  # times are random to the microsecond
    txn_ids = join("T", digits(txn_codes, 14))
    sorted_ids = txn_ids.take(pa.array(order))
    transactions = pa.table(
        {
            "txn_id": sorted_ids,
            "ts": timestamps(txn["ts"][order]),
            "amount": money(txn["pence"][order]),
            "currency": constant("GBP", n_txn),
            "src_account": take_strings(account_ids, txn["src"][order]),
            "dst_account": take_strings(account_ids, txn["dst"][order]),
            "channel": take_strings(list(CHANNELS), txn["channel"][order].astype(np.int64)),
            "reference": references(txn["ref"][order]),
            "source": constant(SOURCE, n_txn),
        }
    )
    balance = opening_balances(pop, txn, order)
    accounts = accounts_table(pop, parties, account_ids, party_ids, balance)
    accounts = accounts.take(pa.array(np.argsort(rank[:n_acc])))
    parties_table = parties.table.add_column(0, "party_id", party_ids).append_column(
        "source", constant(SOURCE, len(party_ids))
    )
    parties_table = parties_table.take(party_order)
    network_ids = join("NET-", digits(unique_random(rng, max(crim.n_networks, 1), 0, 10**6), 6))
    labels = labels_table(pop, crim, parties, account_ids, party_ids, network_ids)
    labels = labels.take(pa.array(subject_order))
    reports, victim_diag = reports_table(
        rng, params, pop, crim, parties, victims, keep_map, txn_ids, txn
    )
    events, identifiers = digital_tables(
        rng, pop, parties, account_ids, party_ids, logins, book, rank
    )
    truth = pa.table(
        {
            "party_id": party_ids,
            "person_id": parties.entity_ids,
            "source": constant("ground_truth", len(party_ids)),
        }
    )
    truth = truth.take(party_order)
    tables = {
        "transactions": transactions,
        "accounts": accounts,
        "parties": parties_table,
        "identifiers": identifiers,
        "events": events,
        "fraud_reports": reports,
        "labels": labels,
        "party_truth": truth,
    }
    diagnostics = {
        "hops": hops_table(flows, keep_map, txn_ids),
        "victim_payments": victim_diag,
        "purposes": pa.table(
            {
                "txn_id": txn_ids,
                "purpose": pa.DictionaryArray.from_arrays(
                    pa.array(txn["purpose"], pa.int8()), pa.array(list(PURPOSES))
                ),
            }
        ),
    }
    counts = {name: t.num_rows for name, t in tables.items()}
    counts["networks"] = crim.n_networks
    counts["mule_accounts"] = len(crim.mule_account)
    counts["victims"] = len(np.unique(crim.case_victim))
    return World(tables, diagnostics, counts)
