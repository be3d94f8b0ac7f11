"""How a source file's columns become a canonical table's columns.

A mapping is data, usually a small YAML file::

    table: transactions
    columns:              # source column: canonical column
      TranID: txn_id
      Amount: amount
      When: ts
    timestamp_formats: ["%d/%m/%Y %H:%M"]   # tried after ISO 8601
    date_formats: ["%d/%m/%Y"]
    constants: {currency: GBP, channel: fps}
    values:               # source value -> canonical value, per canonical column
      channel: {TRANSFER: fps, "CASH-OUT": cash_out}
    lenient: [opened_at]  # unparseable values in these optional columns become empty
    defaults: {kind: personal}  # used where the source value is empty
    decimal: point        # or comma: how amounts are written (see docs/ingest.md)
    zones: {BST: "+01:00"}  # zone names the source writes, and the offset each means
    ranges: {ts: ["2015-01-01", "2030-12-31"]}  # plausible dates ("today" allowed)
    encoding: utf-16      # when the file has no byte-order mark and is not UTF-8
    delimiter: ";"

An unknown key, or a value of the wrong shape, is an error naming it.

SQL expressions and row filters exist only in built-in mappings (such as AMLSim's), never
in user files: a mapping file is data, not code.
With no mapping, a file whose header already uses canonical names loads as it is.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fraudnet.errors import FraudnetError
from fraudnet.ingest.amounts import AMOUNT_RULES
from fraudnet.schema import get_table, ingestible_tables

IDENTITY_DEFAULTS: dict[str, dict[str, str]] = {"labels": {"source": "analyst"}}


class MappingError(FraudnetError, ValueError):
    """A mapping that cannot be applied to a file, with the file and field named."""


ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z_/]{1,40}$")
OFFSET = re.compile(r"^[+-][0-9]{2}:[0-9]{2}$")


@dataclass(frozen=True)
class Mapping:
    """Source-to-canonical rules for one target table."""

    table: str
    columns: dict[str, str] = field(default_factory=dict)  # source -> canonical
    constants: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)  # used where the source is empty
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    value_defaults: dict[str, str] = field(default_factory=dict)
    expressions: dict[str, str] = field(default_factory=dict)  # canonical -> SQL over raw columns
    timestamp_formats: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = ()
    lenient: tuple[str, ...] = ()
    filter_sql: str | None = None
    decimal: str = "point"
    zones: dict[str, str] = field(default_factory=dict)  # zone name -> "+HH:MM"
    ranges: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> (from, to)
    encoding: str | None = None
    delimiter: str | None = None

    def __post_init__(self) -> None:
        if self.table not in ingestible_tables():
            known = ", ".join(ingestible_tables())
            raise MappingError(f"cannot ingest into {self.table!r}; tables: {known}")
        declared = set(get_table(self.table).column_names)
        named = [
            *self.columns.values(),
            *self.constants,
            *self.defaults,
            *self.values,
            *self.expressions,
            *self.lenient,
            *self.ranges,
        ]
        unknown = sorted(set(named) - declared)
        if unknown:
            raise MappingError(
                f"mapping for {self.table}: {', '.join(unknown)} not columns of {self.table}"
            )
        if self.decimal not in AMOUNT_RULES:
            raise MappingError(
                f"decimal must be one of {', '.join(AMOUNT_RULES)}", field=self.decimal
            )

    def source_for(self, canonical: str, source_columns: list[str]) -> str | None:
        """The source column feeding `canonical`: mapped, or same-named (case-insensitive)."""
        for source, target in self.columns.items():
            if target == canonical and source in source_columns:
                return source
        if canonical in self.columns.values():
            return None
        lowered = {c.lower().strip(): c for c in source_columns}
        return lowered.get(canonical.lower())

    @classmethod
    def identity(cls, table: str) -> Mapping:
        """Canonical headers, no renaming; labels without a source are an analyst's."""
        return cls(table=table, defaults=dict(IDENTITY_DEFAULTS.get(table, {})))

    @classmethod
    def from_dict(
        cls, raw: dict[str, Any], default_table: str | None = None, file: str | None = None
    ) -> Mapping:
        _check_keys(raw, file)
        table = raw.get("table", default_table)
        if not table:
            raise MappingError("mapping names no target table (`table:`)", file=file)
        read = _Reader(raw, file)
        try:
            return cls(
                table=str(table),
                columns=read.texts("columns"),
                constants=read.texts("constants"),
                defaults={**IDENTITY_DEFAULTS.get(str(table), {}), **read.texts("defaults")},
                values={k: read.texts("values", k) for k in read.texts_or_maps("values")},
                value_defaults=read.texts("value_defaults"),
                timestamp_formats=read.words("timestamp_formats"),
                date_formats=read.words("date_formats"),
                lenient=read.words("lenient"),
                decimal=read.word("decimal") or "point",
                zones=read.zones(),
                ranges=read.ranges(),
                encoding=read.word("encoding"),
                delimiter=read.delimiter(),
            )
        except MappingError as err:
            if file is None or err.file:
                raise
            raise MappingError(err.message, file=file, field=err.field) from err

    @classmethod
    def from_yaml(cls, path: Path, default_table: str | None = None) -> Mapping:
        try:
            raw = yaml.safe_load(Path(path).read_text())
        except (OSError, yaml.YAMLError) as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise MappingError(f"cannot read mapping: {first}", file=str(path)) from err
        if not isinstance(raw, dict):
            raise MappingError("a mapping file must be a YAML mapping", file=str(path))
        return cls.from_dict(raw, default_table, file=str(path))


MAPPING_KEYS = (
    "table",
    "columns",
    "constants",
    "defaults",
    "values",
    "value_defaults",
    "timestamp_formats",
    "date_formats",
    "lenient",
    "decimal",
    "zones",
    "ranges",
    "encoding",
    "delimiter",
)
"""Every key a mapping file may hold; anything else is an error naming it."""


def _check_keys(raw: dict[Any, Any], file: str | None) -> None:
    for key in raw:
        if key not in MAPPING_KEYS:
            close = difflib.get_close_matches(str(key), MAPPING_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise MappingError(
                f"unknown key in mapping{hint}; known keys: {', '.join(MAPPING_KEYS)}",
                file=file,
                field=str(key),
            )


class _Reader:
    """Reads one mapping's values, each checked for its shape, errors naming the key."""

    def __init__(self, raw: dict[str, Any], file: str | None) -> None:
        self.raw, self.file = raw, file

    def _fail(self, key: str, shape: str) -> MappingError:
        return MappingError(f"must be {shape}", file=self.file, field=key)

    def texts_or_maps(self, key: str) -> dict[str, Any]:
        value = self.raw.get(key) or {}
        if not isinstance(value, dict):
            raise self._fail(key, "a mapping of names to values")
        return {str(k): v for k, v in value.items()}

    def texts(self, key: str, inner: str | None = None) -> dict[str, str]:
        value = self.texts_or_maps(key)
        if inner is not None:
            value = value[inner] or {}
            if not isinstance(value, dict):
                raise self._fail(f"{key}.{inner}", "a mapping of source values to values")
        for k, v in value.items():
            if isinstance(v, dict | list) or v is None:
                raise self._fail(f"{key}.{k}" if inner is None else f"{key}.{inner}.{k}", "text")
        return {str(k): str(v) for k, v in value.items()}

    def words(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key) or []
        if isinstance(value, str) or not isinstance(value, list):
            raise self._fail(key, "a list")
        if any(isinstance(v, dict | list) or v is None for v in value):
            raise self._fail(key, "a list of texts")
        return tuple(str(v) for v in value)

    def word(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is not None and not isinstance(value, str):
            raise self._fail(key, "text")
        return value

    def delimiter(self) -> str | None:
        value = self.word("delimiter")
        if value is not None and (len(value) != 1 or value in '"\r\n'):
            raise self._fail("delimiter", "one character other than a quote or line break")
        return value

    def zones(self) -> dict[str, str]:
        zones = self.texts("zones")
        for name, offset in zones.items():
            if not ZONE_NAME.match(name) or not OFFSET.match(offset):
                raise self._fail(f"zones.{name}", 'a zone name and an offset such as "+01:00"')
        return zones

    def ranges(self) -> dict[str, tuple[str, str]]:
        ranges: dict[str, tuple[str, str]] = {}
        for column, bounds in self.texts_or_maps("ranges").items():
            if not isinstance(bounds, list) or len(bounds) != 2:
                raise self._fail(f"ranges.{column}", "a list of two dates")
            low, high = (str(b) for b in bounds)
            for bound in (low, high):
                if bound != "today":
                    try:
                        dt.date.fromisoformat(bound)
                    except ValueError as err:
                        raise self._fail(f"ranges.{column}", 'ISO dates or "today"') from err
            ranges[column] = (low, high)
        return ranges
