"""Fuzzy person matching without sharing names: Bloom-filter (CLK) encodings and Dice.

Each record becomes one filter of `bits` bits. Every q-gram of every field sets `k` bits chosen
by HMAC-SHA256 under the organisations' shared secret (an outsider cannot recompute them),
with the field name, and optionally a stable per-record salt such as the year of birth, in
the hashed message: the same name in two records with different salts sets different bits,
so identical filters no longer reveal identical names. Hardening steps (balancing, BLIP)
are registered in `bloom_hardening`. Similar filters mean similar records: Dice on bits.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from fraudnet.errors import FraudnetError
from fraudnet.share.bloom_hardening import Hardening, hardening


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one field is encoded: q-gram length and bits set per q-gram (its weight)."""

    name: str
    hashes: int
    q: int = 2


@dataclass(frozen=True, slots=True)
class EncoderSettings:
    """What both organisations must agree on, besides the secret, to compare encodings."""

    fields: tuple[FieldSpec, ...]
    bits: int = 1024
    salt_field: str | None = None
    salted_fields: tuple[str, ...] | None = None
    """Fields whose q-grams take the salt (None: all); the salt field itself never does."""
    hardening: tuple[str, ...] = ()
    hardening_options: Mapping[str, float] = field(default_factory=dict)


def qgrams(text: str, q: int) -> list[str]:
    """Padded q-grams of plain lower-case text ('ann' -> '_a', 'an', 'nn', 'n_')."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = " ".join(plain.split())
    if not words:
        return []
    padded = f"_{words}_" if q > 1 else words
    return sorted({padded[i : i + q] for i in range(len(padded) - q + 1)})


class BloomEncoder:
    """Encodes records (mappings of field name to text) into packed bit rows."""

    def __init__(self, secret: bytes, settings: EncoderSettings) -> None:
        if len(secret) < 16:
            raise FraudnetError("the Bloom-filter secret must be at least 16 bytes")
        if settings.bits % 64:
            raise FraudnetError("the filter length must be a multiple of 64 bits")
        self.secret = secret
        self.settings = settings
        self.steps: list[Hardening] = [
            hardening(name, secret, settings) for name in settings.hardening
        ]
        self._positions = lru_cache(maxsize=1_000_000)(self._gram_positions)

    def _gram_positions(self, message: bytes, hashes: int) -> tuple[int, ...]:
        """Double hashing (Kirsch-Mitzenmacher) from one keyed digest."""
        digest = hmac.new(self.secret, message, hashlib.sha256).digest()
        first = int.from_bytes(digest[:8], "big")
        step = int.from_bytes(digest[8:16], "big") | 1
        return tuple((first + i * step) % self.settings.bits for i in range(hashes))

    def record_bits(self, record: Mapping[str, str | None]) -> np.ndarray:
        """One record's filter as a boolean row, before hardening."""
        row = np.zeros(self.settings.bits, dtype=bool)
        salt_field = self.settings.salt_field
        record_salt = (record.get(salt_field) or "") if salt_field else ""
        salted = self.settings.salted_fields
        for spec in self.settings.fields:
            salt = record_salt if salted is None or spec.name in salted else ""
            for gram in qgrams(record.get(spec.name) or "", spec.q):
                message = f"{spec.name}\x1f{salt}\x1f{gram}".encode()
                row[list(self._positions(message, spec.hashes))] = True
        return row

    def encode(self, records: Iterable[Mapping[str, str | None]]) -> np.ndarray:
        """Hardened, packed filters: one uint64 row per record."""
        rows = np.array([self.record_bits(r) for r in records], dtype=bool)
        if rows.size == 0:
            rows = rows.reshape(0, self.settings.bits)
        for step in self.steps:
            rows = step.apply(rows)
        return pack(rows)


def pack(rows: np.ndarray) -> np.ndarray:
    """Boolean rows as uint64 words (the layout Dice works on)."""
    packed = np.packbits(np.ascontiguousarray(rows), axis=1, bitorder="little")
    return np.ascontiguousarray(packed).view(np.uint64)


def unpack(words: np.ndarray) -> np.ndarray:
    return np.unpackbits(words.view(np.uint8), axis=1, bitorder="little").astype(bool)


def dice_matrix(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Dice coefficient of every left filter with every right filter (float32)."""
    left_ones = np.bitwise_count(left).sum(axis=1).astype(np.float32)
    right_ones = np.bitwise_count(right).sum(axis=1).astype(np.float32)
    common = np.zeros((left.shape[0], right.shape[0]), dtype=np.float32)
    for word in range(left.shape[1]):
        common += np.bitwise_count(left[:, word, None] & right[None, :, word])
    total = left_ones[:, None] + right_ones[None, :]
    return np.divide(2 * common, total, out=np.zeros_like(common), where=total > 0)


def top_candidates(
    left: np.ndarray, right: np.ndarray, per_row: int = 3, chunk: int = 512
) -> list[tuple[float, int, int]]:
    """The `per_row` most similar right filters of every left filter: (Dice, left, right)."""
    keep = min(per_row, right.shape[0])
    candidates: list[tuple[float, int, int]] = []
    for start in range(0, left.shape[0], chunk):
        scores = dice_matrix(left[start : start + chunk], right)
        best = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
        rows = np.repeat(np.arange(scores.shape[0]), keep)
        cols = best.ravel()
        picked = scores[rows, cols].tolist()
        candidates += zip(picked, (rows + start).tolist(), cols.tolist(), strict=True)
    return candidates


def best_pairs(
    candidates: Sequence[tuple[float, int, int]], threshold: float
) -> list[tuple[int, int, float]]:
    """One-to-one links at or above `threshold`, best first (greedy), by row index."""
    return _greedy_one_to_one([c for c in candidates if c[0] >= threshold])


def _greedy_one_to_one(
    candidates: Sequence[tuple[float, int, int]],
) -> list[tuple[int, int, float]]:
    used_left: set[int] = set()
    used_right: set[int] = set()
    links = []
    for score, i, j in sorted(candidates, reverse=True):
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            links.append((i, j, score))
    return links
