"""Splits CSV text into records line by line, so one bad quote spoils one row, not the rest.

A line with an even number of quote characters is a record by itself. A line with an odd
number opens a quoted value that may run over the next lines (at most `MAX_RECORD_LINES`),
until the count is even again; that run is a record only if it parses into exactly the
header's number of fields. Otherwise the opening line alone is quarantined as an unclosed
quote and reading resumes on the next line. Line breaks are LF, CRLF or a lone CR.
"""

from __future__ import annotations

import csv
import re

from fraudnet.errors import FraudnetError
from fraudnet.ingest.container import has_bad_utf8, printable
from fraudnet.ingest.rows import TextRows, check_column_names

MAX_RECORD_LINES = 100
LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
WRONG_WIDTH = "malformed CSV row: wrong number of fields"
UNCLOSED = "malformed CSV row: unclosed quote"
BAD_UTF8 = "malformed CSV row: invalid UTF-8"


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """Physical lines and the break after each (the last may have none)."""
    if "\r" not in text:
        lines = text.split("\n")
        breaks = ["\n"] * (len(lines) - 1)
    else:
        parts = LINE_BREAK.split(text)
        lines, breaks = parts[0::2], parts[1::2]
    if lines and lines[-1] == "" and breaks:
        lines.pop()
    return lines, breaks


def parse_record(text: str, delimiter: str) -> tuple[list[str] | None, str | None]:
    """Fields of one record, or why they cannot be read."""
    if has_bad_utf8(text):
        return None, BAD_UTF8
    try:
        rows = list(csv.reader([text], delimiter=delimiter, strict=True))
    except csv.Error as err:
        return None, f"malformed CSV row: {str(err).split(' - ')[0]}"
    if len(rows) != 1:
        return None, "malformed CSV row: bad quoting"
    return rows[0], None


def read_csv_text(text: str, delimiter: str, file: str) -> TextRows:
    """Header and records of `text`; every physical line is a header, blank, record or reject."""
    lines, breaks = split_lines(text)
    if not lines:
        raise FraudnetError("file has no header line", file=file)
    header, reason = parse_record(lines[0], delimiter)
    if header is None:
        hint = "; say the file's encoding with --encoding" if reason == BAD_UTF8 else ""
        raise FraudnetError(f"cannot read the header: {reason}{hint}", file=file, row=1)
    rows = TextRows(check_column_names([h.strip() for h in header], file))
    rows.values = [[] for _ in rows.columns]
    accounted = 1 + _read_records(rows, lines, breaks, delimiter)
    if accounted != len(lines):
        raise FraudnetError(
            f"CSV reading accounted for {accounted} of {len(lines)} lines; nothing was loaded",
            file=file,
        )
    return rows


def _read_records(rows: TextRows, lines: list[str], breaks: list[str], delimiter: str) -> int:
    """Reads lines[1:] into `rows`; returns how many physical lines it accounted for."""
    width, i, accounted = len(rows.columns), 1, 0
    while i < len(lines):
        line = lines[i]
        if line == "":
            i, accounted = i + 1, accounted + 1
            continue
        end, text = _record_end(lines, breaks, i)
        fields, reason = parse_record(text, delimiter) if end is not None else (None, UNCLOSED)
        if end is not None and end > i and (reason or fields is None or len(fields) != width):
            end, (fields, reason) = None, (None, UNCLOSED)
        rows.physical_records += 1
        if fields is not None and len(fields) == width:
            rows.add(i + 1, list(fields))
        else:
            rows.reject(i + 1, reason or WRONG_WIDTH, printable(line if end is None else text))
        span = 1 if end is None else end - i + 1
        i, accounted = i + span, accounted + span
    return accounted


def _record_end(lines: list[str], breaks: list[str], start: int) -> tuple[int | None, str]:
    """Last line of the record opening at `start` (None if its quote never closes) and its text."""
    text, quotes, end = lines[start], lines[start].count('"'), start
    while quotes % 2 and end + 1 < len(lines) and end - start + 1 < MAX_RECORD_LINES:
        end += 1
        text += breaks[end - 1] + lines[end]
        quotes += lines[end].count('"')
    return (end if quotes % 2 == 0 else None), text
