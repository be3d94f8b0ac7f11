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

SQL expressions and row filters exist only in built-in mappings (such as AMLSim's), never
in user files: a mapping file is data, not code.
With no mapping, a file whose header already uses canonical names loads as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fraudnet.schema import get_table, ingestible_tables

IDENTITY_DEFAULTS: dict[str, dict[str, str]] = {"labels": {"source": "analyst"}}


class MappingError(ValueError):
    """A mapping that cannot be applied to a file, with the file and field named."""


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
        ]
        unknown = sorted(set(named) - declared)
        if unknown:
            raise MappingError(
                f"mapping for {self.table}: {', '.join(unknown)} not columns of {self.table}"
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
    def from_dict(cls, raw: dict[str, Any], default_table: str | None = None) -> Mapping:
        table = raw.get("table", default_table)
        if not table:
            raise MappingError("mapping names no target table (`table:`)")
        values = {
            k: {str(a): str(b) for a, b in v.items()} for k, v in (raw.get("values") or {}).items()
        }
        return cls(
            table=str(table),
            columns={str(k): str(v) for k, v in (raw.get("columns") or {}).items()},
            constants={str(k): str(v) for k, v in (raw.get("constants") or {}).items()},
            defaults={
                **IDENTITY_DEFAULTS.get(str(table), {}),
                **{str(k): str(v) for k, v in (raw.get("defaults") or {}).items()},
            },
            values=values,
            value_defaults={str(k): str(v) for k, v in (raw.get("value_defaults") or {}).items()},
            timestamp_formats=tuple(raw.get("timestamp_formats") or ()),
            date_formats=tuple(raw.get("date_formats") or ()),
            lenient=tuple(raw.get("lenient") or ()),
        )

    @classmethod
    def from_yaml(cls, path: Path, default_table: str | None = None) -> Mapping:
        try:
            raw = yaml.safe_load(Path(path).read_text())
        except (OSError, yaml.YAMLError) as err:
            raise MappingError(f"{path}: cannot read mapping: {err}") from err
        if not isinstance(raw, dict):
            raise MappingError(f"{path}: a mapping file must be a YAML mapping")
        return cls.from_dict(raw, default_table)
