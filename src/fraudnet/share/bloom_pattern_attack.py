"""Pattern-mining attack on Bloom-filter encodings (after Christen, Ranbaduge, Vatsalan &
Schnell, PAKDD 2017 and 2018), run by the tests and the benchmark to measure leakage.

Why it works on unsalted filters: every record holding a q-gram sets the same `hashes` bit
positions, so those positions are all set together in as many filters as the q-gram is
frequent. The attacker, who knows the encoding parameters but not the secret,

1. mines frequent bit patterns: from each frequent, not yet explained position it grows the
   `hashes`-position set set together in the most filters (a maximal frequent itemset);
2. assigns patterns to q-grams of a public name list, most frequent first: a q-gram whose
   frequency is close to the pattern's, and whose co-occurrence with the q-grams already
   assigned matches the pattern's co-occurrence with their patterns; an ambiguous pattern
   (two q-grams almost as good) stays unassigned;
3. re-identifies: a filter's signature is the set of assigned q-grams whose positions it all
   sets; a public name with exactly that signature, and no other, is the guess.

A stable per-record salt scatters one q-gram over many position sets, so no pattern is
frequent enough to assign; the score, as for the other attacks, is the share of encoded
records whose name is guessed exactly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from fraudnet.share.bloom import qgrams, unpack
from fraudnet.share.bloom_attacks import AttackResult


@dataclass(frozen=True, slots=True)
class PatternMiningSettings:
    """The attacker's knobs: how frequent a pattern must be, and how sure an assignment."""

    min_support: float = 0.004
    """Share of filters a pattern must be set in (rarer q-grams cannot be told apart)."""
    max_seeds: int = 1024
    tolerance: float = 0.3
    """Largest relative gap between a pattern's and a q-gram's frequency."""
    margin: float = 0.6
    """The best q-gram's distance must be under `margin` times the second best's."""
    passes: int = 3


class _Filters:
    """Distinct filters as a weighted 0/1 matrix: the mining works on each one once."""

    def __init__(self, filters: np.ndarray) -> None:
        distinct, inverse, counts = np.unique(
            filters, axis=0, return_inverse=True, return_counts=True
        )
        self.bits = unpack(distinct)
        self.dense = self.bits.astype(np.float32)
        self.weight = counts.astype(np.float32)
        self.total = float(counts.sum())
        self.inverse = inverse.ravel()


def _grow(
    data: _Filters, seed: int, hashes: int, usable: np.ndarray, min_support: float
) -> tuple[tuple[int, ...], np.ndarray] | None:
    """The `hashes` positions, seed included, set together in the most filters (greedy);
    None as soon as they are set together in fewer than `min_support` of the filters."""
    chosen = [seed]
    support = data.dense[:, seed] * data.weight
    for _ in range(hashes - 1):
        together = support @ data.dense
        together[chosen] = -1.0
        together[~usable] = -1.0
        position = int(np.argmax(together))
        chosen.append(position)
        support = support * data.dense[:, position]
        if float(support.sum()) < min_support * data.total:
            return None
    return tuple(sorted(chosen)), support > 0


def mine_patterns(
    data: _Filters, hashes: int, max_share: float, settings: PatternMiningSettings
) -> dict[tuple[int, ...], np.ndarray]:
    """Frequent position sets and the filters that set them all."""
    counts = (data.weight @ data.dense) / data.total
    usable = counts <= max_share
    covered = np.zeros(counts.shape[0], dtype=bool)
    patterns: dict[tuple[int, ...], np.ndarray] = {}
    seeds = np.flatnonzero(usable & (counts >= settings.min_support))
    for seed in seeds[np.argsort(-counts[seeds])][: settings.max_seeds].tolist():
        if covered[seed]:
            continue
        grown = _grow(data, seed, hashes, usable, settings.min_support)
        covered[seed] = True
        if grown is not None:
            covered[list(grown[0])] = True
            patterns.setdefault(*grown)
    return patterns


@dataclass(frozen=True, slots=True)
class _Plaintext:
    names: list[str]
    grams: list[str]
    has: np.ndarray  # names x q-grams
    frequency: np.ndarray  # share of people (weighted by name frequency) holding each q-gram
    joint: np.ndarray  # q-gram x q-gram co-occurrence share


def _plaintext(public: Counter[str], q: int) -> _Plaintext:
    names = sorted(public)
    weight = np.array([public[n] for n in names], dtype=np.float64)
    weight /= weight.sum()
    grams = sorted({g for n in names for g in qgrams(n, q)})
    index = {g: i for i, g in enumerate(grams)}
    has = np.zeros((len(names), len(grams)), dtype=bool)
    for row, name in enumerate(names):
        has[row, [index[g] for g in qgrams(name, q)]] = True
    dense = has.astype(np.float64)
    return _Plaintext(names, grams, has, weight @ dense, (dense * weight[:, None]).T @ dense)


def assign_patterns(
    data: _Filters,
    patterns: dict[tuple[int, ...], np.ndarray],
    plain: _Plaintext,
    settings: PatternMiningSettings,
) -> dict[int, tuple[int, ...]]:
    """q-gram index -> positions, for every pattern assigned without ambiguity."""
    keys = list(patterns)
    if not keys:
        return {}
    rows = np.column_stack([patterns[k] for k in keys]).astype(np.float64)
    weighted = rows * data.weight[:, None]
    share = weighted.sum(axis=0) / data.total
    joint = weighted.T @ rows / data.total
    gram_of: dict[int, int] = {}
    for _ in range(settings.passes):
        changed = False
        for p in np.argsort(-share).tolist():
            if p in gram_of:
                continue
            taken = set(gram_of.values())
            close = np.abs(plain.frequency - share[p]) <= settings.tolerance * share[p]
            options = [g for g in np.flatnonzero(close).tolist() if g not in taken]
            if not options:
                continue
            anchors = list(gram_of)
            encoded = joint[p, anchors] / share[p]
            distances = []
            for g in options:
                distance = abs(plain.frequency[g] - share[p]) / share[p]
                if anchors:
                    together = plain.joint[g, [gram_of[a] for a in anchors]] / plain.frequency[g]
                    distance += 4 * float(np.abs(encoded - together).mean())
                distances.append(distance)
            ranked = np.argsort(distances)
            if len(ranked) > 1 and distances[ranked[0]] > settings.margin * distances[ranked[1]]:
                continue
            gram_of[p] = options[int(ranked[0])]
            changed = True
        if not changed:
            break
    return {g: keys[p] for p, g in gram_of.items()}


def _guesses(data: _Filters, found: dict[int, tuple[int, ...]], plain: _Plaintext) -> list[str]:
    """A name per distinct filter ('' when no public name alone fits its signature)."""
    guesses = [""] * data.bits.shape[0]
    if not found:
        return guesses
    grams = sorted(found)
    names_sig = plain.has[:, grams]
    filters_sig = np.column_stack([data.bits[:, list(found[g])].all(axis=1) for g in grams])
    signatures, of_filter = np.unique(filters_sig, axis=0, return_inverse=True)
    by_signature: dict[bytes, list[int]] = {}
    for row, signature in enumerate(names_sig):
        by_signature.setdefault(np.packbits(signature).tobytes(), []).append(row)
    named = []
    for signature in signatures:
        fitting = by_signature.get(np.packbits(signature).tobytes(), [])
        named.append(plain.names[fitting[0]] if len(fitting) == 1 else "")
    for row, s in enumerate(of_filter.ravel().tolist()):
        guesses[row] = named[s]
    return guesses


def pattern_mining_attack(
    filters: np.ndarray,
    truth: list[str],
    public: Counter[str],
    hashes: int,
    q: int = 2,
    settings: PatternMiningSettings | None = None,
) -> AttackResult:
    """Mine frequent bit patterns, name them as q-grams, re-identify by q-gram signature."""
    settings = settings or PatternMiningSettings()
    data = _Filters(filters)
    plain = _plaintext(public, q)
    # a position is set by its most frequent q-gram and by others: twice the top frequency
    # bounds it on plain filters and leaves out a balanced filter's complement half
    max_share = min(0.9, 2 * float(plain.frequency.max()) + 0.1)
    patterns = mine_patterns(data, hashes, max_share, settings)
    found = assign_patterns(data, patterns, plain, settings)
    guesses = _guesses(data, found, plain)
    hits = sum(
        1 for d, t in zip(data.inverse.tolist(), truth, strict=True) if t and guesses[d] == t
    )
    return AttackResult("pattern-mining", len(truth), hits)
