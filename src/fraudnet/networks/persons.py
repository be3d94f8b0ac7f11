"""Which party records are one person, so a herder is named on every record that holds them.

A person holds accounts at several banks, one party record each (with typos, nicknames and
partial contact details). The resolved entity (`entities`, from `fraudnet resolve`) says which
records are one person. Without it, a narrow deterministic link stands in: two records with
the same date of birth that share a normalised email address or phone number. A shared phone
alone is not enough (a herder puts their number on mules' records; parents' numbers sit on
students' records), but those people were born on other days.
"""

from __future__ import annotations

import polars as pl

from fraudnet.engine import Engine

LINK_KINDS = ("email", "phone")

_SCHEMA: dict[str, pl.DataType] = {
    "party": pl.Utf8(),
    "other": pl.Utf8(),
    "kind": pl.Utf8(),
    "value": pl.Utf8(),
}


def _has_rows(engine: Engine, table: str) -> bool:
    return table in engine.table_names() and engine.count(table) > 0


def _entity_sql() -> str:
    return """
    SELECT DISTINCT p.party AS party, o.party_id AS other, 'entity' AS kind,
           e.entity_id AS value
    FROM nw_parties p JOIN entities e ON e.party_id = p.party
    JOIN entities o ON o.entity_id = e.entity_id AND o.party_id <> p.party
    """


def _deterministic_sql() -> str:
    kinds = ", ".join(f"'{k}'" for k in LINK_KINDS)
    return f"""
    WITH keyed AS (
        SELECT i.owner AS party, i.kind, i.value, p.dob
        FROM identifiers i JOIN parties p ON p.party_id = i.owner
        WHERE i.owner_kind = 'party' AND i.kind IN ({kinds}) AND p.dob IS NOT NULL
    )
    SELECT DISTINCT a.party, b.party AS other, a.kind, a.value
    FROM keyed a JOIN nw_parties m ON a.party = m.party
    JOIN keyed b ON a.kind = b.kind AND a.value = b.value AND a.dob = b.dob
    WHERE a.party <> b.party
    """


def same_person_links(engine: Engine, parties: list[str]) -> pl.DataFrame:
    """party, other, kind, value: other records of the same person as each of `parties`
    (kind 'entity' when resolution decided it, else the shared email or phone)."""
    if not parties:
        return pl.DataFrame(schema=_SCHEMA)
    if _has_rows(engine, "entities"):
        sql = _entity_sql()
    elif _has_rows(engine, "identifiers") and _has_rows(engine, "parties"):
        sql = _deterministic_sql()
    else:
        return pl.DataFrame(schema=_SCHEMA)
    frame = pl.DataFrame({"party": sorted(set(parties))}, schema={"party": pl.Utf8})
    engine.temp_table("nw_parties", frame.to_arrow())
    links = pl.from_arrow(engine.sql(sql))
    engine.drop_temp("nw_parties")
    assert isinstance(links, pl.DataFrame)
    return links.cast(_SCHEMA).sort("party", "other", "kind", "value")  # type: ignore[arg-type]


def person_keys(parties: list[str], links: pl.DataFrame) -> dict[str, str]:
    """party -> the smallest party id among it and its linked records (one key per person)."""
    key = {p: p for p in parties}
    for party, other in zip(links["party"].to_list(), links["other"].to_list(), strict=True):
        if party in key:
            key[party] = min(key[party], other)
    return key
