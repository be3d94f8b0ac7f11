"""Reading resolution output as plain Python sets for assertions."""

from __future__ import annotations

from fraudnet.engine import Engine


def entity_of(engine: Engine) -> dict[str, str]:
    rows = engine.table("entities").to_pylist()
    return {str(r["party_id"]): str(r["entity_id"]) for r in rows}


def groups(engine: Engine) -> set[frozenset[str]]:
    members: dict[str, set[str]] = {}
    for party, entity in entity_of(engine).items():
        members.setdefault(entity, set()).add(party)
    return {frozenset(m) for m in members.values()}
