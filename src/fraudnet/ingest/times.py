"""Timestamps to UTC: every ISO 8601 offset form converted, zone names refused unless mapped.

`2024-01-01T11:00` has no zone and is taken as UTC. `Z`, `+01`, `+0100`, `+01:00` and `-05`
are offsets and converted. A zone *name* (`BST`, `EST`, `Europe/London`) is refused: `BST`
is British Summer Time to one reader and Bangladesh Standard Time to another. A mapping's
`zones:` says what a name means (`BST: "+01:00"`); `UTC` and `GMT` mean +00:00.
"""

from __future__ import annotations

import datetime as dt

from fraudnet.ingest.sqltext import sql_string
from fraudnet.schema.model import OTHER_DATES, Column

DATE_PART = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
TIME_PART = "[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?"
NO_ZONE = f"^{DATE_PART}([T ]{TIME_PART})?$"
WITH_OFFSET = f"^{DATE_PART}[T ]{TIME_PART}(Z|[+-][0-9]{{2}}(:?[0-9]{{2}})?)$"
ZONE_NAME = "[0-9] ?[A-Za-z][A-Za-z_/]+$"
MINUTES_THEN_OFFSET = f"^{DATE_PART}[T ][0-9]{{2}}:[0-9]{{2}}(Z|[+-][0-9]{{2}}(:?[0-9]{{2}})?)$"
BUILT_IN_ZONES = {"UTC": "+00:00", "GMT": "+00:00"}


def with_mapped_zones(raw: str, zones: dict[str, str]) -> str:
    """`raw` with a trailing zone name the mapping (or UTC/GMT) defines replaced by its offset."""
    known = {**BUILT_IN_ZONES, **zones}
    cases = " ".join(
        f"WHEN REGEXP_MATCHES({raw}, '[0-9] ?{name}$') "
        f"THEN REGEXP_REPLACE({raw}, ' ?{name}$', {sql_string(offset)})"
        for name, offset in known.items()
    )
    return f"(CASE {cases} ELSE {raw} END)"


def timestamp_sql(raw: str, zones: dict[str, str], layouts: list[str]) -> str:
    """A UTC TIMESTAMP from ISO 8601 text or one of `layouts`; NULL where it cannot be read."""
    text = with_seconds(with_mapped_zones(raw, zones))
    tries = [f"TRY_STRPTIME({text}, {sql_string(f)})" for f in layouts]
    fallback = f"COALESCE({', '.join(tries)})" if tries else "CAST(NULL AS TIMESTAMP)"
    return (
        f"(CASE WHEN REGEXP_MATCHES({text}, '{NO_ZONE}') THEN TRY_CAST({text} AS TIMESTAMP) "
        f"WHEN REGEXP_MATCHES({text}, '{WITH_OFFSET}') "
        f"THEN TRY_CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS TIMESTAMP) "
        f"ELSE {fallback} END)"
    )


def with_seconds(text: str) -> str:
    """`10:00Z` as `10:00:00Z`: Spark's cast reads an offset only after the seconds.

    Plain substrings, not a regex replacement, so the SQL means the same on both engines.
    """
    return (
        f"(CASE WHEN REGEXP_MATCHES({text}, '{MINUTES_THEN_OFFSET}') "
        f"THEN CONCAT(SUBSTRING({text}, 1, 16), ':00', SUBSTRING({text}, 17)) ELSE {text} END)"
    )


def zone_name_sql(raw: str, zones: dict[str, str]) -> str:
    """True where the text ends in a zone name nobody has defined."""
    return f"REGEXP_MATCHES({with_mapped_zones(raw, zones)}, '{ZONE_NAME}')"


def plausible_range(col: Column, ranges: dict[str, tuple[str, str]]) -> tuple[str, str]:
    return ranges.get(col.name) or col.plausible or OTHER_DATES


def out_of_range_sql(typed: str, bounds: tuple[str, str]) -> str:
    """True where a parsed date or time lies outside `bounds` (ISO dates; "today" allowed)."""
    low, high = (_bound(b) for b in bounds)
    return f"({typed} < {low} OR {typed} >= {high} + INTERVAL 1 DAY)"


def _bound(text: str) -> str:
    if text == "today":
        return "CAST(CURRENT_DATE AS TIMESTAMP)"
    return f"CAST({sql_string(dt.date.fromisoformat(text).isoformat())} AS TIMESTAMP)"


def describe_range(bounds: tuple[str, str]) -> str:
    return f"{bounds[0]} to {bounds[1]}"
