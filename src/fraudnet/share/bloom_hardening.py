"""Hardening steps applied to Bloom-filter encodings, registered by name.

`balance` (Schnell & Borgs 2016): append the complement and permute all bits under the
secret, so every filter has exactly as many ones as zeros: the count of ones (a proxy for
name length) and frequent bit patterns no longer stand out. `blip` (Schnell & Borgs 2016,
randomised response): flip each bit with probability `blip_flip`, so one name gives
different filters in different records. Both organisations apply the same steps.
"""

from __future__ import annotations

import hashlib
import secrets as system_random
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from fraudnet.errors import FraudnetError

if TYPE_CHECKING:
    from fraudnet.share.bloom import EncoderSettings

_STEPS: dict[str, type[Hardening]] = {}


class Hardening(ABC):
    """A transformation of boolean filter rows (records x bits)."""

    NAME: ClassVar[str]

    def __init__(self, secret: bytes, settings: EncoderSettings) -> None:
        self.secret = secret
        self.settings = settings

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        _STEPS[cls.NAME] = cls

    @abstractmethod
    def apply(self, rows: np.ndarray) -> np.ndarray:
        """Hardened rows (the width may change)."""

    def keyed_rng(self, label: str) -> np.random.Generator:
        seed = hashlib.sha256(self.secret + label.encode()).digest()
        return np.random.default_rng(int.from_bytes(seed[:16], "big"))


class Balance(Hardening):
    NAME = "balance"

    def apply(self, rows: np.ndarray) -> np.ndarray:
        doubled = np.concatenate([rows, ~rows], axis=1)
        order = self.keyed_rng("balance-permutation").permutation(doubled.shape[1])
        return doubled[:, order]


class Blip(Hardening):
    """Randomised response: fresh randomness per encoding, never derived from the secret."""

    NAME = "blip"

    def apply(self, rows: np.ndarray) -> np.ndarray:
        flip = float(self.settings.hardening_options.get("blip_flip", 0.02))
        seed = self.settings.hardening_options.get("blip_seed")
        rng = np.random.default_rng(int(seed) if seed is not None else system_random.randbits(64))
        return rows ^ (rng.random(rows.shape) < flip)


def hardening(name: str, secret: bytes, settings: EncoderSettings) -> Hardening:
    """The registered step called `name`."""
    if name not in _STEPS:
        raise FraudnetError(f"unknown hardening {name!r}; known: {', '.join(sorted(_STEPS))}")
    return _STEPS[name](secret, settings)
