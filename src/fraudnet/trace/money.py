"""Exact money: integer pence inside the tracer, Decimal at the edges, penny-exact splits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

import numpy as np
import pyarrow as pa

CLEAN = ""
"""The origin key of money that is nobody's reported loss (sorts before every report id)."""

MONEY_TYPE = pa.decimal128(18, 2)


def to_pence(amount: Decimal | int | float | str) -> int:
    """Pence from a DECIMAL(18,2) value (exact: the value has two decimal places)."""
    return int((Decimal(str(amount)) * 100).to_integral_value())


def to_decimal(pence: int) -> Decimal:
    return Decimal(pence).scaleb(-2)


def money_array(pence: Iterable[int] | np.ndarray) -> pa.Array:
    """An Arrow DECIMAL(18,2) array from integer pence, without passing through floats.

    A decimal's buffer holds its unscaled value as a 128-bit integer, so the pence are
    written straight into it (low word, then the sign-extended high word).
    """
    values = np.asarray(pence if isinstance(pence, np.ndarray) else list(pence), np.int64)
    words = np.empty((len(values), 2), np.int64)
    words[:, 0] = values
    words[:, 1] = values >> 63
    return pa.Array.from_buffers(MONEY_TYPE, len(values), [None, pa.py_buffer(words.tobytes())])


def split(take: int, taint: Mapping[str, int], whole: int) -> dict[str, int]:
    """Take `take` pence out of `whole`, each origin in proportion to its share.

    `taint` gives the tainted origins; the rest of `whole` is clean and takes its share too,
    so the pieces always add up to `take` exactly. Rounding is by largest remainder, ties
    broken by origin key (clean first), so the result never depends on dict order.
    Returns the tainted pieces only (zero pieces dropped).
    """
    if take <= 0 or not taint:
        return {}
    if take >= whole:
        return {k: v for k, v in taint.items() if v > 0}
    keys = sorted(taint)
    if len(keys) > _VECTOR_FROM and max(whole, max(taint.values())) * take < _SAFE:
        return _split_vector(take, taint, keys, whole)
    amounts = [whole - sum(taint.values()), *(taint[k] for k in keys)]
    names = [CLEAN, *keys]
    quotients: list[int] = []
    remainders: list[int] = []
    for amount in amounts:
        q, r = divmod(amount * take, whole)
        quotients.append(q)
        remainders.append(r)
    leftover = take - sum(quotients)
    if leftover:
        order = sorted(range(len(names)), key=lambda i: (-remainders[i], names[i]))
        for i in order[:leftover]:
            quotients[i] += 1
    return {n: q for n, q in zip(names[1:], quotients[1:], strict=True) if q > 0}


_VECTOR_FROM = 32
_SAFE = 2**62


def _split_vector(
    take: int, taint: Mapping[str, int], keys: list[str], whole: int
) -> dict[str, int]:
    """`split` for many origins, in numpy (only called when every product fits in int64)."""
    amounts = np.array([whole - sum(taint.values()), *(taint[k] for k in keys)], np.int64)
    products = amounts * take
    quotients = products // whole
    leftover = take - int(quotients.sum())
    if leftover:
        remainders = products - quotients * whole
        order = np.lexsort((np.arange(len(amounts)), -remainders))  # ties: clean, then by key
        quotients[order[:leftover]] += 1
    return {k: q for k, q in zip(keys, quotients[1:].tolist(), strict=True) if q > 0}


def add_into(target: dict[str, int], pieces: Mapping[str, int]) -> None:
    """Add tainted pieces into a per-origin dict in place."""
    for origin, pence in pieces.items():
        target[origin] = target.get(origin, 0) + pence


def subtract_from(target: dict[str, int], pieces: Mapping[str, int]) -> None:
    """Remove tainted pieces from a per-origin dict in place, dropping emptied origins."""
    for origin, pence in pieces.items():
        left = target[origin] - pence
        if left:
            target[origin] = left
        else:
            del target[origin]
