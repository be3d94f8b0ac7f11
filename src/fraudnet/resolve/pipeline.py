"""`resolve_parties`: parties in, entities, scored links and identifier links out.

Steps: normalise -> Splink (load the saved model, or train and save it) -> predict pairs
above the threshold -> per-field evidence -> cluster honouring judgements -> stable ids ->
identifier links -> one atomic commit of `entities`, `entity_links`, `identifier_links` and
`entity_changes`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.resolve.backends import splink_backend
from fraudnet.resolve.blocking import BlockingReport, add_blocking_keys
from fraudnet.resolve.cluster import CONFIRMED, Clusters, cluster_parties
from fraudnet.resolve.evidence import links_with_evidence
from fraudnet.resolve.identifier_links import identifier_links, party_identifiers
from fraudnet.resolve.judgements import NEGATIVE, POSITIVE, latest_judgements
from fraudnet.resolve.normalise import normalise_parties
from fraudnet.resolve.stable_ids import assign_entity_ids
from fraudnet.resolve.threshold import DEFAULT_THRESHOLD
from fraudnet.resolve.training import (
    ModelInfo,
    default_model_path,
    linker_from_saved,
    model_fields,
    save_model,
    train_linker,
)

NO_LINKS = pl.DataFrame(
    schema={
        "party_id_l": pl.String,
        "party_id_r": pl.String,
        "match_probability": pl.Float64,
        "match_weight": pl.Float64,
        "agreed_fields": pl.String,
        "evidence": pl.String,
    }
)
Progress = Callable[[str], None]


@dataclass(slots=True)
class ResolutionResult:
    """What a resolution run wrote, as Arrow tables, plus counts and timings."""

    entities: pa.Table
    entity_links: pa.Table
    identifier_links: pa.Table
    entity_changes: pa.Table
    model: ModelInfo
    threshold: float
    timings: dict[str, float] = field(default_factory=dict)
    identifiers_too_widely_shared: int = 0
    blocking: BlockingReport | None = None

    @property
    def n_parties(self) -> int:
        return self.entities.num_rows

    @property
    def n_entities(self) -> int:
        return len(set(self.entities.column("entity_id").to_pylist()))

    def summary(self) -> dict[str, Any]:
        status = pl.from_arrow(self.entity_links.select(["status"]))
        assert isinstance(status, pl.DataFrame)
        counts = dict(status.group_by("status").len().iter_rows())
        return {
            "parties": self.n_parties,
            "entities": self.n_entities,
            "links_linked": int(counts.get("linked", 0)),
            "links_confirmed": int(counts.get("confirmed", 0)),
            "links_cut": int(counts.get("cut", 0)),
            "identifier_links": self.identifier_links.num_rows,
            "entity_id_changes": self.entity_changes.num_rows,
            "threshold": self.threshold,
            "model_trained": self.model.trained,
            "model_reused": self.model.reused,
            "model_state": self.model.state,
            "model_path": str(self.model.path) if self.model.path else None,
            "seconds": round(sum(self.timings.values()), 2),
        }


def present_fields(prepared: pl.DataFrame) -> set[str]:
    """Columns with at least two non-null values: only those can be compared."""
    return {c for c in prepared.columns if prepared.height - prepared[c].null_count() >= 2}


class _Clock:
    def __init__(self, progress: Progress | None) -> None:
        self.timings: dict[str, float] = {}
        self._progress = progress
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self._last, 3)
        self._last = now
        if self._progress is not None:
            self._progress(name)


def resolve_parties(
    engine: Engine,
    threshold: float = DEFAULT_THRESHOLD,
    model_path: str | Path | None = None,
    retrain: bool = False,
    progress: Progress | None = None,
) -> ResolutionResult:
    """Link `parties` into entities with Splink and write the resolution tables."""
    if not 0.0 < threshold < 1.0:
        raise InvalidValueError("threshold must be a probability strictly between 0 and 1")
    clock = _Clock(progress)
    now = datetime.now(UTC).replace(tzinfo=None)
    prepared = normalise_parties(engine.table("parties"))
    clock.lap("normalise")
    path = Path(model_path) if model_path is not None else default_model_path(engine)
    links, model, blocking = _score(engine, prepared, path, retrain, threshold, clock)
    judged = latest_judgements(engine)
    clusters = cluster_parties(
        prepared["party_id"],
        links.select("party_id_l", "party_id_r", "match_probability"),
        judged.filter(pl.col("judgement") == POSITIVE),
        judged.filter(pl.col("judgement") == NEGATIVE),
    )
    clock.lap("cluster")
    previous = pl.from_arrow(engine.table("entities"))
    assert isinstance(previous, pl.DataFrame)
    ids = assign_entity_ids(clusters.membership, previous, now)
    entities = _entities(ids.assignments, links, clusters, now)
    link_rows = _link_rows(links, clusters, judged, ids.assignments, now)
    shared, too_wide = identifier_links(party_identifiers(engine, prepared))
    id_links = _with_same_entity(shared, ids.assignments, now)
    changes = ids.changes.with_columns(pl.lit(now).alias("changed_at"))
    clock.lap("entities")
    tables = {
        "entities": entities.to_arrow(),
        "entity_links": link_rows.to_arrow(),
        "identifier_links": id_links.to_arrow(),
    }
    engine.commit(replaces=tables, appends={"entity_changes": changes.to_arrow()})
    clock.lap("write")
    return ResolutionResult(
        entities=engine.table("entities", order_by=["entity_id", "party_id"]),
        entity_links=tables["entity_links"],
        identifier_links=tables["identifier_links"],
        entity_changes=changes.to_arrow(),
        model=model,
        threshold=threshold,
        timings=clock.timings,
        identifiers_too_widely_shared=too_wide,
        blocking=blocking,
    )


def _score(
    engine: Engine,
    prepared: pl.DataFrame,
    path: Path,
    retrain: bool,
    threshold: float,
    clock: _Clock,
) -> tuple[pl.DataFrame, ModelInfo, BlockingReport | None]:
    """Scored pairs above the threshold (with evidence), from a saved or fresh model, and
    what blocking generated."""
    if prepared.height < 2:  # nothing to pair up: no model needed
        return NO_LINKS.clear(), ModelInfo(None, trained=False, reused=False, fields=()), None
    present = present_fields(prepared)
    keyed, blocking = add_blocking_keys(prepared, present)
    clock.lap("blocking")
    backend = splink_backend(engine)
    try:
        frame = backend.register(keyed.to_arrow())
        reuse = path.exists() and not retrain
        trained = False
        if reuse:
            linker = linker_from_saved(frame, path, present)
        else:
            linker, trained = train_linker(frame, present, prepared.height)
            if trained:
                save_model(linker, path)
        model = linker.misc.save_model_to_json(out_path=None)
        saved = path if (reuse or trained) else None
        info = ModelInfo(saved, trained=trained, reused=reuse, fields=model_fields(model))
        clock.lap("model")
        predictions = backend.fetch(linker.inference.predict(threshold_match_probability=threshold))
        clock.lap("predict")
    finally:
        backend.close()
    links = links_with_evidence(predictions, model)
    clock.lap("evidence")
    return links, info, blocking


def _entities(
    assignments: pl.DataFrame, links: pl.DataFrame, clusters: Clusters, now: datetime
) -> pl.DataFrame:
    """One row per party with its strongest in-entity link as evidence."""
    used = links.join(
        clusters.links.filter(pl.col("status") != "cut"), on=["party_id_l", "party_id_r"]
    )
    confirmed = clusters.links.filter(pl.col("status") == CONFIRMED).select(
        "party_id_l", "party_id_r"
    )
    both_ways = pl.concat(
        [
            used.select(
                pl.col("party_id_l").alias("party_id"),
                pl.col("party_id_r").alias("partner"),
                "match_probability",
                "match_weight",
                "agreed_fields",
            ),
            used.select(
                pl.col("party_id_r").alias("party_id"),
                pl.col("party_id_l").alias("partner"),
                "match_probability",
                "match_weight",
                "agreed_fields",
            ),
        ]
    )
    best = (
        both_ways.sort(
            "match_probability", "match_weight", "partner", descending=[True, True, False]
        )
        .group_by("party_id", maintain_order=True)
        .agg(
            pl.col("partner").first(),
            pl.col("match_probability").first(),
            pl.col("match_weight").first(),
            pl.col("agreed_fields").first(),
            pl.len().alias("n_links"),
        )
    )
    confirmed_ids = (
        pl.concat(
            [
                confirmed.select(pl.col("party_id_l").alias("party_id")),
                confirmed.select(pl.col("party_id_r").alias("party_id")),
            ]
        )
        .unique()
        .with_columns(pl.lit(True).alias("confirmed"))
    )
    evidence = pl.struct(
        pl.col("partner").alias("best_match"),
        pl.col("match_weight").round(3),
        pl.col("agreed_fields"),
        pl.col("n_links"),
        pl.col("confirmed").fill_null(False).alias("confirmed_by_analyst"),
    ).struct.json_encode()
    table = assignments.join(best, on="party_id", how="left").join(
        confirmed_ids, on="party_id", how="left"
    )
    size = pl.len().over("entity_id").cast(pl.Int64)
    probability = (
        pl.when(pl.col("confirmed")).then(pl.lit(1.0)).otherwise(pl.col("match_probability"))
    )
    return table.select(
        "entity_id",
        "party_id",
        pl.when(size > 1).then(probability).otherwise(None).alias("match_probability"),
        pl.when(size > 1).then(evidence).otherwise(None).alias("evidence"),
        size.alias("entity_size"),
        "entity_created_at",
        pl.lit(now).alias("resolved_at"),
    ).sort("entity_id", "party_id")


def _link_rows(
    links: pl.DataFrame,
    clusters: Clusters,
    judged: pl.DataFrame,
    assignments: pl.DataFrame,
    now: datetime,
) -> pl.DataFrame:
    pair = ["party_id_l", "party_id_r"]
    rows = clusters.links.join(links, on=pair, how="left")
    rows = rows.join(judged.select(*pair, "judgement"), on=pair, how="left")
    left = assignments.select(
        pl.col("party_id").alias("party_id_l"), pl.col("entity_id").alias("e_l")
    )
    right = assignments.select(
        pl.col("party_id").alias("party_id_r"), pl.col("entity_id").alias("e_r")
    )
    rows = rows.join(left, on="party_id_l", how="left").join(right, on="party_id_r", how="left")
    same = pl.when(pl.col("e_l") == pl.col("e_r")).then(pl.col("e_l")).otherwise(None)
    return rows.select(
        *pair,
        "match_probability",
        "match_weight",
        "agreed_fields",
        "evidence",
        "judgement",
        "status",
        same.alias("entity_id"),
        pl.lit(now).alias("resolved_at"),
    ).sort(pair)


def _with_same_entity(
    shared: pl.DataFrame, assignments: pl.DataFrame, now: datetime
) -> pl.DataFrame:
    left = assignments.select(
        pl.col("party_id").alias("party_id_l"), pl.col("entity_id").alias("e_l")
    )
    right = assignments.select(
        pl.col("party_id").alias("party_id_r"), pl.col("entity_id").alias("e_r")
    )
    rows = shared.join(left, on="party_id_l", how="left").join(right, on="party_id_r", how="left")
    same = pl.when(pl.col("e_l") == pl.col("e_r")).then(pl.col("e_l")).otherwise(None)
    return rows.select(
        "party_id_l",
        "party_id_r",
        "kind",
        "value",
        "n_parties",
        same.alias("same_entity"),
        pl.lit(now).alias("resolved_at"),
    )
