"""docs/data-model.md is generated from the schema; it must match the code."""

from __future__ import annotations

from pathlib import Path

from fraudnet.schema import all_tables, get_table
from fraudnet.schema.docs import render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"


def test_doc_matches_schema() -> None:
    assert DOC.read_text() == render_markdown(), (
        "docs/data-model.md is stale: run `python -m fraudnet.schema.docs > docs/data-model.md`"
    )


def test_every_column_is_described() -> None:
    text = DOC.read_text()
    for table in all_tables():
        assert f"## `{table.name}`" in text
        for col in table.columns:
            assert col.description.strip(), f"{table.name}.{col.name} has no description"
            assert f"| `{col.name}` |" in text


def test_money_is_decimal_everywhere() -> None:
    for name in ("transactions", "fraud_reports"):
        assert get_table(name).column("amount").type == "DECIMAL(18,2)"
