"""Input formats (CSV, JSON Lines, Parquet) as registered readers that stage a file in an engine.

Each reader returns the staged view and the number of records the file physically holds,
counted apart from the rows it staged: lines for CSV and JSON Lines, the footer's row count
for Parquet. The loader checks that every one of them ends somewhere.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.parquet as pq

from fraudnet.engine import Engine, RawRead
from fraudnet.engine.base import StageBuilder, quote
from fraudnet.errors import FraudnetError
from fraudnet.ingest.container import COMPRESSED_SUFFIXES, file_sha256, read_source
from fraudnet.ingest.csv_records import read_csv_text
from fraudnet.ingest.jsonl_records import read_jsonl_text
from fraudnet.ingest.plain_csv import fast_path_allowed, stage_plain
from fraudnet.ingest.rows import TextRows, check_column_names

INPUT_FORMATS: dict[str, type[InputFormat]] = {}
PARQUET_MAGIC = b"PAR1"
PARQUET_DAMAGE = (
    pa.ArrowException,
    OSError,
    ValueError,
    IndexError,
    OverflowError,
    MemoryError,
    EOFError,
)
"""What pyarrow raises on a damaged or truncated file."""


@dataclass(frozen=True)
class Staged:
    """A staged file: the engine view, the records the file holds, and its content hash."""

    raw: RawRead
    records: int
    sha256: str


@dataclass(frozen=True)
class ReadOptions:
    encoding: str | None = None
    delimiter: str | None = None
    table: str | None = None
    """The table being loaded: a document format holding several tables stages that one."""


class InputFormat(ABC):
    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in vars(cls):  # an intermediate base without a name is not a format
            INPUT_FORMATS[cls.name] = cls

    @abstractmethod
    def stage(
        self, engine: Engine, path: Path, view: str, build: StageBuilder, options: ReadOptions
    ) -> Staged:
        """Stage `path` as `view` through `build`'s query."""


def get_input_format(name: str) -> InputFormat:
    if name not in INPUT_FORMATS:
        import fraudnet.interchange.imports  # noqa: F401  (registers the document formats)
    if name not in INPUT_FORMATS:
        known = ", ".join(sorted(INPUT_FORMATS))
        raise FraudnetError(f"unknown input format {name!r}; known: {known}")
    return INPUT_FORMATS[name]()


def detect_format(path: Path) -> str:
    """By extension (past .gz/.zst); failing that, Parquet's magic bytes."""
    suffixes = [s.lower() for s in path.suffixes if s.lower() not in COMPRESSED_SUFFIXES]
    last = suffixes[-1] if suffixes else ""
    for name, fmt in INPUT_FORMATS.items():
        if last in fmt.extensions:
            return name
    if path.is_file() and _has_parquet_magic(path):
        return "parquet"
    raise FraudnetError(
        "cannot tell the format from the extension; use --input-format", file=str(path)
    )


def _stage_text(engine: Engine, rows: TextRows, view: str, build: StageBuilder) -> RawRead:
    """Stage rows read in Python: named columns over the positional Arrow table."""
    source = f"{view}_text"
    engine.temp_table(source, rows.to_arrow())
    try:
        named = ", ".join(f"{quote(f'_c{i}')} AS {quote(c)}" for i, c in enumerate(rows.columns))
        relation = f"(SELECT {named}{', ' if named else ''}_row FROM {quote(source)}) AS raw"
        engine.temp_table(view, build(rows.columns, relation))
    finally:
        engine.drop_temp(source)
    return RawRead(view, rows.columns, rows.rejected)


class CsvFormat(InputFormat):
    name: ClassVar[str] = "csv"
    extensions: ClassVar[tuple[str, ...]] = (".csv", ".txt", ".tsv")

    def stage(
        self, engine: Engine, path: Path, view: str, build: StageBuilder, options: ReadOptions
    ) -> Staged:
        delimiter = options.delimiter or ("\t" if ".tsv" in _suffixes(path) else ",")
        if fast_path_allowed(options.encoding):
            plain = stage_plain(engine, path, delimiter, view, build)
            if plain is not None:
                return Staged(plain[0], plain[1], file_sha256(path))
        source = read_source(path, options.encoding)
        rows = read_csv_text(source.text, delimiter, str(path))
        return Staged(_stage_text(engine, rows, view, build), rows.physical_records, source.sha256)


class JsonLinesFormat(InputFormat):
    name: ClassVar[str] = "jsonl"
    extensions: ClassVar[tuple[str, ...]] = (".jsonl", ".ndjson", ".json")

    def stage(
        self, engine: Engine, path: Path, view: str, build: StageBuilder, options: ReadOptions
    ) -> Staged:
        source = read_source(path, options.encoding)
        rows = read_jsonl_text(source.text, str(path))
        return Staged(_stage_text(engine, rows, view, build), rows.physical_records, source.sha256)


class ParquetFormat(InputFormat):
    name: ClassVar[str] = "parquet"
    extensions: ClassVar[tuple[str, ...]] = (".parquet", ".pq")

    def stage(
        self, engine: Engine, path: Path, view: str, build: StageBuilder, options: ReadOptions
    ) -> Staged:
        table = _read_parquet(path)
        names = [str(n) for n in table.column_names]
        check_column_names(names, str(path))
        positional = table.rename_columns([f"_c{i}" for i in range(len(names))])
        rows = pa.array(range(1, table.num_rows + 1), pa.int64())
        source = f"{view}_pq"
        try:
            engine.temp_table(source, positional.append_column("_row", rows))
        except Exception as err:  # the engine cannot hold one of the file's column types
            message = f"cannot read its columns ({_first_line(err)})"
            raise FraudnetError(message, file=str(path)) from err
        try:
            casts = ", ".join(
                f"CAST({quote(f'_c{i}')} AS VARCHAR) AS {quote(n)}" for i, n in enumerate(names)
            )
            relation = f"(SELECT {casts}{', ' if casts else ''}_row FROM {quote(source)}) AS raw"
            engine.temp_table(view, build(names, relation))
        finally:
            engine.drop_temp(source)
        return Staged(RawRead(view, names), table.num_rows, file_sha256(path))


def _read_parquet(path: Path) -> pa.Table:
    """The whole table, checked against the footer's row count; damage is an error, not a crash."""
    if not _has_parquet_magic(path):
        raise FraudnetError(
            "not a Parquet file (it does not begin and end with PAR1); if it is CSV or JSON "
            "Lines, say so with --input-format",
            file=str(path),
        )
    try:
        footer_rows = pq.ParquetFile(path).metadata.num_rows
        table = pq.read_table(path)
    except PARQUET_DAMAGE as err:
        raise FraudnetError(f"damaged Parquet file ({_first_line(err)})", file=str(path)) from err
    if table.num_rows != footer_rows:
        raise FraudnetError(
            f"Parquet footer says {footer_rows} rows but {table.num_rows} could be read",
            file=str(path),
        )
    return table


def _has_parquet_magic(path: Path) -> bool:
    size = path.stat().st_size
    if size < 12:
        return False
    with open(path, "rb") as fh:
        head = fh.read(4)
        fh.seek(size - 4)
        tail = fh.read(4)
    return head == PARQUET_MAGIC and tail == PARQUET_MAGIC


def _suffixes(path: Path) -> list[str]:
    return [s.lower() for s in path.suffixes]


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
