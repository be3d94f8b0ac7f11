"""Ingest: CSV, Parquet and JSON Lines (or a known source layout) into canonical tables.

>>> from fraudnet import open_store, ingest
>>> store = open_store("fraudnet.duckdb")
>>> result = ingest(store, "labels.csv", table="labels")
>>> result.to_arrow()   # per file and table: read, loaded, duplicate, quarantined
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fraudnet.engine import Engine
from fraudnet.ingest.load import (
    FileLoad,
    IngestError,
    IngestResult,
    Progress,
    TableOutcome,
    load_files,
)
from fraudnet.ingest.mapping import Mapping, MappingError
from fraudnet.ingest.readers import detect_format
from fraudnet.ingest.sources import SOURCE_FORMATS, get_source_format


def ingest(
    engine: Engine,
    path: str | Path,
    table: str | None = None,
    mapping: str | Path | Mapping | None = None,
    input_format: str | None = None,
    source_format: str | None = None,
    with_labels: bool = False,
    progress: Progress | None = None,
    encoding: str | None = None,
    decimal_comma: bool = False,
) -> IngestResult:
    """Load one file (or a source directory with `source_format`) into the store.

    Re-running the same ingest adds nothing; rejected rows go to `quarantine` with file,
    line, field and reason; the whole run commits atomically. `encoding` and
    `decimal_comma` override what the mapping says.
    """
    location = Path(path).resolve()
    if source_format is not None:
        loads = get_source_format(source_format).loads(location, with_labels)
    else:
        if with_labels:
            raise IngestError("--with-labels applies to source formats such as amlsim")
        fmt = input_format or detect_format(location)
        loads = [FileLoad(location, fmt, _mapping(mapping, table))]
    if encoding or decimal_comma:
        loads = [
            dataclasses.replace(ld, mapping=_told(ld.mapping, encoding, decimal_comma))
            for ld in loads
        ]
    return load_files(engine, loads, progress)


def _told(mapping: Mapping, encoding: str | None, decimal_comma: bool) -> Mapping:
    """The mapping with what the command line says about encoding and decimals."""
    return dataclasses.replace(
        mapping,
        encoding=encoding or mapping.encoding,
        decimal="comma" if decimal_comma else mapping.decimal,
    )


def _mapping(mapping: str | Path | Mapping | None, table: str | None) -> Mapping:
    if isinstance(mapping, Mapping):
        return mapping
    if mapping is not None:
        return Mapping.from_yaml(Path(mapping), default_table=table)
    if table is None:
        raise IngestError("say which table the file is for (--table) or give a --mapping")
    return Mapping.identity(table)


__all__ = [
    "SOURCE_FORMATS",
    "FileLoad",
    "IngestError",
    "IngestResult",
    "Mapping",
    "MappingError",
    "TableOutcome",
    "ingest",
]
