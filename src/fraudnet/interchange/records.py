"""Documents (XML reports, statements, entity streams) read as rows of canonical tables.

One goAML report or camt.053 statement holds payments, accounts and parties at once. A
`DocumentFormat` extracts them all (once per file, cached by content hash), then stages the
rows of the one table a load asks for, through the same staging query, duplicate checks and
quarantine as a CSV. Each row keeps the line of its element and an `xpath` naming it; an entry
the reader refuses (schema error, unreadable value) goes to quarantine with that XPath, and a
document that cannot be read at all is one quarantined record naming the file and the reason.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from fraudnet.engine import Engine, RawRead
from fraudnet.engine.base import StageBuilder, quote
from fraudnet.ingest.container import file_sha256, printable
from fraudnet.ingest.readers import InputFormat, ReadOptions, Staged
from fraudnet.ingest.rows import TextRows
from fraudnet.schema import get_table

PER_LINE = 10_000
"""Rows are numbered line * PER_LINE + n so several records on one line stay distinct."""
Values = dict[str, str | None]


@dataclass
class Extracted:
    """Per table: the rows read (line, values) and the entries refused (line, reason, raw)."""

    rows: dict[str, list[tuple[int, Values]]] = field(default_factory=dict)
    rejects: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)

    def add(self, table: str, line: int, xpath: str, values: Values) -> None:
        self.rows.setdefault(table, []).append((line, {**values, "xpath": xpath}))

    def reject(self, table: str, line: int, xpath: str, reason: str, snippet: str = "") -> None:
        entry = printable(snippet[:2000])
        raw = json.dumps({"xpath": xpath, "entry": entry}, ensure_ascii=False)
        said = printable(f"{reason} at {xpath}")
        self.rejects.setdefault(table, []).append((line, said, raw))


class DocumentFormat(InputFormat):
    """An input format whose file holds rows of several tables; subclasses extract them."""

    extensions: ClassVar[tuple[str, ...]] = ()
    primary_table: ClassVar[str] = "transactions"
    """Where a refusal of the whole document is recorded (once, not once per table)."""
    _cache: ClassVar[dict[tuple[str, str], Extracted]] = {}

    @abstractmethod
    def extract(self, path: Path) -> Extracted:
        """Every row and refusal of the document at `path`; never raises for bad content."""

    def read_document(self, path: Path) -> Extracted:
        """`extract`; an empty document is refused as such: every file ends somewhere."""
        got = self.extract(path)
        if not any(got.rows.values()) and not any(got.rejects.values()):
            got.reject(self.primary_table, 1, "/", "document holds no records this format reads")
        return got

    def stage(
        self, engine: Engine, path: Path, view: str, build: StageBuilder, options: ReadOptions
    ) -> Staged:
        sha = file_sha256(path)
        key = (self.name, sha)
        if key not in self._cache:
            self._cache.clear()  # one document at a time: its tables are loaded together
            self._cache[key] = self.read_document(path)
        got = self._cache[key]
        table = options.table or self.primary_table
        columns = [*get_table(table).column_names, "xpath"]
        rows = TextRows(columns)
        rows.values = [[] for _ in columns]
        entries = got.rows.get(table, [])
        numbers = _numbers([line for line, _ in entries])
        for number, (_, values) in zip(numbers, entries, strict=True):
            rows.add(number, [values.get(c) for c in columns])
        rows.rejected = list(got.rejects.get(table, []))
        rows.physical_records = len(entries) + len(rows.rejected)
        template = "CAST(FLOOR(({col}) / " + str(PER_LINE) + ") AS BIGINT)"
        return Staged(_stage(engine, rows, view, build, template), rows.physical_records, sha)


def _numbers(lines: list[int]) -> list[int]:
    """Distinct row numbers that still give each record's line (see PER_LINE)."""
    seen: dict[int, int] = {}
    numbers = []
    for line in lines:
        n = seen.get(line, 0)
        seen[line] = n + 1
        numbers.append(max(line, 1) * PER_LINE + min(n, PER_LINE - 1))
    if len(set(numbers)) != len(numbers):  # over PER_LINE records on one line: number them
        return [(i + 1) * PER_LINE for i in range(len(lines))]
    return numbers


def _stage(
    engine: Engine, rows: TextRows, view: str, build: StageBuilder, template: str
) -> RawRead:
    source = f"{view}_doc"
    engine.temp_table(source, rows.to_arrow())
    try:
        named = ", ".join(f"{quote(f'_c{i}')} AS {quote(c)}" for i, c in enumerate(rows.columns))
        relation = f"(SELECT {named}, _row FROM {quote(source)}) AS raw"
        engine.temp_table(view, build(rows.columns, relation))
    finally:
        engine.drop_temp(source)
    return RawRead(view, rows.columns, rows.rejected, line_template=template)


def local(tag: Any) -> str:
    """An element's name without its namespace."""
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def xpath_of(element: Any) -> str:
    """/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]: local names, position among same-named siblings."""
    parts = []
    node = element
    while node is not None:
        parent = node.getparent()
        name = local(node.tag)
        if parent is None:
            parts.append(name)
        else:
            same = [c for c in parent if local(c.tag) == name]
            parts.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/" + "/".join(reversed(parts))


def line_of(element: Any) -> int:
    line = getattr(element, "sourceline", None)
    return int(line) if isinstance(line, int) and line > 0 else 1
