"""People, households, organisations, banks and accounts, as integer-coded numpy arrays.

Nothing here is a string yet: `identity` turns people into party records and `world` turns
indices into ids at the very end, so ids never reflect the order of generation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fraudnet.simulate import vocab
from fraudnet.simulate.arrowkit import MICROS_PER_DAY
from fraudnet.simulate.params import SimulationParams

# Business segments (index into Population.org_kind).
EMPLOYER, MERCHANT, TRADER, BILLER, LENDER, AGENT, SHELL, EXCHANGE, PAYER, LUXURY = range(10)
ORG_KIND_NAMES = (
    "employer", "merchant", "sole_trader", "biller", "lender", "letting_agent", "small_company",
    "crypto_exchange", "public_payer", "electronics_retailer",
)  # fmt: skip
# Fixed numbers of some organisation kinds (scaled down in tiny worlds).
_FIXED_ORGS = {BILLER: 24, LENDER: 8, AGENT: 10, EXCHANGE: 3, PAYER: 2, LUXURY: 6}
MIN_ACCOUNTS = 300
_ORG_SHARES = {EMPLOYER: 0.34, MERCHANT: 0.26, TRADER: 0.32, SHELL: 0.08}


@dataclass
class Population:
    """Everyone in the world. Person arrays have length n_persons; account arrays n_accounts."""

    start_us: int
    days: int
    # persons
    age: np.ndarray
    female: np.ndarray
    given: np.ndarray  # index into the gender's name list
    family: np.ndarray
    town: np.ndarray
    street: np.ndarray
    house_no: np.ndarray
    postcode: np.ndarray  # (n, 4) district, digit, letter, letter
    household: np.ndarray
    phone: np.ndarray  # national number without the leading 0
    email_no: np.ndarray
    email_domain: np.ndarray
    student: np.ndarray
    employed: np.ndarray
    retired: np.ndarray
    parent: np.ndarray  # person index of the supporting parent, -1 if none
    pay_pence: np.ndarray
    employer: np.ndarray  # account index of the employer, -1
    main_account: np.ndarray  # account index used for everyday life, -1 if inactive
    # accounts
    acc_bank: np.ndarray
    acc_sortcode: np.ndarray
    acc_number: np.ndarray
    acc_person: np.ndarray  # holder person, -1 for organisations and foreign holders
    acc_org: np.ndarray  # organisation kind, -1 for personal accounts
    acc_business: np.ndarray
    acc_foreign: np.ndarray  # index into vocab.FOREIGN, -1 for UK accounts
    acc_opened_us: np.ndarray
    acc_closed_us: np.ndarray  # -1 while open
    acc_dormant: np.ndarray
    acc_balance: np.ndarray  # opening balance, pence
    acc_slot: np.ndarray  # 0 first personal account, 1 second, ...; -1 business/foreign

    @property
    def n_persons(self) -> int:
        return len(self.age)

    @property
    def n_accounts(self) -> int:
        return len(self.acc_bank)

    @property
    def end_us(self) -> int:
        return self.start_us + self.days * MICROS_PER_DAY

    def accounts_of(self, kind: int) -> np.ndarray:
        return np.flatnonzero(self.acc_org == kind)


def build_population(
    rng: np.random.Generator, params: SimulationParams, n_accounts: int, days: int
) -> Population:
    from fraudnet.simulate.arrowkit import to_micros

    if n_accounts < MIN_ACCOUNTS:
        raise ValueError(f"a world needs at least {MIN_ACCOUNTS} accounts (got {n_accounts})")
    if days < 1:
        raise ValueError("a world needs at least one day")
    n_business = max(round(n_accounts * params.business_account_share), 40)
    n_foreign = max(round(n_accounts * params.foreign_account_share), 12)
    n_personal = n_accounts - n_business - n_foreign
    if n_personal < 100:
        raise ValueError("a world needs at least a few hundred accounts")
    counts = _accounts_per_person(rng, params, n_personal)
    n_persons = len(counts)
    pop = _persons(rng, params, n_persons)
    start_us = to_micros(params.start)
    acc = _accounts(rng, params, counts, n_business, n_foreign, start_us, days)
    population = Population(start_us=start_us, days=days, **pop, **acc)
    _assign_life(rng, params, population)
    return population


def _accounts_per_person(
    rng: np.random.Generator, params: SimulationParams, n_personal: int
) -> np.ndarray:
    probs = np.asarray(params.accounts_per_person)
    mean = float((np.arange(1, len(probs) + 1) * probs).sum())
    size = int(n_personal / mean * 1.1) + 50  # enough draws to cover n_personal
    draw = rng.choice(len(probs), size=size, p=probs / probs.sum()) + 1
    total = np.cumsum(draw)
    n = int(np.searchsorted(total, n_personal)) + 1
    counts = draw[:n].copy()
    counts[-1] -= int(total[n - 1] - n_personal)
    return counts[counts > 0]


def _persons(rng: np.random.Generator, params: SimulationParams, n: int) -> dict[str, np.ndarray]:
    bands = np.asarray(params.adult_age_bands, dtype=np.float64)
    band = rng.choice(len(bands), size=n, p=bands[:, 2] / bands[:, 2].sum())
    age = rng.integers(bands[band, 0], bands[band, 1] + 1).astype(np.int16)
    female = rng.random(n) < 0.51
    n_names = len(vocab.FEMALE_NAMES)
    # Zipf-like popularity so common names repeat (hard negatives for entity resolution).
    name_w = 1.0 / np.arange(1, n_names + 1) ** 0.7
    given = rng.choice(n_names, size=n, p=name_w / name_w.sum())
    fam_w = 1.0 / np.arange(1, len(vocab.FAMILY_NAMES) + 1) ** 0.9
    family = rng.choice(len(vocab.FAMILY_NAMES), size=n, p=fam_w / fam_w.sum())
    household = _households(rng, params, n)
    head = _household_heads(household)
    # Household members share the address; most share the family name.
    tw = np.asarray(vocab.TOWN_WEIGHTS)
    town = rng.choice(len(vocab.TOWNS), size=n, p=tw / tw.sum())[head]
    street = rng.integers(0, len(vocab.STREETS), size=n)[head]
    house_no = (rng.geometric(0.04, size=n) % 250 + 1)[head].astype(np.int32)
    postcode = np.stack(
        [
            rng.integers(1, 30, size=n),
            rng.integers(1, 10, size=n),
            rng.integers(0, len(vocab.INWARD_LETTERS), size=n),
            rng.integers(0, len(vocab.INWARD_LETTERS), size=n),
        ],
        axis=1,
    )[head]
    same_family = (rng.random(n) < 0.75) | (head == np.arange(n))
    family = np.where(same_family, family[head], family)
    student = (age <= 22) & (rng.random(n) < params.student_share_18_22)
    retired = age >= 67
    working = (age >= 23) & ~retired
    employed = (working & (rng.random(n) < params.employed_share)) | (
        (age <= 22) & ~student & (rng.random(n) < 0.6)
    )
    pay = _net_pay(rng, params, age)
    dw = np.asarray(vocab.EMAIL_DOMAIN_WEIGHTS, dtype=np.float64)
    return {
        "age": age,
        "female": female,
        "given": given,
        "family": family,
        "town": town,
        "street": street,
        "house_no": house_no,
        "postcode": postcode,
        "household": household,
        "phone": 7_000_000_000 + unique_phone_offsets(rng, n),
        "email_no": rng.integers(1, 2000, size=n) * (rng.random(n) < 0.6),
        "email_domain": rng.choice(len(dw), size=n, p=dw / dw.sum()),
        "student": student,
        "employed": employed,
        "retired": retired,
        "parent": _parents(rng, age, student, family),
        "pay_pence": pay,
        "employer": np.full(n, -1, dtype=np.int64),
        "main_account": np.full(n, -1, dtype=np.int64),
    }


def unique_phone_offsets(rng: np.random.Generator, n: int) -> np.ndarray:
    from fraudnet.simulate.arrowkit import unique_random

    return unique_random(rng, n, 0, 999_999_999)


def _households(rng: np.random.Generator, params: SimulationParams, n: int) -> np.ndarray:
    probs = np.asarray(params.household_size_probs)
    sizes = rng.choice(len(probs), size=n, p=probs / probs.sum()) + 1
    ids = np.repeat(np.arange(len(sizes)), sizes)[:n]
    return ids[rng.permutation(n)]  # members scattered over person indices


def _household_heads(household: np.ndarray) -> np.ndarray:
    """For each person, the lowest-indexed member of their household."""
    order = np.argsort(household, kind="stable")
    sorted_h = household[order]
    first = np.r_[True, sorted_h[1:] != sorted_h[:-1]]
    head_of_group = order[first]
    group_no = np.cumsum(first) - 1
    heads = np.empty_like(household)
    heads[order] = head_of_group[group_no]
    return heads


def _parents(
    rng: np.random.Generator, age: np.ndarray, student: np.ndarray, family: np.ndarray
) -> np.ndarray:
    parent = np.full(len(age), -1, dtype=np.int64)
    candidates = np.flatnonzero((age >= 42) & (age <= 66))
    kids = np.flatnonzero(student)
    if len(candidates) and len(kids):
        parent[kids] = rng.choice(candidates, size=len(kids))
        family[kids] = family[parent[kids]]
    return parent


def _net_pay(rng: np.random.Generator, params: SimulationParams, age: np.ndarray) -> np.ndarray:
    age_factor = np.clip(0.55 + (age - 18) * 0.03, 0.55, 1.15)
    pounds = params.median_net_pay * age_factor * rng.lognormal(0.0, 0.42, size=len(age))
    return (pounds * 100).astype(np.int64) + rng.integers(0, 100, size=len(age))


def _accounts(
    rng: np.random.Generator,
    params: SimulationParams,
    counts: np.ndarray,
    n_business: int,
    n_foreign: int,
    start_us: int,
    days: int,
) -> dict[str, np.ndarray]:
    n_personal = int(counts.sum())
    n = n_personal + n_business + n_foreign
    person = np.r_[np.repeat(np.arange(len(counts)), counts), np.full(n - n_personal, -1)]
    first_of_person = np.r_[0, np.cumsum(counts)[:-1]]
    slot = np.full(n, -1, dtype=np.int64)
    slot[:n_personal] = np.arange(n_personal) - np.repeat(first_of_person, counts)
    share = np.asarray([b[3] for b in vocab.BANKS])
    bank = rng.choice(len(vocab.BANKS), size=n, p=share / share.sum())
    # Extra accounts: same bank as the first (savings) or another bank (own-account moves).
    primary_bank = bank[np.repeat(first_of_person, counts)]
    same = rng.random(n_personal) < params.second_account_same_bank
    extra = slot[:n_personal] > 0
    other = (primary_bank + rng.integers(1, len(vocab.BANKS), size=n_personal)) % len(vocab.BANKS)
    bank[:n_personal] = np.where(extra, np.where(same, primary_bank, other), bank[:n_personal])
    org = np.full(n, -1, dtype=np.int64)
    org[n_personal : n_personal + n_business] = _org_kinds(rng, n_business)
    foreign = np.full(n, -1, dtype=np.int64)
    fshare = np.asarray([f[2] for f in vocab.FOREIGN])
    foreign[n_personal + n_business :] = rng.choice(
        len(fshare), size=n_foreign, p=fshare / fshare.sum()
    )
    opened, dormant, closed = _account_lifecycle(rng, params, n, start_us, days)
    dormant[n_personal:] = False
    sortcode = _sortcodes(rng, bank)
    number = np.zeros(n, dtype=np.int64)
    for b in range(len(vocab.BANKS)):
        idx = np.flatnonzero(bank == b)
        from fraudnet.simulate.arrowkit import unique_random

        number[idx] = unique_random(rng, len(idx), 10_000_000, 100_000_000)
    balance = (rng.lognormal(np.log(900.0), 1.3, size=n) * 100).astype(np.int64)
    return {
        "acc_bank": bank,
        "acc_sortcode": sortcode,
        "acc_number": number,
        "acc_person": person,
        "acc_org": org,
        "acc_business": org >= 0,
        "acc_foreign": foreign,
        "acc_opened_us": opened,
        "acc_closed_us": closed,
        "acc_dormant": dormant,
        "acc_balance": balance,
        "acc_slot": slot,
    }


def _org_kinds(rng: np.random.Generator, n_business: int) -> np.ndarray:
    scale = min(1.0, n_business / 400)
    fixed = [k for k, c in _FIXED_ORGS.items() for _ in range(max(1, round(c * scale)))]
    rest = n_business - len(fixed)
    kinds = list(_ORG_SHARES)
    shares = np.asarray([_ORG_SHARES[k] for k in kinds])
    drawn = np.asarray(kinds)[rng.choice(len(kinds), size=rest, p=shares / shares.sum())]
    return rng.permutation(np.r_[np.asarray(fixed, dtype=np.int64), drawn])


def _account_lifecycle(
    rng: np.random.Generator, params: SimulationParams, n: int, start_us: int, days: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Account ages spread over years; a share opened in the last year or during the window.
    years = np.minimum(rng.exponential(7.0, size=n), 40.0) + 1.0
    opened = start_us - (years * 365.25 * MICROS_PER_DAY).astype(np.int64)
    recent = rng.random(n) < params.recent_account_share
    window = days * MICROS_PER_DAY
    recent_offset = rng.integers(-365 * MICROS_PER_DAY, int(window * 0.9), size=n)
    opened = np.where(recent, start_us + recent_offset, opened)
    opened = opened - opened % 1_000_000 + rng.integers(0, 1_000_000, size=n)
    dormant = rng.random(n) < params.dormant_account_share
    closing = (rng.random(n) < params.closed_account_share) & ~recent
    closed = np.where(closing, start_us + rng.integers(0, window, size=n), -1)
    return opened, dormant, closed


def _sortcodes(rng: np.random.Generator, bank: np.ndarray) -> np.ndarray:
    """Six-digit sort codes: each bank has a leading pair and some branches (apps have one)."""
    sortcode = np.zeros(len(bank), dtype=np.int64)
    for b, (_, _, lead, _, onboarding) in enumerate(vocab.BANKS):
        idx = np.flatnonzero(bank == b)
        branches = 1 if onboarding > 1.5 else 40
        branch_codes = rng.integers(0, 10_000, size=branches)
        sortcode[idx] = lead * 10_000 + branch_codes[rng.integers(0, branches, size=len(idx))]
    return sortcode


def _assign_life(rng: np.random.Generator, params: SimulationParams, pop: Population) -> None:
    """Main accounts, employers; dormant accounts are skipped for everyday life."""
    personal = np.flatnonzero(pop.acc_person >= 0)
    usable = personal[~pop.acc_dormant[personal]]
    # the lowest-slot non-dormant account of each person is the main account
    order = np.lexsort((pop.acc_slot[usable], pop.acc_person[usable]))
    usable = usable[order]
    holders = pop.acc_person[usable]
    first = np.r_[True, holders[1:] != holders[:-1]]
    pop.main_account[holders[first]] = usable[first]
    employers = pop.accounts_of(EMPLOYER)
    sizes = rng.pareto(1.2, size=len(employers)) + 1.0
    workers = np.flatnonzero(pop.employed)
    pop.employer[workers] = employers[
        rng.choice(len(employers), size=len(workers), p=sizes / sizes.sum())
    ]


def foreign_exchanges(pop: Population) -> np.ndarray:
    """The first three foreign accounts are crypto-asset exchanges abroad."""
    return np.flatnonzero(pop.acc_foreign >= 0)[:3]


def town_members(pop: Population) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Persons sorted by town, with each town's start offset and size (for local sampling)."""
    order = np.argsort(pop.town, kind="stable")
    sizes = np.bincount(pop.town, minlength=len(vocab.TOWNS))
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    return order, starts, sizes


def local_people(
    rng: np.random.Generator, pop: Population, towns: np.ndarray, index: tuple[np.ndarray, ...]
) -> np.ndarray:
    """A random person living in each given town."""
    order, starts, sizes = index
    pick = starts[towns] + (rng.random(len(towns)) * np.maximum(sizes[towns], 1)).astype(np.int64)
    return order[np.minimum(pick, len(order) - 1)]
