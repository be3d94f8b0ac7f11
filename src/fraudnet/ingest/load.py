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

from fraudnet.engine import Engine
from fraudnet.engine.base import StageBuilder, quote
from fraudnet.errors import FraudnetError
from fraudnet.ingest.mapping import Mapping
from fraudnet.ingest.parse import build_stage_query
from fraudnet.ingest.readers import ReadOptions, Staged, get_input_format
from fraudnet.ingest.sqltext import sql_string
from fraudnet.schema import get_table

Progress = Callable[[str], None]
ROWS_PER_PART = 1_000_000_000_000


class IngestError(FraudnetError, ValueError):
    """A file that cannot be ingested at all (missing, empty, unknown format, rows lost)."""


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


def load_files(
    engine: Engine, loads: list[FileLoad], progress: Progress | None = None
) -> IngestResult:
    """Stage, classify and commit `loads` in one atomic step; see the module docstring."""
    say = progress or (lambda _msg: None)
    result = IngestResult(load_id=uuid.uuid4().hex)
    started = _now()
    tag = result.load_id[:8]
    staged: list[tuple[FileLoad, Staged]] = []
    temps: list[str] = []
    try:
        for i, load in enumerate(loads):
            _check_file(load.path)
            say(f"reading {load.path.name} into {load.mapping.table}")
            temps.append(f"fn_stage_{tag}_{i}")
            staged.append((load, _stage(engine, load, temps[-1])))
        temps.append(f"fn_rejects_{tag}")
        engine.temp_table(temps[-1], _rejects_table(staged))
        plans = _plans(engine, result, staged, temps, say)
        temps.append(f"fn_qall_{tag}")
        union = " UNION ALL ".join(
            [p.quarantine_sql() for p in plans] + [_reader_rejects_sql(tag, staged)]
        )
        engine.temp_table(temps[-1], union)
        _account(engine, result, staged, plans, temps[-1])
        quarantined = f"fn_quarantine_{tag}"
        temps.append(quarantined)
        engine.temp_table(quarantined, _dedupe_quarantine(temps[-2], staged))
        appends = {p.table: p.new_rows_sql() for p in plans}
        appends["quarantine"] = _new_quarantine_rows(quarantined, result.load_id)
        result.quarantine_reasons = _reason_counts(engine, quarantined)
        say("committing")
        log = _log_rows(result, loads, started)
        engine.commit(appends={**appends, "ingest_log": log})
    finally:
        for view in temps:
            engine.drop_temp(view)
    return result


def _stage(engine: Engine, load: FileLoad, view: str) -> Staged:
    options = ReadOptions(
        encoding=load.mapping.encoding,
        delimiter=load.mapping.delimiter,
        table=load.mapping.table,
    )
    reader = get_input_format(load.fmt)
    try:
        return reader.stage(engine, load.path, view, _builder(load.mapping), options)
    except FraudnetError as err:
        if err.file:
            raise
        raise type(err)(err.message, file=str(load.path), row=err.row, field=err.field) from err


def _plans(
    engine: Engine,
    result: IngestResult,
    staged: list[tuple[FileLoad, Staged]],
    temps: list[str],
    say: Progress,
) -> list[_TablePlan]:
    by_table: dict[str, list[int]] = defaultdict(list)
    for i, (load, _) in enumerate(staged):
        by_table[load.mapping.table].append(i)
    plans = []
    for table, parts in by_table.items():
        say(f"checking {table} for duplicates and conflicts")
        plans.append(_TablePlan(engine, result, table, [(i, staged[i]) for i in parts], temps))
    return plans


def _account(
    engine: Engine,
    result: IngestResult,
    staged: list[tuple[FileLoad, Staged]],
    plans: list[_TablePlan],
    quarantine_all: str,
) -> None:
    """Per file and table, counted apart: every record the file holds ends in one place."""
    quarantined = _counts_by_part(engine, f"SELECT part FROM {quarantine_all}")
    for plan in plans:
        loaded, duplicate, filtered = plan.counts()
        for i in plan.lines:
            load, stage = staged[i]
            outcome = TableOutcome(
                file=str(load.path),
                table=plan.table,
                rows_read=stage.records - filtered.get(i, 0),
                rows_loaded=loaded.get(i, 0),
                rows_duplicate=duplicate.get(i, 0),
                rows_quarantined=quarantined.get(i, 0),
            )
            ended = outcome.rows_loaded + outcome.rows_duplicate + outcome.rows_quarantined
            if ended != outcome.rows_read:
                raise IngestError(
                    f"rows do not add up for {plan.table}: the file holds {stage.records} "
                    f"records, {filtered.get(i, 0)} outside this table, but loaded "
                    f"{outcome.rows_loaded} + duplicate {outcome.rows_duplicate} + quarantined "
                    f"{outcome.rows_quarantined} = {ended}; nothing was committed",
                    file=str(load.path),
                )
            result.outcomes.append(outcome)


def _counts_by_part(engine: Engine, parts_sql: str) -> dict[int, int]:
    rows = engine.sql(f"SELECT part, COUNT(*) AS n FROM ({parts_sql}) AS p GROUP BY part")
    return {int(r["part"]): int(r["n"]) for r in rows.to_pylist()}


def _builder(mapping: Mapping) -> StageBuilder:
    def build(columns: list[str], relation: str) -> str:
        return build_stage_query(mapping, columns, relation)

    return build


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _check_file(path: Path) -> None:
    if not path.exists():
        raise IngestError("no such file", file=str(path))
    if path.is_dir():
        raise IngestError(
            "is a directory; name a file or use --format for a source", file=str(path)
        )
    if path.stat().st_size == 0:
        raise IngestError("file is empty", file=str(path))


def _rejects_table(staged: list[tuple[FileLoad, Staged]]) -> pa.Table:
    rows = [
        {"part": i, "line": line, "reason": reason, "raw": raw}
        for i, (_, stage) in enumerate(staged)
        for line, reason, raw in stage.raw.rejected
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
        parts: list[tuple[int, tuple[FileLoad, Staged]]],
        temps: list[str],
    ) -> None:
        self.engine, self.table, self.parts, self.load_id = engine, table, parts, result.load_id
        self.declared = get_table(table)
        self.cols = self.declared.column_names
        tag = f"{result.load_id[:8]}_{table}"
        self.dups, self.dupclass, self.existing = f"fn_dups_{tag}", f"fn_dupc_{tag}", f"fn_ex_{tag}"
        self.new = f"fn_new_{tag}"
        temps += [self.dups, self.dupclass, self.existing, self.new]
        self.views = {i: stage.raw.view for i, (_, stage) in parts}
        self.union = " UNION ALL ".join(
            f"SELECT *, CAST({i} AS BIGINT) AS _part, "
            f"CAST({i} AS BIGINT) * {ROWS_PER_PART} + _row AS _ord FROM {quote(view)} "
            "WHERE _keep"
            for i, view in self.views.items()
        )
        self.lines = {i: stage.raw for i, (_, stage) in parts}
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

        cols = ", ".join(quote(c) for c in self.cols)
        self.engine.temp_table(
            self.new,
            f"SELECT {cols}, _part FROM ({self.union}) AS v WHERE _err_reason IS NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {self.dupclass} AS c WHERE c._ord = v._ord) "
            f"AND NOT EXISTS (SELECT 1 FROM {self.existing} AS x WHERE x._ord = v._ord)",
        )

    def new_rows_sql(self) -> str:
        """The rows to append: exactly those counted as loaded."""
        return f"SELECT {', '.join(quote(c) for c in self.cols)} FROM {self.new}"

    def counts(self) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
        """Per part: rows loaded, rows already there with identical content, rows filtered out."""
        loaded = _counts_by_part(self.engine, f"SELECT _part AS part FROM {self.new}")
        same = _counts_by_part(
            self.engine,
            f"SELECT u._part AS part FROM {self.dupclass} AS c JOIN ({self.union}) AS u "
            f"ON u._ord = c._ord WHERE c._same UNION ALL SELECT u._part FROM {self.existing} "
            f"AS x JOIN ({self.union}) AS u ON u._ord = x._ord WHERE x._same",
        )
        outside = " UNION ALL ".join(
            f"SELECT CAST({i} AS BIGINT) AS part FROM {quote(view)} WHERE NOT _keep"
            for i, view in self.views.items()
        )
        return loaded, same, _counts_by_part(self.engine, outside)

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
            f"v._err_value AS value, v._err_reason AS reason, v._raw AS raw, v._part AS part "
            f"FROM ({self.union}) AS v WHERE v._err_reason IS NOT NULL"
        )
        in_file = (
            f"SELECT {target}, {file_case}, {self._line('v._part', 'v._row')}, "
            f"{sql_string(key_word)}, {key_value}, "
            f"'same {key_word} as line ' || CAST({self._line('c._first_part', 'c._first_row')} "
            f"AS VARCHAR) || ' with different content', {row_json}, v._part "
            f"FROM ({self.union}) AS v JOIN {self.dupclass} AS c ON c._ord = v._ord "
            f"WHERE NOT c._same"
        )
        in_store = (
            f"SELECT {target}, {file_case}, {self._line('v._part', 'v._row')}, "
            f"{sql_string(key_word)}, {key_value}, "
            f"'same {key_word} already in the store with different content', {row_json}, v._part "
            f"FROM ({self.union}) AS v JOIN {self.existing} AS x ON x._ord = v._ord "
            f"WHERE NOT x._same"
        )
        return f"{parse_errors} UNION ALL {in_file} UNION ALL {in_store}"


def _reader_rejects_sql(tag: str, staged: list[tuple[FileLoad, Staged]]) -> str:
    files = _case("r.part", [str(load.path) for load, _ in staged])
    tables = _case("r.part", [load.mapping.table for load, _ in staged])
    return (
        f"SELECT {tables}, {files}, r.line, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), "
        f"r.reason, TO_JSON(STRUCT_PACK(line := r.raw)), r.part FROM fn_rejects_{tag} AS r"
    )


def _case(part: str, texts: list[str]) -> str:
    whens = " ".join(f"WHEN {i} THEN {sql_string(t)}" for i, t in enumerate(texts))
    return f"(CASE {part} {whens} END)"


def _dedupe_quarantine(quarantine_all: str, staged: list[tuple[FileLoad, Staged]]) -> str:
    """This run's rejections, one per `row_ref`: table, file content, line, field and reason.

    The file's content hash, not its path, names it: the same file from another folder
    is the same rejection.
    """
    content = _case("q.part", [stage.sha256 for _, stage in staged])
    ref = (
        f"MD5(CONCAT_WS('|', q.target_table, {content}, COALESCE(CAST(q.line AS VARCHAR), ''), "
        "COALESCE(q.field, ''), q.reason))"
    )
    columns = ("target_table", "file", "line", "field", "value", "reason", "raw")
    firsts = ", ".join(f"MIN({c}) AS {c}" for c in columns)
    return (
        f"SELECT row_ref, {firsts} FROM (SELECT {ref} AS row_ref, q.* FROM {quarantine_all} AS q) "
        "AS refs GROUP BY row_ref"
    )


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
