"""Graph building blocks: grouping (igraph Leiden, SQL connected components), neighbourhoods
and the strongest money path. See docs/networks.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

# sql_components shares its submodule's name, so it is imported eagerly (see fraudnet.lazy)
from fraudnet.graph.sql_components import sql_components
from fraudnet.lazy import lazy_exports

if TYPE_CHECKING:
    from fraudnet.graph.communities import components, group_nodes
    from fraudnet.graph.queries import MoneyPath, neighbourhood, shortest_path, strongest_path

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "components": "fraudnet.graph.communities",
        "group_nodes": "fraudnet.graph.communities",
        "MoneyPath": "fraudnet.graph.queries",
        "neighbourhood": "fraudnet.graph.queries",
        "shortest_path": "fraudnet.graph.queries",
        "strongest_path": "fraudnet.graph.queries",
    },
)


__all__ = [
    "MoneyPath",
    "components",
    "group_nodes",
    "neighbourhood",
    "shortest_path",
    "sql_components",
    "strongest_path",
]
