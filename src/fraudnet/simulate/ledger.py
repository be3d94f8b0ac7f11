"""The growing list of payments, held as integer-coded numpy batches until the world is built."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fraudnet.schema.enums import CHANNELS
from fraudnet.simulate import vocab

CH = {name: np.int8(i) for i, name in enumerate(CHANNELS)}

# What generated a payment: kept for diagnostics and tests, never written to the store.
PURPOSES = (
    "salary", "benefit", "rent", "mortgage", "bill", "card", "p2p", "student", "own",
    "trade", "b2b", "sale", "cash", "cash_in", "crypto", "remit", "large",
    "victim", "tier1_out", "tier2_out", "collector_out", "herder_fee", "mule_life",
)  # fmt: skip
PURPOSE = {name: i for i, name in enumerate(PURPOSES)}
CRIMINAL_PURPOSES = ("victim", "tier1_out", "tier2_out", "collector_out", "herder_fee")


@dataclass
class Ledger:
    """Payments as parallel arrays: account indices (-1 = none), µs times, pence, codes."""

    src: list[np.ndarray] = field(default_factory=list)
    dst: list[np.ndarray] = field(default_factory=list)
    ts: list[np.ndarray] = field(default_factory=list)
    pence: list[np.ndarray] = field(default_factory=list)
    channel: list[np.ndarray] = field(default_factory=list)
    ref: list[np.ndarray] = field(default_factory=list)
    purpose: list[np.ndarray] = field(default_factory=list)
    size: int = 0

    def add(
        self,
        purpose: str,
        src: np.ndarray | int,
        dst: np.ndarray | int,
        ts: np.ndarray,
        pence: np.ndarray,
        channel: np.ndarray | str,
        ref: np.ndarray,
    ) -> np.ndarray:
        """Append payments; returns their positions in the final ledger."""
        n = len(ts)
        self.src.append(np.broadcast_to(np.asarray(src, dtype=np.int64), (n,)).copy())
        self.dst.append(np.broadcast_to(np.asarray(dst, dtype=np.int64), (n,)).copy())
        self.ts.append(np.asarray(ts, dtype=np.int64))
        self.pence.append(np.maximum(np.asarray(pence, dtype=np.int64), 1))
        code = CH[channel] if isinstance(channel, str) else channel
        self.channel.append(np.broadcast_to(np.asarray(code, dtype=np.int8), (n,)).copy())
        self.ref.append(np.asarray(ref, dtype=np.int16))
        self.purpose.append(np.full(n, PURPOSE[purpose], dtype=np.int8))
        positions = np.arange(self.size, self.size + n)
        self.size += n
        return positions

    def clear(self) -> None:
        """Free the batches once they have been concatenated."""
        for name in ("src", "dst", "ts", "pence", "channel", "ref", "purpose"):
            getattr(self, name).clear()

    def arrays(self) -> dict[str, np.ndarray]:
        """Concatenate every column, releasing each column's batches as it goes."""
        names = ("src", "dst", "ts", "pence", "channel", "ref", "purpose")
        out: dict[str, np.ndarray] = {}
        for name in names:
            batches = getattr(self, name)
            out[name] = np.concatenate(batches) if batches else np.zeros(0, np.int64)
            batches.clear()
        return out


def refs(rng: np.random.Generator, group: str, n: int) -> np.ndarray:
    codes = np.asarray(vocab.ref_codes(group), dtype=np.int16)
    return codes[rng.integers(0, len(codes), size=n)]


def shape_pence(
    rng: np.random.Generator,
    pounds: np.ndarray,
    round_share: float,
    round_to: float = 10.0,
    down: bool = False,
) -> np.ndarray:
    """Pence from pounds: a share rounded to whole `round_to` pounds, the rest with pennies.

    The same shaping is used for ordinary and criminal payments so precision is no signal.
    `down` rounds towards zero (money passed on can never exceed what arrived); a sum too
    small to round down keeps its pennies.
    """
    pounds = np.asarray(pounds, dtype=np.float64)
    exact = np.maximum(np.floor(pounds * 100).astype(np.int64), 1)
    if down:
        rounded = (np.floor(pounds / round_to) * round_to * 100).astype(np.int64)
        rounded = np.where(rounded > 0, rounded, exact)
    else:
        rounded = (np.maximum(np.round(pounds / round_to), 1) * round_to * 100).astype(np.int64)
    return np.where(rng.random(len(pounds)) < round_share, rounded, exact)
