from __future__ import annotations

import json
from pathlib import Path

import pytest

from fraudnet.engine import open_engine
from fraudnet.resolve import judge_link, resolve_parties
from tests.resolve import worlds
from tests.resolve.helpers import entity_of


def _run(
    location: Path, engine_name: str
) -> tuple[dict[str, str], dict[tuple[str, str], dict[str, object]]]:
    with open_engine(location, engine_name) as engine:
        engine.commit(appends={"parties": worlds.parties(), "identifiers": worlds.identifiers()})
        judge_link(engine, "bank1:002", "bank2:900", "NEGATIVE", "a1")
        result = resolve_parties(engine)
        links = {
            (str(r["party_id_l"]), str(r["party_id_r"])): r for r in result.entity_links.to_pylist()
        }
        return entity_of(engine), links


@pytest.mark.spark
def test_duckdb_and_spark_give_the_same_entities(tmp_path: Path) -> None:
    duck_entities, duck_links = _run(tmp_path / "s.duckdb", "duckdb")
    spark_entities, spark_links = _run(tmp_path / "spark-store", "spark")
    assert spark_entities == duck_entities
    assert spark_links.keys() == duck_links.keys()
    for pair, duck in duck_links.items():
        spark = spark_links[pair]
        assert spark["status"] == duck["status"]
        if duck["match_probability"] is not None:
            assert spark["match_probability"] == pytest.approx(duck["match_probability"], abs=1e-6)
            duck_levels = {e["field"]: e["level"] for e in json.loads(str(duck["evidence"]))}
            spark_levels = {e["field"]: e["level"] for e in json.loads(str(spark["evidence"]))}
            assert spark_levels == duck_levels
