"""Build the whole world and turn integer-coded arrays into the canonical Arrow tables."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fraudnet.schema.enums import CHANNELS
from fraudnet.simulate import vocab
from fraudnet.simulate.arrowkit import (
    MICROS_PER_DAY,
    digits,
    join,
    money,
    take_strings,
    timestamps,
    unique_random,
)
from fraudnet.simulate.digital import DeviceBook, Logins, build_logins
from fraudnet.simulate.flows import MoneyFlows, VictimPayments
from fraudnet.simulate.identity import Parties, build_parties
from fraudnet.simulate.ledger import PURPOSE, PURPOSES, Ledger
from fraudnet.simulate.legit import LegitLife
from fraudnet.simulate.networks import (
    FRAUD_TYPES,
    NEW,
    ROLE_LABELS,
    TIER1,
    Criminals,
    plan_networks,
)
from fraudnet.simulate.params import SimulationParams
from fraudnet.simulate.population import Population, build_population

SOURCE = "simulator"


@dataclass
class World:
    """The canonical tables of a simulated world, plus ground-truth diagnostics for tests."""

    tables: dict[str, pa.Table]
    diagnostics: dict[str, pa.Table] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def generate_world(
    accounts: int, days: int, seed: int, params: SimulationParams | None = None
) -> World:
    """A whole synthetic world as Arrow tables; the same seed gives identical tables."""
    params = params or SimulationParams()
    streams = [np.random.default_rng([seed, k]) for k in range(10)]
    pop = build_population(streams[0], params, accounts, days)
    crim = plan_networks(streams[1], params, pop)
    ledger = Ledger()
    LegitLife(streams[2], params, pop, ledger, crim.acc_role > 0).generate()
    flows = MoneyFlows(streams[3], params, pop, crim, ledger)
    victims = flows.run()
    txn, keep_map = _valid_transactions(pop, ledger)
    book = DeviceBook(streams[4], params, pop, crim)
    logins = build_logins(streams[4], params, pop, crim, book, txn)
    phones, addresses = _herder_contacts(streams[5], params, pop, crim)
    parties = build_parties(streams[5], pop, phones, addresses)
    return _assemble(
        streams[6], params, pop, crim, parties, txn, keep_map, victims, flows, logins, book
    )


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
    return {k: v[keep] for k, v in t.items()}, new_index


def _herder_contacts(
    rng: np.random.Generator, params: SimulationParams, pop: Population, crim: Criminals
) -> tuple[dict[int, int], dict[int, tuple[int, int, str]]]:
    """Herder-controlled phone numbers and addresses recorded on some mule accounts."""
    burner = 7_000_000_000 + rng.integers(0, 999_999_999, size=crim.n_networks)
    letters = vocab.INWARD_LETTERS
    places = []
    for _ in range(crim.n_networks):
        town = int(rng.integers(0, len(vocab.TOWNS)))
        code = (
            f"{vocab.TOWNS[town][1]}{int(rng.integers(1, 30))} {int(rng.integers(1, 10))}"
            f"{letters[int(rng.integers(0, 20))]}{letters[int(rng.integers(0, 20))]}"
        )
        places.append((int(rng.integers(1, 200)), int(rng.integers(0, len(vocab.STREETS))), code))
    phones: dict[int, int] = {}
    addresses: dict[int, tuple[int, int, str]] = {}
    personal = pop.acc_person[crim.mule_account] >= 0
    share_phone = (
        crim.mule_complicit
        & personal
        & (rng.random(len(crim.mule_account)) < params.shared_phone_share)
    )
    share_addr = (
        (crim.mule_category == NEW)
        & personal
        & (rng.random(len(crim.mule_account)) < params.shared_address_share)
    )
    for row in np.flatnonzero(share_phone):
        phones[int(crim.mule_account[row])] = int(burner[crim.mule_network[row]])
    for row in np.flatnonzero(share_addr):
        addresses[int(crim.mule_account[row])] = places[int(crim.mule_network[row])]
    return phones, addresses


def _account_ids(rng: np.random.Generator, pop: Population) -> pa.Array:
    uk = join("GB-", digits(pop.acc_sortcode, 6), "-", digits(pop.acc_number, 8))
    foreign = np.flatnonzero(pop.acc_foreign >= 0)
    if not len(foreign):
        return uk
    ibans = [_iban(rng, vocab.FOREIGN[int(pop.acc_foreign[a])]) for a in foreign]
    index = np.arange(pop.n_accounts)
    index[foreign] = pop.n_accounts + np.arange(len(foreign))
    return pa.concat_arrays([uk, pa.array(ibans, pa.string())]).take(pa.array(index))


def _iban(rng: np.random.Generator, country: tuple[str, int, float]) -> str:
    code, length, _ = country
    bank = "".join(chr(65 + int(x)) for x in rng.integers(0, 26, 4))
    bban = bank + "".join(str(int(x)) for x in rng.integers(0, 10, length - 8))
    numeric = "".join(str(int(ch, 36)) for ch in bban + code + "00")
    check = 98 - int(numeric) % 97
    return f"{code}{check:02d}{bban}"


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
    account_ids = _account_ids(rng, pop)
    party_ids = parties.party_ids
    n_txn = len(txn["ts"])
    txn_codes = unique_random(rng, n_txn, 0, 10**14)
    order = np.lexsort((txn_codes, txn["ts"]))
    txn_ids = join("T", digits(txn_codes, 14))
    sorted_ids = txn_ids.take(pa.array(order))
    transactions = pa.table(
        {
            "txn_id": sorted_ids,
            "ts": timestamps(txn["ts"][order]),
            "amount": money(txn["pence"][order]),
            "currency": pa.array(np.full(n_txn, "GBP")),
            "src_account": take_strings(account_ids, txn["src"][order]),
            "dst_account": take_strings(account_ids, txn["dst"][order]),
            "channel": take_strings(list(CHANNELS), txn["channel"][order].astype(np.int64)),
            "reference": _references(txn["ref"][order]),
            "source": pa.array(np.full(n_txn, SOURCE)),
        }
    )
    balance = _opening_balances(pop, txn)
    accounts = _accounts_table(pop, parties, account_ids, party_ids, balance)
    parties_table = parties.table.add_column(0, "party_id", party_ids).append_column(
        "source", pa.array(np.full(len(party_ids), SOURCE))
    )
    parties_table = parties_table.take(pc.sort_indices(parties_table, [("party_id", "ascending")]))
    network_ids = join("NET-", digits(unique_random(rng, max(crim.n_networks, 1), 0, 10**6), 6))
    labels = _labels(pop, crim, parties, account_ids, party_ids, network_ids)
    reports, victim_diag = _reports(
        rng, params, pop, crim, parties, victims, keep_map, txn_ids, txn
    )
    events, identifiers = _digital_tables(rng, pop, parties, account_ids, party_ids, logins, book)
    truth = pa.table(
        {
            "party_id": party_ids,
            "person_id": parties.entity_ids,
            "source": pa.array(np.full(len(party_ids), "ground_truth")),
        }
    )
    truth = truth.take(pc.sort_indices(truth, [("party_id", "ascending")]))
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
        "hops": _hops_table(flows, keep_map, txn_ids),
        "victim_payments": victim_diag,
        "purposes": pa.table(
            {
                "txn_id": txn_ids,
                "purpose": take_strings(list(PURPOSES), txn["purpose"].astype(np.int64)),
            }
        ),
    }
    counts = {name: t.num_rows for name, t in tables.items()}
    counts["networks"] = crim.n_networks
    counts["mule_accounts"] = len(crim.mule_account)
    counts["victims"] = len(np.unique(crim.case_victim))
    return World(tables, diagnostics, counts)


def _references(codes: np.ndarray) -> pa.Array:
    refs = pa.array(list(vocab.REFERENCES), pa.string())
    empty = np.asarray([r == "" for r in vocab.REFERENCES])
    index = np.where(empty[codes], -1, codes.astype(np.int64))
    return take_strings(refs, index)


def _opening_balances(pop: Population, txn: dict[str, np.ndarray]) -> np.ndarray:
    """Opening balances large enough that no account ever goes overdrawn in the window."""
    acc = np.r_[txn["src"], txn["dst"]]
    delta = np.r_[-txn["pence"], txn["pence"]]
    ts = np.r_[txn["ts"], txn["ts"]]
    # credits before debits at the same instant
    keep = acc >= 0
    acc, delta, ts = acc[keep], delta[keep], ts[keep]
    order = np.lexsort((-delta, ts, acc))
    acc, delta = acc[order], delta[order]
    running = np.cumsum(delta)
    starts = np.r_[0, np.flatnonzero(acc[1:] != acc[:-1]) + 1]
    base = np.repeat(running[starts] - delta[starts], np.diff(np.r_[starts, len(acc)]))
    within = running - base
    lowest = np.zeros(pop.n_accounts, dtype=np.int64)
    mins = np.minimum.reduceat(within, starts) if len(starts) else np.zeros(0, np.int64)
    lowest[acc[starts]] = np.minimum(mins, 0)
    return np.maximum(pop.acc_balance, -lowest + (pop.acc_balance % 5000))


def _accounts_table(
    pop: Population,
    parties: Parties,
    account_ids: pa.Array,
    party_ids: pa.Array,
    balance: np.ndarray,
) -> pa.Table:
    uk_names = [b[0] for b in vocab.BANKS]
    foreign = pop.acc_foreign >= 0
    foreign_bic = pc.utf8_slice_codeunits(account_ids, 4, 8)
    institution = pc.if_else(
        pa.array(foreign),
        join(foreign_bic, pc.utf8_slice_codeunits(account_ids, 0, 2), "XX"),
        take_strings(uk_names, pop.acc_bank),
    )
    country_codes = [f[0] for f in vocab.FOREIGN]
    jurisdiction = take_strings(["GB", *country_codes], np.where(foreign, pop.acc_foreign + 1, 0))
    currencies = ["GBP", *[vocab.FOREIGN_CURRENCY[c] for c in country_codes]]
    currency = take_strings(currencies, np.where(foreign, pop.acc_foreign + 1, 0))
    closed = pa.array(pop.acc_closed_us, mask=pop.acc_closed_us < 0).cast(pa.timestamp("us"))
    table = pa.table(
        {
            "account_id": account_ids,
            "institution": institution,
            "jurisdiction": jurisdiction,
            "opened_at": timestamps(pop.acc_opened_us),
            "closed_at": closed,
            "holder_party_id": party_ids.take(pa.array(parties.acc_party)),
            "kind": pa.array(np.where(pop.acc_business, "business", "personal")),
            "currency": currency,
            "opening_balance": money(balance),
            "source": pa.array(np.full(pop.n_accounts, SOURCE)),
        }
    )
    return table.take(pc.sort_indices(table, [("account_id", "ascending")]))


def _labels(
    pop: Population,
    crim: Criminals,
    parties: Parties,
    account_ids: pa.Array,
    party_ids: pa.Array,
    network_ids: pa.Array,
) -> pa.Table:
    """One ground-truth label per account and per party record."""
    party_role = np.zeros(len(parties.person), dtype=np.int8)
    party_net = np.full(len(parties.person), -1, dtype=np.int64)
    is_person = parties.person >= 0
    party_role[is_person] = crim.person_role[parties.person[is_person]]
    party_net[is_person] = crim.person_network[parties.person[is_person]]
    org_acc = np.flatnonzero(pop.acc_person < 0)
    party_role[parties.acc_party[org_acc]] = crim.acc_role[org_acc]
    party_net[parties.acc_party[org_acc]] = crim.acc_network[org_acc]
    subject = pa.concat_arrays([account_ids, party_ids])
    role = np.r_[crim.acc_role, party_role].astype(np.int64)
    net = np.r_[crim.acc_network, party_net]
    n = len(subject)
    decided = pop.end_us
    table = pa.table(
        {
            "subject": subject,
            "label": take_strings(list(ROLE_LABELS), role),
            "network_id": take_strings(network_ids, net),
            "source": pa.array(np.full(n, "ground_truth")),
            "decided_by": pa.array(np.full(n, SOURCE)),
            "decided_at": timestamps(np.full(n, decided)),
        }
    )
    return table.take(pc.sort_indices(table, [("subject", "ascending")]))


def _reports(
    rng: np.random.Generator,
    params: SimulationParams,
    pop: Population,
    crim: Criminals,
    parties: Parties,
    victims: VictimPayments,
    keep_map: np.ndarray,
    txn_ids: pa.Array,
    txn: dict[str, np.ndarray],
) -> tuple[pa.Table, pa.Table]:
    """Reports of a share of scam cases, after a delay, plus a few false reports (noise)."""
    position = keep_map[victims.position]
    kept = position >= 0
    case = victims.case[kept]
    position = position[kept]
    n_cases = len(crim.case_mule)
    reported_case = rng.random(n_cases) < params.report_rate
    last = np.zeros(n_cases, dtype=np.int64)
    np.maximum.at(last, case, victims.ts[kept])
    slow = np.isin(crim.case_type, [1, 2])  # investment and romance victims realise late
    delay = rng.lognormal(np.log(params.report_delay_days), 1.0, n_cases) * np.where(slow, 3, 1)
    reported_at = last + (delay * MICROS_PER_DAY).astype(np.int64)
    rows = np.flatnonzero(reported_case[case])
    type_names = np.asarray((*FRAUD_TYPES, "unknown"))
    recorded = np.where(
        rng.random(n_cases) < params.report_type_noise, len(FRAUD_TYPES), crim.case_type
    )
    src_party = parties.acc_party[txn["src"][position[rows]]]
    # false reports: buyers disputing ordinary second-hand purchases
    sales = np.flatnonzero(txn["purpose"] == PURPOSE["sale"])
    share = params.false_report_share
    n_false = round(len(rows) * share / max(1 - share, 1e-9))
    false = rng.choice(sales, size=min(n_false, len(sales)), replace=False) if len(sales) else sales
    false_delay = (
        rng.lognormal(np.log(params.report_delay_days), 1.0, len(false)) * MICROS_PER_DAY
    ).astype(np.int64)
    all_pos = np.r_[position[rows], false]
    n = len(all_pos)
    report_ids = join("FR-", digits(unique_random(rng, n, 0, 10**10), 10))
    table = pa.table(
        {
            "report_id": report_ids,
            "txn_id": txn_ids.take(pa.array(all_pos)),
            "victim_party_id": parties.party_ids.take(
                pa.array(np.r_[src_party, parties.acc_party[txn["src"][false]]])
            ),
            "fraud_type": pa.array(
                np.r_[type_names[recorded[case[rows]]], np.full(len(false), "purchase")]
            ),
            "reported_at": timestamps(
                np.r_[reported_at[case[rows]], txn["ts"][false] + false_delay]
            ),
            "amount": money(txn["pence"][all_pos]),
            "source": pa.array(np.full(n, SOURCE)),
        }
    )
    table = table.take(
        pc.sort_indices(table, [("reported_at", "ascending"), ("report_id", "ascending")])
    )
    diag = pa.table(
        {
            "txn_id": txn_ids.take(pa.array(position)),
            "case": pa.array(case),
            "fraud_type": pa.array(type_names[crim.case_type[case]]),
            "reported": pa.array(reported_case[case]),
            "victim_age": pa.array(pop.age[crim.case_victim[case]].astype(np.int64)),
        }
    )
    return table, diag


def _hops_table(flows: MoneyFlows, keep_map: np.ndarray, txn_ids: pa.Array) -> pa.Table:
    if not flows.hops:
        return pa.table({"in_txn": pa.array([], pa.string())})
    in_pos = keep_map[np.concatenate([h.in_position for h in flows.hops])]
    out_pos = keep_map[np.concatenate([h.out_position for h in flows.hops])]
    delay = np.concatenate([h.delay_us for h in flows.hops])
    tier = np.concatenate([h.tier for h in flows.hops])
    ok = (in_pos >= 0) & (out_pos >= 0)
    return pa.table(
        {
            "in_txn": txn_ids.take(pa.array(in_pos[ok])),
            "out_txn": txn_ids.take(pa.array(out_pos[ok])),
            "delay_s": pa.array(delay[ok] / 1e6),
            "tier": pa.array(np.where(tier[ok] == TIER1, "tier1", "tier2")),
        }
    )


def _digital_tables(
    rng: np.random.Generator,
    pop: Population,
    parties: Parties,
    account_ids: pa.Array,
    party_ids: pa.Array,
    logins: Logins,
    book: DeviceBook,
) -> tuple[pa.Table, pa.Table]:
    devices = book.device_strings()
    ips = book.ip_strings()
    n = len(logins.ts)
    order = np.argsort(logins.ts, kind="stable")
    attrs = pa.array([json.dumps({"channel": "app"}), json.dumps({"channel": "web"})])
    events = pa.table(
        {
            "event_id": join("EV", digits(unique_random(rng, n, 0, 10**14), 14)).take(
                pa.array(order)
            ),
            "ts": timestamps(logins.ts[order]),
            "kind": pa.array(np.full(n, "login")),
            "subject": account_ids.take(pa.array(logins.account[order])),
            "subject_kind": pa.array(np.full(n, "account")),
            "device": devices.take(pa.array(logins.device[order])),
            "ip": ips.take(pa.array(logins.ip[order])),
            "attributes": attrs.take(pa.array(np.where(logins.app[order], 0, 1))),
            "source": pa.array(np.full(n, SOURCE)),
        }
    )
    seen = pa.table(
        {"account": logins.account, "device": logins.device, "ip": logins.ip, "ts": logins.ts}
    )
    parts = []
    for kind, column, strings in (("device", "device", devices), ("ip", "ip", ips)):
        g = seen.group_by(["account", column]).aggregate([("ts", "min"), ("ts", "max")])
        parts.append(
            pa.table(
                {
                    "owner": account_ids.take(g.column("account")),
                    "owner_kind": pa.array(np.full(g.num_rows, "account")),
                    "kind": pa.array(np.full(g.num_rows, kind)),
                    "value": strings.take(g.column(column)),
                    "first_seen": timestamps(g.column("ts_min").to_numpy()),
                    "last_seen": timestamps(g.column("ts_max").to_numpy()),
                }
            )
        )
    first_open = np.full(len(party_ids), pop.end_us, dtype=np.int64)
    np.minimum.at(first_open, parties.acc_party, pop.acc_opened_us)
    for kind, values in (
        ("phone", parties.phone_e164),
        ("email", parties.email_norm),
        ("address", parties.address_norm),
    ):
        present = pc.is_valid(values)
        t = pa.table(
            {
                "owner": party_ids,
                "owner_kind": pa.array(np.full(len(party_ids), "party")),
                "kind": pa.array(np.full(len(party_ids), kind)),
                "value": pc.utf8_lower(values) if kind == "email" else values,
                "first_seen": timestamps(first_open),
                "last_seen": timestamps(np.full(len(party_ids), pop.end_us)),
            }
        ).filter(present)
        parts.append(t)
    identifiers = pa.concat_tables(parts)
    identifiers = identifiers.append_column(
        "source", pa.array(np.full(identifiers.num_rows, SOURCE))
    )
    identifiers = identifiers.take(
        pc.sort_indices(
            identifiers, [("owner", "ascending"), ("kind", "ascending"), ("value", "ascending")]
        )
    )
    return events, identifiers
