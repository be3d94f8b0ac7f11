"""Graph building blocks: grouping (igraph Leiden, SQL connected components), neighbourhoods
and the strongest money path. See docs/networks.md."""

from __future__ import annotations

from fraudnet.graph.communities import components, group_nodes
from fraudnet.graph.queries import MoneyPath, neighbourhood, strongest_path
from fraudnet.graph.sql_components import sql_components

__all__ = [
    "MoneyPath",
    "components",
    "group_nodes",
    "neighbourhood",
    "sql_components",
    "strongest_path",
]
