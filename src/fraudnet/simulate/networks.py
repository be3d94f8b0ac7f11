"""Criminal networks: herders recruit mules and collectors; scam victims are chosen.

This module decides *who* plays which role and when; `flows` moves the money.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fraudnet.simulate import vocab
from fraudnet.simulate.arrowkit import MICROS_PER_DAY
from fraudnet.simulate.params import SimulationParams
from fraudnet.simulate.population import (
    AGENT,
    BILLER,
    EXCHANGE,
    LENDER,
    LUXURY,
    PAYER,
    SHELL,
    Population,
)

LEGIT, VICTIM, TIER1, TIER2, COLLECTOR, HERDER = range(6)
ROLE_LABELS = ("legitimate", "victim", "mule_tier1", "mule_tier2plus", "collector", "herder")
FRAUD_TYPES = tuple(
    t for t in (
        "purchase", "investment", "romance", "advance_fee", "invoice_mandate", "ceo",
        "impersonation_police_bank", "impersonation_other",
    )
)  # fmt: skip
NEW, DORMANT, ACTIVE = range(3)


@dataclass
class Criminals:
    """Roles and timing: arrays over accounts and persons, plus per-mule and per-case plans."""

    acc_role: np.ndarray
    acc_network: np.ndarray
    person_role: np.ndarray
    person_network: np.ndarray
    # mules (tier 1 and 2), one row each
    mule_account: np.ndarray
    mule_tier: np.ndarray
    mule_network: np.ndarray
    mule_start_us: np.ndarray
    mule_end_us: np.ndarray
    mule_category: np.ndarray  # NEW, DORMANT, ACTIVE
    mule_complicit: np.ndarray
    mule_keeps_cut: np.ndarray
    # networks
    n_networks: int
    collectors: list[np.ndarray]
    herders: list[np.ndarray]  # herder person indices
    herder_accounts: list[np.ndarray]
    foreign: list[np.ndarray]
    # victims' cases
    case_victim: np.ndarray  # person
    case_type: np.ndarray  # index into FRAUD_TYPES
    case_mule: np.ndarray  # row in the mule arrays (tier 1)

    def network_mules(self, network: int, tier: int) -> np.ndarray:
        return np.flatnonzero((self.mule_network == network) & (self.mule_tier == tier))


def plan_networks(rng: np.random.Generator, params: SimulationParams, pop: Population) -> Criminals:
    _protect_fixed_accounts(pop)
    sizes = _network_sizes(rng, params, pop.n_accounts)
    n_net = len(sizes)
    used = np.zeros(pop.n_persons, dtype=bool)
    herders, herder_accounts = _herders(rng, params, pop, n_net, used)
    tiers = np.concatenate([np.r_[np.full(t1, TIER1), np.full(t2, TIER2)] for t1, t2, _ in sizes])
    networks = np.concatenate([np.full(t1 + t2, i) for i, (t1, t2, _) in enumerate(sizes)])
    accounts, category = _mule_accounts(rng, params, pop, len(tiers), used)
    start, end = _windows(rng, params, pop, networks, tiers, n_net)
    collectors = _collectors(rng, pop, sizes, used)
    foreign = _criminal_foreign(rng, pop, n_net)
    crim = Criminals(
        acc_role=np.zeros(pop.n_accounts, dtype=np.int8),
        acc_network=np.full(pop.n_accounts, -1, dtype=np.int64),
        person_role=np.zeros(pop.n_persons, dtype=np.int8),
        person_network=np.full(pop.n_persons, -1, dtype=np.int64),
        mule_account=accounts,
        mule_tier=tiers,
        mule_network=networks,
        mule_start_us=start,
        mule_end_us=end,
        mule_category=category,
        mule_complicit=rng.random(len(tiers)) < params.mule_complicit_share,
        mule_keeps_cut=rng.random(len(tiers)) < 1 - params.herder_fee_share,
        n_networks=n_net,
        collectors=collectors,
        herders=herders,
        herder_accounts=herder_accounts,
        foreign=foreign,
        case_victim=np.zeros(0, np.int64),
        case_type=np.zeros(0, np.int64),
        case_mule=np.zeros(0, np.int64),
    )
    _mark_roles(pop, crim)
    _prepare_accounts(rng, pop, crim)
    _victims(rng, params, pop, crim)
    return crim


def _protect_fixed_accounts(pop: Population) -> None:
    """Organisations everyone pays (and foreign banks) exist before and through the window."""
    fixed = np.isin(pop.acc_org, [BILLER, LENDER, AGENT, EXCHANGE, PAYER, LUXURY])
    fixed |= pop.acc_foreign >= 0
    fixed |= pop.acc_business
    pop.acc_closed_us[fixed] = -1
    early = pop.start_us - 400 * MICROS_PER_DAY
    pop.acc_opened_us[fixed] = np.minimum(pop.acc_opened_us[fixed], early)


def _network_sizes(
    rng: np.random.Generator, params: SimulationParams, n_accounts: int
) -> list[tuple[int, int, int]]:
    target = max(round(n_accounts * params.mule_account_share), 6)
    sizes: list[tuple[int, int, int]] = []
    total = 0
    lo, hi = params.tier1_per_network
    clo, chi = params.collectors_per_network
    while total < target:
        t1 = int(rng.integers(lo, hi + 1))
        t2 = int(rng.binomial(t1, min(params.tier2_ratio, 1.0)))
        c = int(rng.integers(clo, chi + 1))
        sizes.append((t1, t2, c))
        total += t1 + t2 + c
    return sizes


def _age_band(age: np.ndarray) -> np.ndarray:
    return np.where(age < 21, 0, np.where(age < 30, 1, 2))


def _herders(
    rng: np.random.Generator,
    params: SimulationParams,
    pop: Population,
    n_net: int,
    used: np.ndarray,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    pool = np.flatnonzero((pop.age >= 19) & (pop.age <= 45) & (pop.main_account >= 0))
    weight = np.where(pop.female[pool], 0.25, 1.0)
    n_each = 1 + (rng.random(n_net) < params.second_herder_share)
    chosen = rng.choice(pool, size=int(n_each.sum()), replace=False, p=weight / weight.sum())
    used[chosen] = True
    herders = np.split(chosen, np.cumsum(n_each)[:-1])
    personal = np.flatnonzero((pop.acc_person >= 0) & ~pop.acc_dormant)
    by_person = pop.acc_person[personal]
    accounts = [personal[np.isin(by_person, h)] for h in herders]
    return herders, accounts


def _mule_accounts(
    rng: np.random.Generator,
    params: SimulationParams,
    pop: Population,
    n: int,
    used: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Mule accounts by age band (Home Office shares) and by new / dormant / active account."""
    under21, under30 = params.mule_age_shares
    band_share = np.asarray([under21, under30 - under21, 1.0 - under30])
    band = rng.permutation(np.repeat(np.arange(3), _apportion(band_share, n)))
    cat_share = np.asarray(
        [
            params.mule_new_account_share,
            params.mule_dormant_account_share,
            1.0 - params.mule_new_account_share - params.mule_dormant_account_share,
        ]
    )
    category = rng.choice(3, size=n, p=cat_share)
    onboarding = np.asarray([b[4] for b in vocab.BANKS]) ** params.digital_bank_mule_uplift
    accounts = np.full(n, -1, dtype=np.int64)
    person_band = _age_band(pop.age)
    personal = np.flatnonzero(pop.acc_person >= 0)
    for b in range(3):
        for cat in (DORMANT, NEW, ACTIVE):
            slots = np.flatnonzero((band == b) & (category == cat) & (accounts < 0))
            if cat == ACTIVE:
                slots = np.flatnonzero((band == b) & (accounts < 0))
                category[slots] = ACTIVE
            if not len(slots):
                continue
            if cat == DORMANT:
                cand = personal[pop.acc_dormant[personal]]
            elif cat == NEW:
                cand = personal[~pop.acc_dormant[personal]]
            else:
                cand = pop.main_account[pop.main_account >= 0]
            holder = pop.acc_person[cand]
            cand = cand[(person_band[holder] == b) & ~used[holder]]
            if not len(cand):
                continue
            # one account per person: shuffle, keep each holder's first candidate
            cand = cand[rng.permutation(len(cand))]
            _, first = np.unique(pop.acc_person[cand], return_index=True)
            cand = cand[np.sort(first)]
            weight = onboarding[pop.acc_bank[cand]] if cat == NEW else np.ones(len(cand))
            if b == 2:  # over-30 mules are mostly in their thirties and forties
                weight = weight * np.exp(-(pop.age[pop.acc_person[cand]] - 30) / 15.0)
            take = min(len(slots), len(cand))
            picked = rng.choice(cand, size=take, replace=False, p=weight / weight.sum())
            accounts[slots[:take]] = picked
            used[pop.acc_person[picked]] = True
    if (accounts < 0).any():
        raise ValueError("population too small for the requested number of mules")
    return accounts, category


def _apportion(shares: np.ndarray, n: int) -> np.ndarray:
    raw = shares / shares.sum() * n
    counts = np.floor(raw).astype(np.int64)
    counts[np.argsort(raw - counts)[::-1][: n - counts.sum()]] += 1
    return counts


def _windows(
    rng: np.random.Generator,
    params: SimulationParams,
    pop: Population,
    networks: np.ndarray,
    tiers: np.ndarray,
    n_net: int,
) -> tuple[np.ndarray, np.ndarray]:
    """When each mule account is in use; tier-2 mules span their network's tier-1 activity."""
    lo, hi = params.mule_active_days
    days = pop.days
    length = rng.uniform(lo, hi, size=len(networks))
    net_start = rng.uniform(-0.5 * hi, max(days - 3.0, 0.0), size=n_net)
    first = net_start[networks] + rng.uniform(-7.0, 7.0, size=len(networks))
    last = first + length
    # clip to the window, keeping at least three days (or the whole window if shorter)
    first = np.clip(first, 0.0, max(days - 3.0, 0.0))
    last = np.clip(last, first + min(3.0, days), days)
    start = pop.start_us + (first * MICROS_PER_DAY).astype(np.int64)
    end = pop.start_us + (last * MICROS_PER_DAY).astype(np.int64)
    return start, end


def _collectors(
    rng: np.random.Generator,
    pop: Population,
    sizes: list[tuple[int, int, int]],
    used: np.ndarray,
) -> list[np.ndarray]:
    shells = rng.permutation(pop.accounts_of(SHELL))
    people = np.flatnonzero((pop.age >= 21) & (pop.age <= 55) & (pop.main_account >= 0) & ~used)
    people = rng.permutation(people)
    out, s, p = [], 0, 0
    for _, _, c in sizes:
        chosen = []
        for _ in range(c):
            if rng.random() < 0.5 and s < len(shells):
                chosen.append(int(shells[s]))
                s += 1
            else:
                chosen.append(int(pop.main_account[people[p]]))
                used[people[p]] = True
                p += 1
        out.append(np.asarray(chosen, dtype=np.int64))
    return out


def _criminal_foreign(rng: np.random.Generator, pop: Population, n_net: int) -> list[np.ndarray]:
    foreign = np.flatnonzero(pop.acc_foreign >= 0)
    pool = foreign[max(4, len(foreign) // 2) :]
    if not len(pool):
        pool = foreign[3:]
    pool = rng.permutation(pool)
    counts = rng.integers(1, 4, size=n_net)
    picks = np.arange(int(counts.sum())) % len(pool)
    return np.split(pool[picks], np.cumsum(counts)[:-1])


def _mark_roles(pop: Population, crim: Criminals) -> None:
    role, net = crim.acc_role, crim.acc_network
    role[crim.mule_account] = np.where(crim.mule_tier == TIER1, TIER1, TIER2)
    net[crim.mule_account] = crim.mule_network
    for i in range(crim.n_networks):
        role[crim.collectors[i]] = COLLECTOR
        net[crim.collectors[i]] = i
        role[crim.foreign[i]] = COLLECTOR
        net[crim.foreign[i]] = i
        role[crim.herder_accounts[i]] = HERDER
        net[crim.herder_accounts[i]] = i
        crim.person_role[crim.herders[i]] = HERDER
        crim.person_network[crim.herders[i]] = i
    holder = pop.acc_person
    crim_acc = np.flatnonzero((role > 0) & (holder >= 0))
    for r in (TIER2, TIER1, COLLECTOR):  # a person's most central role wins
        acc = crim_acc[role[crim_acc] == r]
        crim.person_role[holder[acc]] = r
        crim.person_network[holder[acc]] = net[acc]
    herders = np.concatenate(crim.herders)
    crim.person_role[herders] = HERDER


def _prepare_accounts(rng: np.random.Generator, pop: Population, crim: Criminals) -> None:
    """New mule accounts open shortly before first use; criminal accounts stay open."""
    crim_acc = np.flatnonzero(crim.acc_role > 0)
    pop.acc_closed_us[crim_acc] = -1
    new = crim.mule_category == NEW
    lead = rng.integers(2, 45, size=int(new.sum())) * MICROS_PER_DAY
    lead += rng.integers(0, MICROS_PER_DAY, size=len(lead))
    pop.acc_opened_us[crim.mule_account[new]] = crim.mule_start_us[new] - lead
    old = ~new
    acc = crim.mule_account[old]
    pop.acc_opened_us[acc] = np.minimum(
        pop.acc_opened_us[acc], crim.mule_start_us[old] - 200 * MICROS_PER_DAY
    )
    pop.acc_dormant[crim.mule_account[new]] = False
    early = pop.start_us - 100 * MICROS_PER_DAY
    for accounts in (*crim.collectors, *crim.herder_accounts):
        pop.acc_opened_us[accounts] = np.minimum(pop.acc_opened_us[accounts], early)
        pop.acc_dormant[accounts] = False


def _victims(
    rng: np.random.Generator, params: SimulationParams, pop: Population, crim: Criminals
) -> None:
    tier1 = np.flatnonzero(crim.mule_tier == TIER1)
    months = (crim.mule_end_us[tier1] - crim.mule_start_us[tier1]) / (30 * MICROS_PER_DAY)
    # every tier-1 mule is used at least once: a recruited account receives stolen money
    n_cases = np.maximum(rng.poisson(params.victims_per_tier1_per_month * months), 1)
    case_mule = np.repeat(tier1, n_cases)
    shares = np.asarray([params.fraud_type_case_share[t] for t in FRAUD_TYPES])
    case_type = rng.choice(len(FRAUD_TYPES), size=len(case_mule), p=shares / shares.sum())
    pool = np.flatnonzero((pop.main_account >= 0) & (crim.person_role == LEGIT))
    victim = np.zeros(len(case_mule), dtype=np.int64)
    for t, name in enumerate(FRAUD_TYPES):
        rows = np.flatnonzero(case_type == t)
        mean_age = params.fraud_type_victim_age[name]
        weight = np.exp(-0.5 * ((pop.age[pool] - mean_age) / 15.0) ** 2)
        victim[rows] = rng.choice(pool, size=len(rows), p=weight / weight.sum())
    crim.case_victim, crim.case_type, crim.case_mule = victim, case_type, case_mule
    crim.person_role[victim] = VICTIM
    victim_acc = pop.main_account[victim]
    crim.acc_role[victim_acc] = VICTIM
    pop.acc_closed_us[victim_acc] = -1
