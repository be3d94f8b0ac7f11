"""CSV files a spreadsheet can open without running anything (OWASP CSV injection).

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets; such cells get a leading single quote, which those
programs show as text. Numbers, dates and timestamps are not text and are written as they are.
Parquet output is never changed: it is for programs, not spreadsheets.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from fraudnet.atomic import atomic_path

FORMULA_START = r"^([=+\-@\t\r])"


def neutralise_formulas(table: pa.Table) -> pa.Table:
    """Prefix every text cell that a spreadsheet would read as a formula with `'`."""
    columns = [_neutralised(col) for col in table.columns]
    return pa.Table.from_arrays(columns, names=table.column_names)


def write_safe_csv(table: pa.Table, path: str | Path) -> Path:
    """Write `table` as CSV with formula cells neutralised, atomically and owner-only."""
    final = Path(path)
    with atomic_path(final) as tmp:
        pa_csv.write_csv(neutralise_formulas(table), str(tmp))
    return final


def _neutralised(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column
    return pc.replace_substring_regex(column, pattern=FORMULA_START, replacement="'\\1")


__all__ = ["FORMULA_START", "neutralise_formulas", "write_safe_csv"]
