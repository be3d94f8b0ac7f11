"""Loads staged files into canonical tables: idempotent, atomic, and losing nothing.

Every row read ends in exactly one place: the target table (new), nowhere because it is
already there with identical content (duplicate), or `quarantine` with a reason. All of a
run's changes (tables, quarantine, ingest_log) land in one engine commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from fraudnet.engine import Engine, RawRead
from fraudnet.engine.base import StageBuilder, quote
from fraudnet.ingest.mapping import Mapping
from fraudnet.ingest.parse import build_stage_query, sql_string
from fraudnet.schema import get_table

Progress = Callable[[str], None]
ROWS_PER_PART = 1_000_000_000_000


class IngestError(ValueError):
    """A file that cannot be ingested at all (missing, empty, unknown format)."""


@dataclass(frozen=True)
class FileLoad:
    """One source file feeding one canonical table through a mapping."""

    path: Path
    fmt: str
    mapping: Mapping


@dataclass
class TableOutcome:
    file: str
    table: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_duplicate: int = 0
    rows_quarantined: int = 0


@dataclass
class IngestResult:
    """What a run did, per file and table, and why rows were quarantined."""

    load_id: str
    outcomes: list[TableOutcome] = field(default_factory=list)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)

    @property
    def rows_quarantined(self) -> int:
        return sum(o.rows_quarantined for o in self.outcomes)

    @property
    def rows_loaded(self) -> int:
        return sum(o.rows_loaded for o in self.outcomes)

    def to_arrow(self) -> pa.Table:
        return pa.Table.from_pylist([vars(o) for o in self.outcomes])


def detect_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() not in (".gz", ".zst")]
    last = suffixes[-1] if suffixes else ""
    formats = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".parquet": "parquet", ".pq": "parquet"}
    formats |= {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
    if last not in formats:
        raise IngestError(f"{path}: cannot tell the format from the extension; use --input-format")
    return formats[last]


def load_files(
    engine: Engine, loads: list[FileLoad], progress: Progress | None = None
) -> IngestResult:
    """Stage, classify and commit `loads` in one atomic step; see the module docstring."""
    say = progress or (lambda _msg: None)
    result = IngestResult(load_id=uuid.uuid4().hex)
    started = _now()
    staged: list[tuple[FileLoad, RawRead]] = []
    temps: list[str] = []
    try:
        for i, load in enumerate(loads):
            _check_file(load.path)
            say(f"reading {load.path.name} into {load.mapping.table}")
            view = f"fn_stage_{result.load_id[:8]}_{i}"
            temps.append(view)
            raw = engine.stage(load.path, load.fmt, view, _builder(load.mapping))
            staged.append((load, raw))
        appends: dict[str, str] = {}
        quarantine_sql: list[str] = []
        rejects = _rejects_table(staged)
        engine.temp_table(f"fn_rejects_{result.load_id[:8]}", rejects)
        temps.append(f"fn_rejects_{result.load_id[:8]}")
        by_table: dict[str, list[int]] = defaultdict(list)
        for i, (load, _) in enumerate(staged):
            by_table[load.mapping.table].append(i)
        for table, parts in by_table.items():
            say(f"checking {table} for duplicates and conflicts")
            plan = _TablePlan(engine, result, table, [(i, staged[i]) for i in parts], temps)
            appends[table] = plan.new_rows_sql()
            quarantine_sql.append(plan.quarantine_sql())
            result.outcomes += plan.outcomes()
        quarantine_sql.append(_reader_rejects_sql(result.load_id, staged))
        quarantined = f"fn_quarantine_{result.load_id[:8]}"
        engine.temp_table(quarantined, _dedupe_quarantine(" UNION ALL ".join(quarantine_sql)))
        temps.append(quarantined)
        appends["quarantine"] = _new_quarantine_rows(quarantined, result.load_id)
        for o in result.outcomes:
            rejected = sum(
                len(raw.rejected)
                for (ld, raw) in staged
                if str(ld.path) == o.file and ld.mapping.table == o.table
            )
            o.rows_quarantined += rejected
            o.rows_read += rejected
        result.quarantine_reasons = _reason_counts(engine, quarantined)
        say("committing")
        log = _log_rows(result, loads, started)
        engine.commit(appends={**appends, "ingest_log": log})
    finally:
        for view in temps:
            engine.drop_temp(view)
    return result


def _builder(mapping: Mapping) -> StageBuilder:
    def build(columns: list[str], relation: str) -> str:
        return build_stage_query(mapping, columns, relation)

    return build


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _check_file(path: Path) -> None:
    if not path.exists():
        raise IngestError(f"{path}: no such file")
    if path.is_dir():
        raise IngestError(f"{path}: is a directory; name a file or use --format for a source")
    if path.stat().st_size == 0:
        raise IngestError(f"{path}: file is empty")


def _rejects_table(staged: list[tuple[FileLoad, RawRead]]) -> pa.Table:
    rows = [
        {"part": i, "line": line, "reason": reason, "raw": raw}
        for i, (_, read) in enumerate(staged)
        for line, reason, raw in read.rejected
    ]
    schema = pa.schema(
        [("part", pa.int64()), ("line", pa.int64()), ("reason", pa.string()), ("raw", pa.string())]
    )
    return pa.Table.from_pylist(rows, schema=schema)


class _TablePlan:
    """Classifies one table's staged rows into new, duplicate and conflicting."""

    def __init__(
        self,
        engine: Engine,
        result: IngestResult,
        table: str,
        parts: list[tuple[int, tuple[FileLoad, RawRead]]],
        temps: list[str],
    ) -> None:
        self.engine, self.table, self.parts, self.load_id = engine, table, parts, result.load_id
        self.declared = get_table(table)
        self.cols = self.declared.column_names
        tag = f"{result.load_id[:8]}_{table}"
        self.dups, self.dupclass, self.existing = f"fn_dups_{tag}", f"fn_dupc_{tag}", f"fn_ex_{tag}"
        temps += [self.dups, self.dupclass, self.existing]
        self.union = " UNION ALL ".join(
            f"SELECT *, CAST({i} AS BIGINT) AS _part, "
            f"CAST({i} AS BIGINT) * {ROWS_PER_PART} + _row AS _ord FROM {quote(raw.view)} "
            "WHERE _keep"
            for i, (_, raw) in parts
        )
        self.lines = {i: raw for i, (_, raw) in parts}
        self.files = {i: str(load.path) for i, (load, _) in parts}
        self._classify()

    def _match(self, a: str, b: str) -> str:
        return " AND ".join(
            f"{a}.{quote(k)} IS NOT DISTINCT FROM {b}.{quote(k)}" for k in self.declared.key
        )

    def _hash(self, alias: str) -> str:
        parts = ", ".join(
            f"COALESCE(CAST({alias}.{quote(c)} AS VARCHAR), '<null>')" for c in self.cols
        )
        return f"MD5(CONCAT_WS('|', {parts}))"

    def _line(self, part: str, row: str) -> str:
        cases = " ".join(f"WHEN {i} THEN {raw.line_sql(row)}" for i, raw in self.lines.items())
        return f"(CASE {part} {cases} END)"

    def _classify(self) -> None:
        keys = ", ".join(quote(k) for k in self.declared.key)
        self.engine.temp_table(
            self.dups,
            f"SELECT {keys}, MIN(_ord) AS _first_ord FROM ({self.union}) AS u "
            f"WHERE _err_reason IS NULL GROUP BY {keys} HAVING COUNT(*) > 1",
        )
        self.engine.temp_table(
            self.dupclass,
            f"SELECT v._ord, f._part AS _first_part, f._row AS _first_row, "
            f"({self._hash('v')} = {self._hash('f')}) AS _same "
            f"FROM ({self.union}) AS v JOIN {self.dups} AS d ON {self._match('v', 'd')} "
            f"JOIN ({self.union}) AS f ON f._ord = d._first_ord "
            f"WHERE v._err_reason IS NULL AND v._ord <> d._first_ord",
        )
        self.engine.temp_table(
            self.existing,
            f"SELECT v._ord, ({self._hash('v')} = {self._hash('t')}) AS _same "
            f"FROM ({self.union}) AS v JOIN {quote(self.table)} AS t ON {self._match('v', 't')} "
            f"WHERE v._err_reason IS NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {self.dupclass} AS c WHERE c._ord = v._ord)",
        )

    def new_rows_sql(self) -> str:
        cols = ", ".join(quote(c) for c in self.cols)
        return (
            f"SELECT {cols} FROM ({self.union}) AS v WHERE _err_reason IS NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {self.dupclass} AS c WHERE c._ord = v._ord) "
            f"AND NOT EXISTS (SELECT 1 FROM {self.existing} AS x WHERE x._ord = v._ord)"
        )

    def quarantine_sql(self) -> str:
        key_word = ", ".join(self.declared.key)
        key_value = (
            "CONCAT_WS('|', "
            + ", ".join(f"COALESCE(CAST(v.{quote(k)} AS VARCHAR), '')" for k in self.declared.key)
            + ")"
        )
        row_json = (
            "TO_JSON(STRUCT_PACK("
            + ", ".join(f"{quote(c)} := CAST(v.{quote(c)} AS VARCHAR)" for c in self.cols)
            + "))"
        )
        file_case = (
            "(CASE v._part "
            + " ".join(f"WHEN {i} THEN {sql_string(f)}" for i, f in self.files.items())
            + " END)"
        )
        target = sql_string(self.table)
        parse_errors = (
            f"SELECT {target} AS target_table, {file_case} AS file, "
            f"{self._line('v._part', 'v._row')} AS line, v._err_field AS field, "
            f"v._err_value AS value, v._err_reason AS reason, v._raw AS raw "
            f"FROM ({self.union}) AS v WHERE v._err_reason IS NOT NULL"
        )
        in_file = (
            f"SELECT {target}, {file_case}, {self._line('v._part', 'v._row')}, "
            f"{sql_string(key_word)}, {key_value}, "
            f"'same {key_word} as line ' || CAST({self._line('c._first_part', 'c._first_row')} "
            f"AS VARCHAR) || ' with different content', {row_json} "
            f"FROM ({self.union}) AS v JOIN {self.dupclass} AS c ON c._ord = v._ord "
            f"WHERE NOT c._same"
        )
        in_store = (
            f"SELECT {target}, {file_case}, {self._line('v._part', 'v._row')}, "
            f"{sql_string(key_word)}, {key_value}, "
            f"'same {key_word} already in the store with different content', {row_json} "
            f"FROM ({self.union}) AS v JOIN {self.existing} AS x ON x._ord = v._ord "
            f"WHERE NOT x._same"
        )
        return f"{parse_errors} UNION ALL {in_file} UNION ALL {in_store}"

    def outcomes(self) -> list[TableOutcome]:
        stats = self.engine.sql(
            f"SELECT _part, COUNT(*) AS n_read, "
            f"SUM(CASE WHEN _err_reason IS NOT NULL THEN 1 ELSE 0 END) AS n_err "
            f"FROM ({self.union}) AS u GROUP BY _part"
        ).to_pylist()
        dup = self.engine.sql(
            f"SELECT u._part AS part, c._same AS same, COUNT(*) AS n FROM {self.dupclass} AS c "
            f"JOIN ({self.union}) AS u ON u._ord = c._ord GROUP BY u._part, c._same "
            f"UNION ALL SELECT u._part, x._same, COUNT(*) FROM {self.existing} AS x "
            f"JOIN ({self.union}) AS u ON u._ord = x._ord GROUP BY u._part, x._same"
        ).to_pylist()
        out = []
        by_part = {int(s["_part"]): s for s in stats}
        for i, _ in self.parts:
            s = by_part.get(i, {"n_read": 0, "n_err": 0})
            same = sum(int(d["n"]) for d in dup if int(d["part"]) == i and d["same"])
            conflict = sum(int(d["n"]) for d in dup if int(d["part"]) == i and not d["same"])
            n_read, n_err = int(s["n_read"] or 0), int(s["n_err"] or 0)
            out.append(
                TableOutcome(
                    file=self.files[i],
                    table=self.table,
                    rows_read=n_read,
                    rows_loaded=n_read - n_err - same - conflict,
                    rows_duplicate=same,
                    rows_quarantined=n_err + conflict,
                )
            )
        return out


def _reader_rejects_sql(load_id: str, staged: list[tuple[FileLoad, RawRead]]) -> str:
    files = (
        "(CASE r.part "
        + " ".join(
            f"WHEN {i} THEN {sql_string(str(load.path))}" for i, (load, _) in enumerate(staged)
        )
        + " END)"
    )
    tables = (
        "(CASE r.part "
        + " ".join(
            f"WHEN {i} THEN {sql_string(load.mapping.table)}" for i, (load, _) in enumerate(staged)
        )
        + " END)"
    )
    return (
        f"SELECT {tables}, {files}, r.line, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), "
        f"r.reason, TO_JSON(STRUCT_PACK(line := r.raw)) FROM fn_rejects_{load_id[:8]} AS r"
    )


def _dedupe_quarantine(union_sql: str) -> str:
    """This run's rejections, each with a stable `row_ref` (table, file, line, field, reason)."""
    ref = (
        "MD5(CONCAT_WS('|', q.target_table, q.file, COALESCE(CAST(q.line AS VARCHAR), ''), "
        "COALESCE(q.field, ''), q.reason))"
    )
    return f"SELECT DISTINCT {ref} AS row_ref, q.* FROM ({union_sql}) AS q"


def _new_quarantine_rows(quarantined: str, load_id: str) -> str:
    """Rejections not already in quarantine: re-running a load adds nothing."""
    return (
        f"SELECT row_ref, target_table, file, line, field, value, reason, raw, "
        f"{sql_string(load_id)} AS load_id, CAST({sql_string(_now().isoformat(sep=' '))} "
        f"AS TIMESTAMP) AS quarantined_at FROM {quarantined} AS n "
        f"WHERE NOT EXISTS (SELECT 1 FROM quarantine AS e WHERE e.row_ref = n.row_ref)"
    )


def _reason_counts(engine: Engine, quarantined: str) -> dict[str, int]:
    rows = engine.sql(
        f"SELECT reason, COUNT(*) AS n FROM {quarantined} GROUP BY reason ORDER BY n DESC, reason"
    ).to_pylist()
    return {str(r["reason"]): int(r["n"]) for r in rows}


def _log_rows(result: IngestResult, loads: list[FileLoad], started: dt.datetime) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "load_id": f"{result.load_id}-{i}",
                "target_table": o.table,
                "file": o.file,
                "rows_read": o.rows_read,
                "rows_loaded": o.rows_loaded,
                "rows_duplicate": o.rows_duplicate,
                "rows_quarantined": o.rows_quarantined,
                "started_at": started,
                "finished_at": _now(),
            }
            for i, o in enumerate(result.outcomes)
        ]
    )
