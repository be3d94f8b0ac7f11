"""The fast path for plain CSV: the engine's own reader, checked by an independent record count.

A file is plain when every physical line is one whole record: UTF-8 without a BOM, not
compressed, no CR, NUL or blank line, and an even number of quote characters on every line
(so no quoted value runs over a line break). On such a file the Python reader
(`csv_records`) would parse each line alone, and a record's line number is its index + 1.

The count of records comes from a byte scan of the file, not from the parser that loads it.
The engine's reader must return exactly that many rows, each of the header's width, or the
file goes to the Python reader instead; so a parser that drops, merges or splits rows is
caught, and anything the fast path cannot read exactly is read the slow, exact way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fraudnet.engine import Engine
from fraudnet.engine.base import RawRead, StageBuilder
from fraudnet.ingest.container import BOMS, MAGIC
from fraudnet.ingest.csv_records import parse_record
from fraudnet.ingest.rows import check_column_names

SCAN_CHUNK = 64 << 20
"""Bytes scanned at a time; the scan's memory is a few times this, whatever the file's size."""
NEWLINE, QUOTE = 10, 34
NOT_PLAIN = (b"\r", b"\x00", b"\n\n")
READER_SETTING = "FRAUDNET_CSV_READER"
"""`python` forces the exact Python reader for every CSV file; otherwise the fast path may run."""


@dataclass(frozen=True)
class PlainShape:
    """What the byte scan found: the header line's text and the records after it."""

    header: str
    records: int


def fast_path_allowed(encoding: str | None) -> bool:
    """Only UTF-8 (the engine reader's only encoding), unless the setting turns it off."""
    if os.environ.get(READER_SETTING, "").strip().lower() == "python":
        return False
    return encoding is None or encoding.lower().replace("_", "-") in {"utf-8", "utf8"}


def scan_plain(path: Path, delimiter: str) -> PlainShape | None:
    """The header and the number of records, counted by bytes; None if the file is not plain."""
    data = np.memmap(path, dtype=np.uint8, mode="r") if path.stat().st_size else None
    if data is None or _has_prefix(data):
        return None
    first_break = _find(data, b"\n")
    header_end = first_break if first_break >= 0 else data.size
    header = bytes(data[:header_end])
    if not header or b'"' in header or _has_any(data, NOT_PLAIN):
        return None
    delimiter_bytes = delimiter.encode("utf-8")
    if len(delimiter_bytes) != 1 or delimiter_bytes in b'\n"':
        return None
    lines = _lines_if_quotes_plain(data, delimiter_bytes[0])
    if lines is None:
        return None
    return PlainShape(header.decode("utf-8", errors="surrogateescape"), lines - 1)


def stage_plain(
    engine: Engine, path: Path, delimiter: str, view: str, build: StageBuilder
) -> tuple[RawRead, int] | None:
    """`path` staged by the engine's reader, with the records counted by bytes; None if not plain.

    None also when the engine's reader fails or stages a different number of records.
    """
    shape = scan_plain(path, delimiter)
    if shape is None:
        return None
    fields, reason = parse_record(shape.header, delimiter)
    if fields is None or reason is not None:
        return None
    columns = check_column_names([f.strip() for f in fields], str(path))
    staged = engine.stage_plain_csv(path, delimiter, columns, view, build)
    if staged is None:
        return None
    if staged != shape.records:  # the parser lost or invented records: read it exactly
        engine.drop_temp(view)
        return None
    return RawRead(view, columns), shape.records


def _has_prefix(data: np.memmap) -> bool:
    head = bytes(data[:4])
    return any(head.startswith(bom) for bom, _ in BOMS) or any(
        head.startswith(magic) for magic in MAGIC
    )


def _chunks(data: np.memmap) -> list[tuple[int, int]]:
    """Overlapping by one byte, so a two-byte pattern across a boundary is seen."""
    return [(s, min(s + SCAN_CHUNK + 1, data.size)) for s in range(0, data.size, SCAN_CHUNK)]


def _find(data: np.memmap, needle: bytes) -> int:
    for start, end in _chunks(data):
        at = bytes(data[start:end]).find(needle)
        if at >= 0:
            return start + at
    return -1


def _has_any(data: np.memmap, needles: tuple[bytes, ...]) -> bool:
    if bytes(data[:1]) == b"\n":
        return True
    return any(
        needle in chunk
        for start, end in _chunks(data)
        for chunk in (bytes(data[start:end]),)
        for needle in needles
    )


def _lines_if_quotes_plain(data: np.memmap, delimiter: int) -> int | None:
    """Physical lines (a last one without a break counts); None if any quote is not plain."""
    breaks, quotes_before = 0, 0
    for start in range(0, data.size, SCAN_CHUNK):
        chunk = np.asarray(data[start : start + SCAN_CHUNK])
        at_breaks = np.flatnonzero(chunk == NEWLINE)
        at_quotes = np.flatnonzero(chunk == QUOTE)
        if at_quotes.size:
            open_at_break = (np.searchsorted(at_quotes, at_breaks) + quotes_before) % 2
            if open_at_break.any() or not _quotes_at_edges(data, at_quotes + start, delimiter):
                return None
        breaks += at_breaks.size
        quotes_before += at_quotes.size
    if quotes_before % 2:
        return None
    ends_with_break = bytes(data[-1:]) == b"\n"
    return breaks if ends_with_break else breaks + 1


def _quotes_at_edges(data: np.memmap, at: np.ndarray, delimiter: int) -> bool:
    """Every quote touches a field edge or another quote, on one side at least.

    Readers differ on a quote beside other text (`"a" ,` or ` "a"`: Python keeps the space
    and the quotes, or refuses; DuckDB trims and unquotes), so such a file is read in Python.
    """
    edges = np.array([delimiter, NEWLINE, QUOTE], dtype=np.uint8)
    before = np.isin(data[np.maximum(at - 1, 0)], edges) | (at == 0)
    after_at = np.minimum(at + 1, data.size - 1)
    after = np.isin(data[after_at], edges) | (at + 1 >= data.size)
    return bool((before | after).all())
