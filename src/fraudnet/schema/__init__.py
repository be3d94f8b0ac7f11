"""The canonical and derived tables, declared once and looked up by name.

Analytic modules declare their derived tables in a module of this package and list it in
`_TABLE_MODULES`; ingest, validation, both engines and docs/data-model.md all read from here.
"""

from __future__ import annotations

import importlib

from fraudnet.schema.model import Column, Table

_TABLE_MODULES = (
    "fraudnet.schema.canonical",
    "fraudnet.schema.trace",
    "fraudnet.schema.resolve",
    "fraudnet.schema.simulate",
    "fraudnet.schema.detect",
    "fraudnet.schema.networks",
    "fraudnet.schema.share",
    "fraudnet.schema.workspace",
    "fraudnet.schema.share_psi",
)
_REGISTRY: dict[str, Table] = {}


def _load() -> dict[str, Table]:
    if not _REGISTRY:
        for module_name in _TABLE_MODULES:
            module = importlib.import_module(module_name)
            for value in vars(module).values():
                if isinstance(value, Table):
                    _REGISTRY.setdefault(value.name, value)
    return _REGISTRY


def get_table(name: str) -> Table:
    """The declared table called `name`, with a helpful error for a typo."""
    tables = _load()
    if name not in tables:
        known = ", ".join(sorted(tables))
        raise KeyError(f"unknown table {name!r}; known tables: {known}")
    return tables[name]


def all_tables() -> list[Table]:
    """Every declared table, canonical first, in declaration order."""
    return list(_load().values())


def ingestible_tables() -> list[str]:
    return [t.name for t in all_tables() if t.ingestible and not t.derived]


__all__ = ["Column", "Table", "all_tables", "get_table", "ingestible_tables"]
