"""Redaction of personal data before it leaves the store (`--redact`).

Masked: the columns `name`, `given_name`, `family_name`, `dob`, `address`, `postcode`,
`phone` and `email` in any table (parties, events), and in `identifiers` the `value` of
phone, email, address, document and card identifiers. A masked cell reads `[redacted]`
(an empty cell stays empty, so a reader still sees which values were present). Ids,
countries, cities, devices, IPs and money are kept: they are what an investigation links on.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

MASK = "[redacted]"
PERSONAL_COLUMNS = (
    "name",
    "given_name",
    "family_name",
    "dob",
    "address",
    "postcode",
    "phone",
    "email",
)
PERSONAL_IDENTIFIER_KINDS = ("phone", "email", "address", "document", "card")


def redact_table(name: str, table: pa.Table) -> pa.Table:
    """`table` (the stored table called `name`) with its personal values masked."""
    for column in PERSONAL_COLUMNS:
        if column in table.column_names:
            table = _mask(table, column, pc.is_valid(table.column(column)))
    if name == "identifiers":
        kinds = pa.array(PERSONAL_IDENTIFIER_KINDS, pa.string())
        personal = pc.fill_null(pc.is_in(table.column("kind"), value_set=kinds), False)
        table = _mask(table, "value", pc.and_(personal, pc.is_valid(table.column("value"))))
    return table


def mask_text(value: str | None) -> str | None:
    """One personal value as a report shows it when redacted."""
    return None if value is None else MASK


def _mask(table: pa.Table, column: str, where: pa.ChunkedArray) -> pa.Table:
    as_text = pc.cast(table.column(column), pa.string())
    masked = pc.if_else(where, pa.scalar(MASK, pa.string()), as_text)
    index = table.column_names.index(column)
    return table.set_column(index, column, masked)


__all__ = ["MASK", "PERSONAL_COLUMNS", "PERSONAL_IDENTIFIER_KINDS", "mask_text", "redact_table"]
