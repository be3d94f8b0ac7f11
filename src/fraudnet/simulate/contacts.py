"""Phones and addresses a bank holds that are not the holder's own (herders', parents')."""

from __future__ import annotations

import numpy as np

from fraudnet.simulate import vocab
from fraudnet.simulate.networks import (
    NEW,
    Criminals,
)
from fraudnet.simulate.params import SimulationParams
from fraudnet.simulate.population import Population


def herder_contacts(
    rng: np.random.Generator, params: SimulationParams, pop: Population, crim: Criminals
) -> tuple[dict[int, int], dict[int, tuple[int, int, str]]]:
    """Herder-controlled phone numbers and addresses recorded on some mule accounts."""
    burner = 7_000_000_000 + rng.integers(0, 999_999_999, size=crim.n_networks)
    # some herders put their own phone number on mule accounts
    own = rng.random(crim.n_networks) < 0.3
    herder_phone = np.asarray([pop.phone[h[0]] for h in crim.herders], dtype=np.int64)
    burner = np.where(own, herder_phone, burner)
    letters = vocab.INWARD_LETTERS
    places = []
    for i in range(crim.n_networks):
        herder = int(crim.herders[i][0])
        if rng.random() < 0.3:  # the herder's own home
            places.append(
                (int(pop.house_no[herder]), int(pop.street[herder]), _postcode_text(pop, herder))
            )
            continue
        town = int(rng.integers(0, len(vocab.TOWNS)))
        code = (
            f"{vocab.TOWNS[town][1]}{int(rng.integers(1, 30))} {int(rng.integers(1, 10))}"
            f"{letters[int(rng.integers(0, 20))]}{letters[int(rng.integers(0, 20))]}"
        )
        places.append((int(rng.integers(1, 200)), int(rng.integers(0, len(vocab.STREETS))), code))
    phones = _family_phones(rng, pop, params.parent_phone_share)
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


def _postcode_text(pop: Population, person: int) -> str:
    district, digit, a, b = (int(x) for x in pop.postcode[person])
    letters = vocab.INWARD_LETTERS
    return f"{vocab.TOWNS[int(pop.town[person])][1]}{district} {digit}{letters[a]}{letters[b]}"


def _family_phones(rng: np.random.Generator, pop: Population, share: float) -> dict[int, int]:
    """Some students' banks hold a parent's mobile number: shared phones that are innocent."""
    personal = np.flatnonzero(pop.acc_person >= 0)
    holder = pop.acc_person[personal]
    child = pop.student[holder] & (pop.parent[holder] >= 0)
    child &= rng.random(len(personal)) < share
    accounts, kids = personal[child], holder[child]
    numbers = pop.phone[pop.parent[kids]]
    return dict(zip(accounts.tolist(), numbers.tolist(), strict=True))
