"""Arrow tables of a simulated world: ids, accounts, labels, reports, events, identifiers."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fraudnet.simulate import vocab
from fraudnet.simulate.arrowkit import (
    MICROS_PER_DAY,
    choose,
    constant,
    digits,
    join,
    money,
    take_strings,
    timestamps,
    unique_random,
)
from fraudnet.simulate.digital import DeviceBook, Logins
from fraudnet.simulate.flows import MoneyFlows, VictimPayments
from fraudnet.simulate.identity import Parties
from fraudnet.simulate.ledger import PURPOSE
from fraudnet.simulate.networks import (
    FRAUD_TYPES,
    ROLE_LABELS,
    TIER1,
    Criminals,
)
from fraudnet.simulate.params import SimulationParams
from fraudnet.simulate.population import Population, foreign_exchanges

SOURCE = "simulator"


def account_ids_array(rng: np.random.Generator, pop: Population) -> pa.Array:
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


def references(codes: np.ndarray) -> pa.Array:
    refs = pa.array(list(vocab.REFERENCES), pa.string())
    empty = np.asarray([r == "" for r in vocab.REFERENCES])
    index = np.where(empty[codes], -1, codes.astype(np.int64))
    return take_strings(refs, index)


def opening_balances(pop: Population, txn: dict[str, np.ndarray], order: np.ndarray) -> np.ndarray:
    """Opening balances large enough that no account ever goes overdrawn in the window.

    `order` sorts the payments by time; interleaving each payment's debit and credit and then
    sorting stably by account gives every account's postings in time order.
    """
    n = len(order)
    acc = np.empty(2 * n, dtype=np.int64)
    acc[0::2] = txn["src"][order]
    acc[1::2] = txn["dst"][order]
    delta = np.empty(2 * n, dtype=np.int64)
    delta[0::2] = -txn["pence"][order]
    delta[1::2] = txn["pence"][order]
    keep = acc >= 0
    acc, delta = acc[keep], delta[keep]
    by_account = np.argsort(acc, kind="stable")
    acc, delta = acc[by_account], delta[by_account]
    running = np.cumsum(delta)
    starts = np.r_[0, np.flatnonzero(acc[1:] != acc[:-1]) + 1]
    base = np.repeat(running[starts] - delta[starts], np.diff(np.r_[starts, len(acc)]))
    lowest = np.zeros(pop.n_accounts, dtype=np.int64)
    if len(acc):
        lowest[acc[starts]] = np.minimum(np.minimum.reduceat(running - base, starts), 0)
    return np.maximum(pop.acc_balance, -lowest + (pop.acc_balance % 5000))


def accounts_table(
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
    business = pop.acc_business.copy()
    business[foreign_exchanges(pop)] = True
    closed = pa.array(pop.acc_closed_us, mask=pop.acc_closed_us < 0).cast(pa.timestamp("us"))
    table = pa.table(
        {
            "account_id": account_ids,
            "institution": institution,
            "jurisdiction": jurisdiction,
            "opened_at": timestamps(pop.acc_opened_us),
            "closed_at": closed,
            "holder_party_id": party_ids.take(pa.array(parties.acc_party)),
            "kind": choose(business, "business", "personal"),
            "currency": currency,
            "opening_balance": money(balance),
            "source": constant(SOURCE, pop.n_accounts),
        }
    )
    return table


def labels_table(
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
    decided = pop.start_us  # the generator fixes every role before the first payment
    table = pa.table(
        {
            "subject": subject,
            "label": take_strings(list(ROLE_LABELS), role),
            "network_id": take_strings(network_ids, net),
            "source": constant("ground_truth", n),
            "decided_by": constant(SOURCE, n),
            "decided_at": timestamps(np.full(n, decided)),
        }
    )
    return table


def reports_table(
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
            "source": constant(SOURCE, n),
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


def hops_table(flows: MoneyFlows, keep_map: np.ndarray, txn_ids: pa.Array) -> pa.Table:
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
            "tier": choose(tier[ok] == TIER1, "tier1", "tier2"),
        }
    )


def digital_tables(
    rng: np.random.Generator,
    pop: Population,
    parties: Parties,
    account_ids: pa.Array,
    party_ids: pa.Array,
    logins: Logins,
    book: DeviceBook,
    rank: np.ndarray,
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
            "kind": constant("login", n),
            "subject": account_ids.take(pa.array(logins.account[order])),
            "subject_kind": constant("account", n),
            "device": devices.take(pa.array(logins.device[order])),
            "ip": ips.take(pa.array(logins.ip[order])),
            "attributes": attrs.take(pa.array(np.where(logins.app[order], 0, 1))),
            "source": constant(SOURCE, n),
        }
    )
    identifiers = _identifiers(pop, parties, account_ids, party_ids, logins, rank, devices, ips)
    return events, identifiers


_IDENTIFIER_KINDS = ("address", "device", "email", "ip", "phone")  # alphabetical


def _identifiers(
    pop: Population,
    parties: Parties,
    account_ids: pa.Array,
    party_ids: pa.Array,
    logins: Logins,
    rank: np.ndarray,
    devices: pa.Array,
    ips: pa.Array,
) -> pa.Table:
    """Account devices and IPs seen in logins, and each party's phone, email and address.

    Built from integer codes and sorted by (owner, kind, value) with one numpy sort.
    """
    n_acc = pop.n_accounts
    seen = pa.table({"account": logins.account, "device": logins.device, "ip": logins.ip})
    seen = seen.append_column("ts", pa.array(logins.ts))
    owner, kind, value, value_key, first, last = [], [], [], [], [], []
    offset = 0
    pools: list[pa.Array] = []
    for code, column, strings in ((1, "device", devices), (3, "ip", ips)):
        g = seen.group_by(["account", column]).aggregate([("ts", "min"), ("ts", "max")])
        idx = g.column(column).to_numpy()
        owner.append(g.column("account").to_numpy())
        kind.append(np.full(g.num_rows, code, dtype=np.int64))
        value.append(offset + idx)
        value_key.append(_string_rank(strings)[idx])
        first.append(g.column("ts_min").to_numpy())
        last.append(g.column("ts_max").to_numpy())
        pools.append(strings)
        offset += len(strings)
    first_open = np.full(len(party_ids), pop.end_us, dtype=np.int64)
    np.minimum.at(first_open, parties.acc_party, pop.acc_opened_us)
    for code, values in (
        (4, parties.phone_e164),
        (2, pc.utf8_lower(parties.email_norm)),
        (0, parties.address_norm),
    ):
        present = np.flatnonzero(pc.is_valid(values).to_numpy(zero_copy_only=False))
        owner.append(n_acc + present)
        kind.append(np.full(len(present), code, dtype=np.int64))
        value.append(offset + present)
        value_key.append(np.zeros(len(present), dtype=np.int64))
        first.append(first_open[present])
        last.append(np.full(len(present), pop.end_us, dtype=np.int64))
        pools.append(values)
        offset += len(values)
    owners, kinds, keys = np.concatenate(owner), np.concatenate(kind), np.concatenate(value_key)
    order = _sort_by_keys(rank[owners], kinds, keys)
    owners = owners[order]
    subjects = pa.concat_arrays([account_ids, party_ids])
    return pa.table(
        {
            "owner": subjects.take(pa.array(owners)),
            "owner_kind": choose(owners < n_acc, "account", "party"),
            "kind": take_strings(list(_IDENTIFIER_KINDS), kinds[order]),
            "value": pa.concat_arrays(pools).take(pa.array(np.concatenate(value)[order])),
            "first_seen": timestamps(np.concatenate(first)[order]),
            "last_seen": timestamps(np.concatenate(last)[order]),
            "source": constant(SOURCE, len(order)),
        }
    )


def _string_rank(strings: pa.Array) -> np.ndarray:
    order = pc.sort_indices(strings).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def _sort_by_keys(first: np.ndarray, second: np.ndarray, third: np.ndarray) -> np.ndarray:
    """Order by three non-negative integer keys: packed into one int64 when they fit."""
    if not len(first):
        return np.zeros(0, dtype=np.int64)
    bits = [max(int(k.max()).bit_length(), 1) for k in (second, third)]
    if int(first.max()).bit_length() + sum(bits) > 62:
        return np.lexsort((third, second, first))
    packed = (first << (bits[0] + bits[1])) | (second << bits[1]) | third
    return np.argsort(packed, kind="stable")
