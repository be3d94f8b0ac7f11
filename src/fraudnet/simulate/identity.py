"""Party records: how each bank writes down the people and organisations holding accounts.

A person with accounts at two banks appears as two party records whose name, address and
phone are formatted differently (and sometimes mistyped or out of date), as in real data.
`party_truth` keeps which records are the same person, so entity resolution can be scored.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    take_strings,
    unique_random,
)
from fraudnet.simulate.population import ORG_KIND_NAMES, Population, foreign_exchanges

_ORG_WORDS = (
    "Northgate", "Riverside", "Oakwood", "Summit", "Meridian", "Pinnacle", "Harbour",
    "Crescent", "Beacon", "Granite", "Willow", "Ashford", "Kingsway", "Redbrook", "Foxglove",
    "Silverline", "Bluebell", "Heron", "Lark", "Anchor",
)  # fmt: skip
_ORG_SUFFIX = {
    "employer": ("Ltd", "Group Ltd", "Services Ltd", "Holdings plc", "LLP"),
    "merchant": ("Stores", "Foods", "Cafe", "Pharmacy", "Fuel", "Fashion", "Online"),
    "sole_trader": ("Plumbing", "Hair", "Electrical", "Cleaning", "Tutoring", "Bakes", "Builds"),
    "biller": ("Energy", "Water", "Mobile", "Broadband", "Insurance", "Council"),
    "lender": ("Mortgages", "Building Society Mortgages", "Home Loans"),
    "letting_agent": ("Lettings", "Property Management", "Estates"),
    "small_company": ("Trading Ltd", "Consulting Ltd", "Logistics Ltd", "Imports Ltd"),
    "crypto_exchange": ("Crypto Exchange Ltd", "Digital Assets Ltd"),
    "public_payer": ("Pensions Service", "Student Finance"),
    "electronics_retailer": ("Electronics", "Gift Cards", "Tech Direct"),
}
# Each bank's house style:
# (upper-case names, postcode without space, phone style, abbreviated street)
_BANK_STYLE = (
    (False, False, 0, False), (True, False, 1, False), (False, True, 2, True),
    (False, False, 1, True), (True, True, 0, False), (False, False, 2, False),
    (False, True, 0, True), (False, False, 2, False), (False, False, 2, True),
    (True, False, 1, False),
)  # fmt: skip


@dataclass
class Parties:
    """Party records (index = party) plus the account -> party mapping."""

    acc_party: np.ndarray
    person: np.ndarray  # person behind each party record, -1 for organisations/foreign
    bank: np.ndarray
    table: pa.Table  # parties table without party_id
    party_ids: pa.Array
    entity_ids: pa.Array  # the real-world person or organisation behind each record
    phone_e164: pa.Array
    email_norm: pa.Array
    address_norm: pa.Array


def build_parties(
    rng: np.random.Generator,
    pop: Population,
    phone_overrides: dict[int, int],
    address_overrides: dict[int, tuple[int, int, str]],
) -> Parties:
    """phone/address_overrides: account -> a phone or address that is not the holder's own."""
    personal = np.flatnonzero(pop.acc_person >= 0)
    key = pop.acc_person[personal] * 100 + pop.acc_bank[personal]
    uniq, inverse = np.unique(key, return_inverse=True)
    n_person_parties = len(uniq)
    others = np.flatnonzero(pop.acc_person < 0)
    acc_party = np.zeros(pop.n_accounts, dtype=np.int64)
    acc_party[personal] = inverse
    acc_party[others] = n_person_parties + np.arange(len(others))
    person = np.r_[uniq // 100, np.full(len(others), -1)]
    bank = np.r_[uniq % 100, pop.acc_bank[others]]
    # first record of a person keeps the canonical details; later ones vary more
    first = np.r_[True, person[1:n_person_parties] != person[: n_person_parties - 1]]
    persons = _person_records(rng, pop, person[:n_person_parties], bank[:n_person_parties], first)
    _apply_herder_overrides(persons, acc_party, bank, phone_overrides, address_overrides)
    orgs = _org_records(rng, pop, others)
    table = pa.concat_tables([persons["table"], orgs["table"]])
    party_ids = _party_ids(rng, pop, bank, others, n_person_parties)
    entity = np.r_[person[:n_person_parties], pop.n_persons + np.arange(len(others))]
    entity_codes = unique_random(rng, pop.n_persons + len(others), 0, 10**10)
    entity_ids = join(
        choose(entity < pop.n_persons, "PER-", "ORG-"),
        digits(entity_codes[entity], 10),
    )
    return Parties(
        acc_party=acc_party,
        person=person,
        bank=bank,
        table=table,
        party_ids=party_ids,
        entity_ids=entity_ids,
        phone_e164=pa.concat_arrays([persons["phone_e164"], pa.nulls(len(others), pa.string())]),
        email_norm=pa.concat_arrays([persons["email_norm"], pa.nulls(len(others), pa.string())]),
        address_norm=pa.concat_arrays([persons["address_norm"], orgs["address_norm"]]),
    )


def _party_ids(
    rng: np.random.Generator,
    pop: Population,
    bank: np.ndarray,
    others: np.ndarray,
    n_person_parties: int,
) -> pa.Array:
    codes = pa.array([b[1] for b in vocab.BANKS] + [f[0] + "XB" for f in vocab.FOREIGN])
    prefix_idx = bank.copy()
    foreign = pop.acc_foreign[others]
    prefix_idx[n_person_parties:] = np.where(
        foreign >= 0, len(vocab.BANKS) + foreign, bank[n_person_parties:]
    )
    numbers = unique_random(rng, len(bank), 0, 10**10)
    return join(take_strings(codes, prefix_idx), "-", digits(numbers, 10))


def _typo(word: str) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = len(word) // 2 - 1
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _vocab_arrays() -> dict[str, pa.Array]:
    given = [n for n, _ in vocab.FEMALE_NAMES] + [n for n, _ in vocab.MALE_NAMES]
    short = [s for _, s in vocab.FEMALE_NAMES] + [s for _, s in vocab.MALE_NAMES]
    return {
        "given": pa.array(given),
        "short": pa.array(short),
        "initial": pa.array([g[0] + "." for g in given]),
        "given_typo": pa.array([_typo(g) for g in given]),
        "family": pa.array(list(vocab.FAMILY_NAMES)),
        "family_typo": pa.array([_typo(f) for f in vocab.FAMILY_NAMES]),
        "street": pa.array([s for s, _ in vocab.STREETS]),
        "street_short": pa.array([s for _, s in vocab.STREETS]),
        "town": pa.array([t for t, _ in vocab.TOWNS]),
        "area": pa.array([a for _, a in vocab.TOWNS]),
        "letters": pa.array(list(vocab.INWARD_LETTERS)),
        "domain": pa.array(list(vocab.EMAIL_DOMAINS)),
    }


def _person_records(
    rng: np.random.Generator,
    pop: Population,
    person: np.ndarray,
    bank: np.ndarray,
    first: np.ndarray,
) -> dict[str, pa.Array | pa.Table]:
    v = _vocab_arrays()
    n = len(person)
    style = np.asarray(_BANK_STYLE)[bank]
    upper, nospace, phone_style, abbrev = (style[:, i].astype(np.int64) for i in range(4))
    gidx = pop.given[person] + np.where(pop.female[person], 0, len(vocab.FEMALE_NAMES))
    fidx = pop.family[person]
    # how this record departs from the person's canonical details
    variant = rng.choice(6, size=n, p=[0.55, 0.14, 0.07, 0.09, 0.07, 0.08])
    variant[first & (variant == 5)] = 0
    variant = np.where(first & (rng.random(n) < 0.6), 0, variant)
    given = _pick_variant(v, gidx, variant, {1: "short", 2: "initial", 4: "given_typo"}, "given")
    family = _pick_variant(v, fidx, variant, {3: "family_typo"}, "family")
    name = join(given, family, sep=" ")
    name = pc.if_else(pa.array(upper.astype(bool)), pc.utf8_upper(name), name)
    moved = variant == 5  # an old address the bank never updated
    street_idx = np.where(moved, rng.integers(0, len(vocab.STREETS), n), pop.street[person])
    house = np.where(moved, rng.integers(1, 200, n), pop.house_no[person])
    street = pc.if_else(
        pa.array(abbrev.astype(bool)),
        v["street_short"].take(pa.array(street_idx)),
        v["street"].take(pa.array(street_idx)),
    )
    address = join(pc.cast(pa.array(house), pa.string()), street, sep=" ")
    pcode = pop.postcode[person].copy()
    pcode[moved] = rng.integers(1, 10, size=(int(moved.sum()), 4)) % np.asarray(
        [29, 9, 20, 20]
    ) + np.asarray([1, 1, 0, 0])
    outward = join(
        v["area"].take(pa.array(pop.town[person])), pc.cast(pa.array(pcode[:, 0]), pa.string())
    )
    inward = join(
        pc.cast(pa.array(pcode[:, 1]), pa.string()),
        v["letters"].take(pa.array(pcode[:, 2])),
        v["letters"].take(pa.array(pcode[:, 3])),
    )
    canonical_pc = join(outward, inward, sep=" ")
    compact_pc = join(outward, inward)
    postcode = pc.if_else(pa.array(nospace.astype(bool)), compact_pc, canonical_pc)
    phone_no = pop.phone[person].copy()
    old_phone = rng.random(n) < 0.04
    phone_no[old_phone] = 7_000_000_000 + rng.integers(0, 999_999_999, int(old_phone.sum()))
    phone, phone_e164 = _phones(phone_no, phone_style, rng.random(n) < 0.08)
    email_norm = _emails(v, pop, person, gidx, fidx)
    email_missing = rng.random(n) < 0.12
    email = pc.if_else(pa.array(email_missing), pa.nulls(n, pa.string()), email_norm)
    email_norm = email
    dob = _dob(pop, person)
    # nationality is a property of the person, so every record of them agrees
    mix = person * 2654435761 % 1000
    nationality = np.where(mix < 900, "GB", np.asarray([f[0] for f in vocab.FOREIGN])[mix % 12])
    table = pa.table(
        {
            "kind": constant("person", n),
            "name": name,
            "given_name": pc.if_else(pa.array(upper.astype(bool)), pc.utf8_upper(given), given),
            "family_name": pc.if_else(pa.array(upper.astype(bool)), pc.utf8_upper(family), family),
            "dob": dob,
            "gender": choose(pop.female[person], "F", "M"),
            "address": address,
            "postcode": postcode,
            "city": v["town"].take(pa.array(pop.town[person])),
            "country": constant("GB", n),
            "nationality": pa.array(nationality),
            "phone": phone,
            "email": email,
        }
    )
    address_norm = join(compact_pc, pc.cast(pa.array(house), pa.string()), sep="|")
    return {
        "table": table,
        "phone_e164": phone_e164,
        "email_norm": email_norm,
        "address_norm": address_norm,
    }


def _pick_variant(
    v: dict[str, pa.Array], idx: np.ndarray, variant: np.ndarray, alts: dict[int, str], base: str
) -> pa.Array:
    out = v[base].take(pa.array(idx))
    for code, name in alts.items():
        out = pc.if_else(pa.array(variant == code), v[name].take(pa.array(idx)), out)
    return out


def _phones(
    number: np.ndarray, style: np.ndarray, missing: np.ndarray
) -> tuple[pa.Array, pa.Array]:
    text = pc.cast(pa.array(number), pa.string())  # 10 digits starting with 7
    national = join("0", text)
    spaced = join(
        "0", pc.utf8_slice_codeunits(text, 0, 4), " ", pc.utf8_slice_codeunits(text, 4, 10)
    )
    e164 = join("+44", text)
    shown = pc.if_else(
        pa.array(style == 0), national, pc.if_else(pa.array(style == 1), spaced, e164)
    )
    mask = pa.array(missing)
    return pc.if_else(mask, pa.nulls(len(number), pa.string()), shown), pc.if_else(
        mask, pa.nulls(len(number), pa.string()), e164
    )


def _emails(
    v: dict[str, pa.Array], pop: Population, person: np.ndarray, gidx: np.ndarray, fidx: np.ndarray
) -> pa.Array:
    given = pc.utf8_lower(v["given"].take(pa.array(gidx)))
    family = pc.replace_substring(
        pc.replace_substring(pc.utf8_lower(v["family"].take(pa.array(fidx))), "'", ""), " ", ""
    )
    number = pop.email_no[person]
    num = pc.if_else(
        pa.array(number > 0),
        pc.cast(pa.array(number), pa.string()),
        constant("", len(person)),
    )
    local = join(given, ".", family, num)
    return join(local, "@", v["domain"].take(pa.array(pop.email_domain[person])))


def _dob(pop: Population, person: np.ndarray) -> pa.Array:
    start_day = pop.start_us // MICROS_PER_DAY
    # a fixed birthday per person (derived from the person index, so records agree)
    day_in_year = (person * 2654435761 % 363).astype(np.int64)
    days = start_day - (pop.age[person] * 365.25).astype(np.int64) - day_in_year - 1
    return pa.array(days.astype(np.int32), pa.int32()).cast(pa.date32())


def _override(column: pa.Array, positions: list[int], values: list[str]) -> pa.Array:
    """`column` with the given positions replaced (vectorised: one take)."""
    if not positions:
        return column
    combined = pa.concat_arrays([column, pa.array(values, pa.string())])
    index = np.arange(len(column))
    index[np.asarray(positions)] = len(column) + np.arange(len(values))
    return combined.take(pa.array(index))


def _styled_phone(number: int, bank: int) -> str:
    text = str(number)
    style = _BANK_STYLE[bank][2]
    if style == 0:
        return "0" + text
    if style == 1:
        return f"0{text[:4]} {text[4:]}"
    return "+44" + text


def _styled_address(place: tuple[int, int, str], bank: int) -> tuple[str, str]:
    house, street, code = place
    _, nospace, _, abbreviate = _BANK_STYLE[bank]
    street_text = vocab.STREETS[street][1 if abbreviate else 0]
    return f"{house} {street_text}", code.replace(" ", "") if nospace else code


def _apply_herder_overrides(
    persons: dict[str, pa.Array | pa.Table],
    acc_party: np.ndarray,
    bank: np.ndarray,
    phone_overrides: dict[int, int],
    address_overrides: dict[int, tuple[int, int, str]],
) -> None:
    """Records holding someone else's phone or address (herders', or a parent's phone),
    written in the holding bank's own style so the override itself is no tell."""
    table = persons["table"]
    assert isinstance(table, pa.Table)
    columns = {
        name: table.column(name).combine_chunks() for name in ("phone", "address", "postcode")
    }
    parties = [int(acc_party[a]) for a in phone_overrides]
    numbers = list(phone_overrides.values())
    shown = [_styled_phone(n, int(bank[p])) for p, n in zip(parties, numbers, strict=True)]
    columns["phone"] = _override(columns["phone"], parties, shown)
    persons["phone_e164"] = _override(
        persons["phone_e164"], parties, ["+44" + str(n) for n in numbers]
    )
    parties = [int(acc_party[a]) for a in address_overrides]
    places = list(address_overrides.values())
    styled = [_styled_address(pl, int(bank[p])) for p, pl in zip(parties, places, strict=True)]
    columns["address"] = _override(columns["address"], parties, [a for a, _ in styled])
    columns["postcode"] = _override(columns["postcode"], parties, [c for _, c in styled])
    persons["address_norm"] = _override(
        persons["address_norm"],
        parties,
        [c.replace(" ", "") + "|" + str(h) for h, _, c in places],
    )
    for name, column in columns.items():
        table = table.set_column(table.schema.get_field_index(name), name, column)
    persons["table"] = table


def _org_records(
    rng: np.random.Generator, pop: Population, accounts: np.ndarray
) -> dict[str, pa.Array | pa.Table]:
    names: list[str] = []
    countries: list[str] = []
    addresses: list[str | None] = []
    persons: list[bool] = []
    exchanges = set(foreign_exchanges(pop).tolist())
    for acc in accounts.tolist():
        kind = int(pop.acc_org[acc])
        foreign = int(pop.acc_foreign[acc])
        word = _ORG_WORDS[int(rng.integers(0, len(_ORG_WORDS)))]
        if foreign >= 0:
            names_list = vocab.MALE_NAMES if rng.random() < 0.6 else vocab.FEMALE_NAMES
            given, _ = names_list[int(rng.integers(0, len(names_list)))]
            family = vocab.FAMILY_NAMES[int(rng.integers(0, len(vocab.FAMILY_NAMES)))]
            person = acc not in exchanges and rng.random() < 0.7
            org_name = f"{word} Digital Assets" if acc in exchanges else f"{word} Trading"
            names.append(f"{given} {family}" if person else org_name)
            countries.append(vocab.FOREIGN[foreign][0])
            addresses.append(None)
            persons.append(person)
            continue
        persons.append(False)
        suffixes = _ORG_SUFFIX[ORG_KIND_NAMES[kind]]
        suffix = suffixes[int(rng.integers(0, len(suffixes)))]
        lead = (
            vocab.FAMILY_NAMES[int(rng.integers(0, len(vocab.FAMILY_NAMES)))] if kind == 2 else word
        )
        names.append(f"{lead} {suffix}")
        countries.append("GB")
        addresses.append(f"Unit {int(rng.integers(1, 90))}")
    n = len(accounts)
    is_person = np.asarray(persons, dtype=bool)
    table = pa.table(
        {
            "kind": choose(is_person, "person", "org") if n else pa.array([], pa.string()),
            "name": pa.array(names, pa.string()),
            "given_name": pa.nulls(n, pa.string()),
            "family_name": pa.nulls(n, pa.string()),
            "dob": pa.nulls(n, pa.date32()),
            "gender": pa.nulls(n, pa.string()),
            "address": pa.array(addresses, pa.string()),
            "postcode": pa.nulls(n, pa.string()),
            "city": pa.nulls(n, pa.string()),
            "country": pa.array(countries, pa.string()),
            "nationality": pa.nulls(n, pa.string()),
            "phone": pa.nulls(n, pa.string()),
            "email": pa.nulls(n, pa.string()),
        }
    )
    return {"table": table, "address_norm": pa.nulls(n, pa.string())}
