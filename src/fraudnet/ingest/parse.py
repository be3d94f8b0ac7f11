"""Builds the one staging query that parses, normalises and validates a source file.

The query is DuckDB-dialect SQL (Spark runs it through sqlglot). It produces the canonical
columns already typed, plus `_err_field`, `_err_reason`, `_err_value` naming the first
problem of a row in words a person understands, and `_raw`, the whole row as JSON, for
rows that will go to quarantine.
"""

from __future__ import annotations

from fraudnet.engine.base import quote
from fraudnet.ingest.amounts import AMOUNT_RULES, ambiguous_sql, amount_sql, sub_penny_sql
from fraudnet.ingest.mapping import Mapping, MappingError
from fraudnet.ingest.sqltext import sql_string
from fraudnet.ingest.times import (
    describe_range,
    out_of_range_sql,
    plausible_range,
    timestamp_sql,
    zone_name_sql,
)
from fraudnet.schema import get_table
from fraudnet.schema.model import Column

ACCOUNT_COLUMNS = {
    ("transactions", "src_account"),
    ("transactions", "dst_account"),
    ("accounts", "account_id"),
    ("labels", "subject"),
}
"""Columns holding account ids, normalised once at ingest (IBAN, UK sort code + number)."""

NON_NEGATIVE = {("transactions", "amount"), ("fraud_reports", "amount")}

TYPE_WORDS = {
    "DECIMAL(18,2)": "amount",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
    "BIGINT": "whole number",
    "DOUBLE": "number",
    "BOOLEAN": "true/false value",
}

TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")


INVISIBLE = "[\\x{200B}-\\x{200D}\\x{2060}\\x{FEFF}]"
"""Zero-width space, non-joiner, joiner, word joiner, BOM: removed from account ids."""
CONTROL = "[\\x00-\\x1F\\x7F-\\x9F]"
"""Control characters (NUL, tab, CR, ...): an account id still holding one is quarantined."""
EDGE_SPACE = "^[ \\t\\r\\n]+|[ \\t\\r\\n]+$"


def _clean_account(expr: str) -> str:
    """Invisible characters removed and whitespace (tabs too) trimmed from both ends."""
    visible = f"REGEXP_REPLACE({expr}, '{INVISIBLE}', '', 'g')"
    return f"NULLIF(REGEXP_REPLACE({visible}, '{EDGE_SPACE}', '', 'g'), '')"


def _raw_value(mapping: Mapping, col: Column, source_columns: list[str]) -> str:
    """The text feeding a canonical column: expression, constant, mapped or same-named."""
    if col.name in mapping.expressions:
        expr = f"NULLIF(TRIM(CAST(({mapping.expressions[col.name]}) AS VARCHAR)), '')"
    elif col.name in mapping.constants:
        expr = sql_string(mapping.constants[col.name])
    else:
        source = mapping.source_for(col.name, source_columns)
        expr = f"NULLIF(TRIM({quote(source)}), '')" if source else "CAST(NULL AS VARCHAR)"
    if (mapping.table, col.name) in ACCOUNT_COLUMNS:
        expr = _clean_account(expr)
    if col.name in mapping.values:
        cases = " ".join(
            f"WHEN {sql_string(k)} THEN {sql_string(v)}"
            for k, v in mapping.values[col.name].items()
        )
        default = mapping.value_defaults.get(col.name)
        fallback = sql_string(default) if default is not None else expr
        expr = (
            f"(CASE WHEN {expr} IS NULL THEN NULL ELSE CASE {expr} {cases} ELSE {fallback} END END)"
        )
    if col.name in mapping.defaults:
        expr = f"COALESCE({expr}, {sql_string(mapping.defaults[col.name])})"
    return expr


IBAN = "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"


def _normalise_account(expr: str) -> str:
    """IBAN: upper case without spaces; sort code + number (any separators): GB-ssssss-nnnnnnnn."""
    compact = f"UPPER(REPLACE({expr}, ' ', ''))"
    digits = expr
    for separator in ("GB-", "-", " ", "/"):
        digits = f"REPLACE({digits}, '{separator}', '')"
    return (
        f"(CASE WHEN LENGTH({digits}) = 14 AND REGEXP_MATCHES({digits}, '^[0-9]{{14}}$') "
        f"THEN 'GB-' || SUBSTRING({digits}, 1, 6) || '-' || SUBSTRING({digits}, 7, 8) "
        f"WHEN LENGTH({compact}) >= 15 AND REGEXP_MATCHES({compact}, '{IBAN}') THEN {compact} "
        f"ELSE {expr} END)"
    )


def _typed(mapping: Mapping, col: Column, raw: str) -> str:
    """Parse text into the declared type; NULL where it cannot be parsed."""
    if col.type == "VARCHAR":
        if (mapping.table, col.name) in ACCOUNT_COLUMNS:
            return _normalise_account(raw)
        if col.name == "currency":
            return f"UPPER({raw})"
        if col.enum:
            return f"LOWER({raw})"
        return raw
    if col.type == "DECIMAL(18,2)":
        return amount_sql(AMOUNT_RULES[mapping.decimal], raw)
    if col.type == "TIMESTAMP":
        layouts = [*mapping.timestamp_formats, *mapping.date_formats]
        return _in_range(mapping, col, timestamp_sql(raw, mapping.zones, layouts))
    if col.type == "DATE":
        tries = [f"TRY_CAST({raw} AS DATE)"]
        tries += [
            f"CAST(TRY_STRPTIME({raw}, {sql_string(f)}) AS DATE)" for f in mapping.date_formats
        ]
        tries += [f"TRY_CAST(TRY_CAST({raw} AS TIMESTAMP) AS DATE)"]
        return _in_range(mapping, col, f"COALESCE({', '.join(tries)})")
    if col.type == "BOOLEAN":
        t = ", ".join(sql_string(w) for w in TRUE_WORDS)
        f = ", ".join(sql_string(w) for w in FALSE_WORDS)
        return (
            f"(CASE WHEN LOWER({raw}) IN ({t}) THEN TRUE WHEN LOWER({raw}) IN ({f}) THEN FALSE END)"
        )
    return f"TRY_CAST({raw} AS {col.type})"


def _in_range(mapping: Mapping, col: Column, typed: str) -> str:
    """Lenient columns drop an implausible date; the others keep it for the range check."""
    if col.name not in mapping.lenient:
        return typed
    bounds = plausible_range(col, mapping.ranges)
    return f"(CASE WHEN NOT {out_of_range_sql(typed, bounds)} THEN {typed} END)"


def _value_checks(mapping: Mapping, col: Column) -> list[tuple[str, str]]:
    """Why a typed value is NULL when it is not simply unreadable, checked before 'unparseable'."""
    raw, typed = quote(f"_r_{col.name}"), quote(col.name)
    word = col.name.replace("_", " ")
    failed = f"{raw} IS NOT NULL AND {typed} IS NULL AND "
    if col.type == "DECIMAL(18,2)":
        rule = AMOUNT_RULES[mapping.decimal]
        hint = "use --decimal-comma" if rule.name == "point" else "drop decimal: comma"
        return [
            (
                failed + sub_penny_sql(rule, raw),
                sql_string(f"sub-penny {word}: more than two decimals, not rounded"),
            ),
            (
                failed + ambiguous_sql(rule, raw),
                sql_string(
                    f"ambiguous {word}: not valid with '{rule.decimal_mark}' as the decimal "
                    f"mark ({hint} if the file writes decimals the other way)"
                ),
            ),
        ]
    if col.type == "TIMESTAMP":
        return [
            (
                failed + zone_name_sql(raw, mapping.zones),
                sql_string(f"zone name in {word}: give an offset or map the name under zones:"),
            )
        ]
    return []


def _checks(mapping: Mapping, col: Column) -> list[tuple[str, str]]:
    """(condition, reason SQL) pairs, in the order a person would fix them."""
    raw, typed = quote(f"_r_{col.name}"), quote(col.name)
    word = col.name.replace("_", " ")
    checks: list[tuple[str, str]] = []
    if col.required:
        checks.append((f"{raw} IS NULL", sql_string(f"missing {word}")))
    if (mapping.table, col.name) in ACCOUNT_COLUMNS:
        checks.append(
            (
                f"REGEXP_MATCHES({raw}, '{CONTROL}')",
                sql_string(f"control character in {word}"),
            )
        )
    if col.name not in mapping.lenient:
        checks += _value_checks(mapping, col)
    if col.type != "VARCHAR" and col.name not in mapping.lenient:
        what = TYPE_WORDS.get(col.type, col.type.lower())
        checks.append(
            (
                f"{raw} IS NOT NULL AND {typed} IS NULL",
                sql_string(f"unparseable {what}" + ("" if what == word else f" in {word}")),
            )
        )
    if col.enum:
        allowed = ", ".join(sql_string(v) for v in col.enum)
        checks.append(
            (
                f"{typed} IS NOT NULL AND {typed} NOT IN ({allowed})",
                sql_string(f"unknown {word}"),
            )
        )
    if (mapping.table, col.name) in NON_NEGATIVE:
        checks.append((f"{typed} < 0", sql_string(f"negative {word}")))
        checks.append((f"{typed} = 0", sql_string(f"zero {word}")))
    if col.type in ("TIMESTAMP", "DATE") and col.name not in mapping.lenient:
        bounds = plausible_range(col, mapping.ranges)
        checks.append(
            (
                out_of_range_sql(typed, bounds),
                sql_string(f"{word} outside the plausible range {describe_range(bounds)}"),
            )
        )
    return checks


def _row_checks(table: str) -> list[tuple[str, str, str]]:
    """Checks across columns: (field, condition, reason SQL)."""
    if table == "transactions":
        return [
            (
                "dst_account",
                "src_account IS NULL AND dst_account IS NULL",
                sql_string("payment has neither a source nor a destination account"),
            )
        ]
    return []


def build_stage_query(mapping: Mapping, source_columns: list[str], relation: str) -> str:
    """The staging SELECT for `mapping` over `relation` (text columns + `_row`).

    Rows outside the mapping's filter are kept with `_keep = FALSE` so row numbers stay
    those of the file; loading ignores them.
    """
    table = get_table(mapping.table)
    _check_required_sources(mapping, source_columns)
    raws = [(c, _raw_value(mapping, c, source_columns)) for c in table.columns]
    inner = ", ".join(f"{expr} AS {quote('_r_' + c.name)}" for c, expr in raws)
    typed = ", ".join(
        f"{_typed(mapping, c, quote('_r_' + c.name))} AS {quote(c.name)}" for c in table.columns
    )
    raw_json = ", ".join(f"{quote(s)} := {quote(f'_s_{i}')}" for i, s in enumerate(source_columns))
    keep = f"({mapping.filter_sql})" if mapping.filter_sql else "TRUE"

    conditions: list[tuple[str, str, str]] = []  # (field, condition, reason)
    for col in table.columns:
        for cond, reason in _checks(mapping, col):
            conditions.append((col.name, cond, reason))
    conditions += _row_checks(mapping.table)
    if conditions:
        field = " ".join(f"WHEN {c} THEN {sql_string(f)}" for f, c, _ in conditions)
        reason = " ".join(f"WHEN {c} THEN {r}" for _, c, r in conditions)
        value = " ".join(f"WHEN {c} THEN {quote('_r_' + f)}" for f, c, _ in conditions)
        errors = (
            f"CASE {field} END AS _err_field, CASE {reason} END AS _err_reason, "
            f"CASE {value} END AS _err_value"
        )
    else:
        errors = "NULL AS _err_field, NULL AS _err_reason, NULL AS _err_value"
    raw_cols = ", ".join(f"{quote(s)} AS {quote(f'_s_{i}')}" for i, s in enumerate(source_columns))
    return (
        f"SELECT {', '.join(quote(c.name) for c in table.columns)}, _row, _keep, "
        f"CAST(_err_field AS VARCHAR) AS _err_field, CAST(_err_reason AS VARCHAR) AS _err_reason, "
        f"CAST(_err_value AS VARCHAR) AS _err_value, "
        f"CASE WHEN _err_reason IS NOT NULL THEN TO_JSON(STRUCT_PACK({raw_json})) END AS _raw "
        f"FROM (SELECT *, {errors} FROM (SELECT *, {typed} FROM (SELECT {raw_cols}"
        f"{', ' if raw_cols else ''}_row, COALESCE({keep}, FALSE) AS _keep, {inner} "
        f"FROM {relation}) AS r) AS t) AS e"
    )


def _check_required_sources(mapping: Mapping, source_columns: list[str]) -> None:
    table = get_table(mapping.table)
    for col in table.columns:
        if not col.required:
            continue
        fed = (
            col.name in mapping.expressions
            or col.name in mapping.constants
            or col.name in mapping.defaults
            or mapping.source_for(col.name, source_columns) is not None
        )
        if not fed:
            raise MappingError(
                f"no column for required field {col.name!r} of {table.name} "
                f"(columns found: {', '.join(source_columns) or 'none'}); "
                "name it in the header or map it with --mapping",
                field=col.name,
            )
