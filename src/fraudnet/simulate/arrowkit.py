"""Vectorised builders for Arrow columns: random ids, money from pence, times, strings."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MICROS_PER_SECOND = 1_000_000
MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND


def unique_random(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    """n distinct integers spread over [low, high), in random order.

    Each value sits in its own slice of the range (slice chosen by a random permutation, offset
    random within it), so ids are unique without a sort and carry no trace of the order in
    which the generator made their rows.
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    width = (high - low) // n
    if width < 1:
        raise ValueError("id space too small")
    slot = rng.permutation(n).astype(np.int64)
    return low + slot * width + rng.integers(0, width, size=n, dtype=np.int64)


def digits(values: np.ndarray, width: int) -> pa.Array:
    """Zero-padded decimal strings of integers in [0, 10**width), width <= 17.

    Adding 10**width and dropping the leading "1" pads without a (slow) padding kernel.
    """
    shifted = np.asarray(values, dtype=np.int64) + 10**width
    return pc.utf8_slice_codeunits(pc.cast(pa.array(shifted), pa.string()), 1)


def join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    """Element-wise string concatenation of arrays and scalars (nulls stay null)."""
    return pc.binary_join_element_wise(*parts, sep)


def prefixed_ids(rng: np.random.Generator, prefix: str, n: int, width: int) -> pa.Array:
    """Random distinct ids like T0003918273645 (prefix + zero-padded random digits)."""
    return join(prefix, digits(unique_random(rng, n, 0, 10**width), width))


def money(pence: np.ndarray) -> pa.Array:
    """DECIMAL(18,2) from integer pence without float rounding (unscaled int128 buffer)."""
    pence = np.ascontiguousarray(pence, dtype=np.int64)
    words = np.empty((len(pence), 2), dtype=np.int64)
    words[:, 0] = pence
    words[:, 1] = np.where(pence < 0, -1, 0)
    buffer = pa.py_buffer(words.tobytes())
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(pence), [None, buffer])


def timestamps(micros: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(micros, dtype=np.int64), pa.int64()).cast(pa.timestamp("us"))


def take_strings(vocab: pa.Array | list[str], index: np.ndarray) -> pa.Array:
    """vocab[index] with -1 meaning null."""
    values = vocab if isinstance(vocab, pa.Array) else pa.array(vocab, pa.string())
    idx = pa.array(np.asarray(index, dtype=np.int64), mask=np.asarray(index) < 0)
    return values.take(idx)


def to_micros(moment: object) -> int:
    """Microseconds since the epoch of a naive UTC datetime."""
    import datetime as dt

    assert isinstance(moment, dt.datetime)
    epoch = dt.datetime(1970, 1, 1)
    return (moment - epoch) // dt.timedelta(microseconds=1)


def constant(value: str, n: int) -> pa.Array:
    """A string column holding one value (built in Arrow, not via a numpy string array)."""
    return pa.array([value], pa.string()).take(pa.array(np.zeros(n, dtype=np.int64)))


def choose(mask: np.ndarray, if_true: str, if_false: str) -> pa.Array:
    """String column: if_true where mask, else if_false."""
    codes = np.where(np.asarray(mask, dtype=bool), 0, 1).astype(np.int64)
    return pa.array([if_true, if_false], pa.string()).take(pa.array(codes))
