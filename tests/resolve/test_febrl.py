from __future__ import annotations

import polars as pl

from fraudnet.engine import Engine
from fraudnet.resolve import resolve_parties
from fraudnet.resolve.febrl import load_febrl3


def test_febrl3_subsample_f1(duck_store: Engine) -> None:
    """~1,000 FEBRL3 records (all records of 400 people), national id unused: F1 >= 0.97."""
    parties, truth = load_febrl3()
    frame = pl.from_arrow(parties)
    assert isinstance(frame, pl.DataFrame)
    person = frame["party_id"].str.extract(r"rec-(\d+)-").cast(pl.Int64)
    subsample = frame.filter(person < 400)
    assert 900 <= subsample.height <= 1100
    assert "soc_sec_id" not in subsample.columns
    duck_store.append("parties", subsample.to_arrow())
    result = resolve_parties(duck_store, threshold=0.9)
    assert result.model.trained
    ids = set(subsample["party_id"].to_list())
    true_pairs = {p for p in truth if p[0] in ids and p[1] in ids}
    entities = pl.from_arrow(result.entities)
    assert isinstance(entities, pl.DataFrame)
    same = entities.join(entities, on="entity_id").filter(
        pl.col("party_id") < pl.col("party_id_right")
    )
    found = set(zip(same["party_id"].to_list(), same["party_id_right"].to_list(), strict=True))
    hits = len(found & true_pairs)
    precision, recall = hits / len(found), hits / len(true_pairs)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.97, (precision, recall, f1)
