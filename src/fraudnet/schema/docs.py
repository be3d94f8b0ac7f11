"""Renders docs/data-model.md from the declared schema so the two cannot drift apart."""

from __future__ import annotations

from fraudnet.schema import all_tables
from fraudnet.schema.model import Table

HEADER = """# Data model

Generated from `fraudnet.schema` by `python -m fraudnet.schema.docs > docs/data-model.md`;
a test fails when this file and the code disagree. Money is DECIMAL(18,2); every TIMESTAMP
is UTC (stored without a zone). On Spark, DECIMAL/TIMESTAMP map to DecimalType(18,2) and
TimestampNTZType.
"""


def render_table(table: Table) -> str:
    lines = [f"## `{table.name}`", "", table.description, "", f"Key: `{', '.join(table.key)}`", ""]
    lines += ["| column | type | required | meaning |", "| --- | --- | --- | --- |"]
    for col in table.columns:
        meaning = col.description
        if col.enum:
            meaning += " One of: " + ", ".join(f"`{v}`" for v in col.enum) + "."
        lines.append(f"| `{col.name}` | {col.type} | {'yes' if col.required else ''} | {meaning} |")
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    return HEADER + "\n" + "\n".join(render_table(t) for t in all_tables())


if __name__ == "__main__":
    print(render_markdown(), end="")
