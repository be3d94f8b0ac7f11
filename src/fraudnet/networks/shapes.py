"""Laundering shapes (AML typology catalogues, and AMLSim's eight) found in a network's payments.

Each shape is a class in `SHAPES`, tried in order on the network's directed payment graph
(igraph); the first that matches names the network's typology and gives each account a role
that fits the shape: the hub a fan-in gathers to is a collector, the source of a fan-out or a
scatter is an originator (herder role), the accounts in between are mules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import igraph as ig
import polars as pl


@dataclass(frozen=True)
class ShapeGraph:
    """A network's payments as a simple directed graph, with the payment ids on each edge."""

    names: list[str]
    graph: ig.Graph
    txn_ids: list[str]

    def sources(self) -> list[int]:
        return [v for v in range(len(self.names)) if self.indeg(v) == 0]

    def sinks(self) -> list[int]:
        return [v for v in range(len(self.names)) if self.outdeg(v) == 0]

    def middles(self) -> list[int]:
        return [v for v in range(len(self.names)) if self.indeg(v) and self.outdeg(v)]

    def indeg(self, v: int) -> int:
        return int(self.graph.degree(v, mode="in"))

    def outdeg(self, v: int) -> int:
        return int(self.graph.degree(v, mode="out"))

    def complete(self, left: list[int], right: list[int]) -> bool:
        """Every account in `left` pays every account in `right`."""
        return all(self.graph.are_adjacent(a, b) for a in left for b in right)


def shape_graph(payments: pl.DataFrame) -> ShapeGraph:
    """payments: src, dst, txn_id (one network's, between its members)."""
    names = sorted(set(payments["src"].to_list()) | set(payments["dst"].to_list()))
    index = {name: i for i, name in enumerate(names)}
    pairs = payments.unique(["src", "dst"]).sort("src", "dst")
    edges = [(index[a], index[b]) for a, b in pairs.select("src", "dst").rows() if a != b]
    graph = ig.Graph(n=len(names), edges=edges, directed=True)
    graph.vs["name"] = list(range(len(names)))
    return ShapeGraph(names, graph, sorted(payments["txn_id"].to_list()))


class Shape:
    """One laundering typology: `roles` returns account -> role when the graph has the shape."""

    name: ClassVar[str]

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        raise NotImplementedError


class Cycle(Shape):
    name = "cycle"

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        n = len(g.names)
        ring = all(g.indeg(v) == 1 and g.outdeg(v) == 1 for v in range(n))
        if n >= 3 and ring and len(g.graph.connected_components(mode="strong")) == 1:
            return dict.fromkeys(range(n), "mule_tier2plus")
        return None


class RandomWalk(Shape):
    """Money wandering among the same accounts: cycles that are not one simple loop."""

    name = "random"

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        if g.graph.is_dag():
            return None
        return dict.fromkeys(range(len(g.names)), "mule_tier2plus")


class FanIn(Shape):
    name = "fan_in"

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        sinks, sources = g.sinks(), g.sources()
        if g.middles() or len(sinks) != 1 or len(sources) < 2:
            return None
        return {v: "collector" if v == sinks[0] else "mule_tier1" for v in range(len(g.names))}


class FanOut(Shape):
    name = "fan_out"

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        sinks, sources = g.sinks(), g.sources()
        if g.middles() or len(sources) != 1 or len(sinks) < 2:
            return None
        return {v: "herder" if v == sources[0] else "mule_tier1" for v in range(len(g.names))}


class Bipartite(Shape):
    name = "bipartite"

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        sinks, sources = g.sinks(), g.sources()
        if g.middles() or len(sources) < 2 or len(sinks) < 2:
            return None
        return {v: "mule_tier1" if v in sources else "mule_tier2plus" for v in range(len(g.names))}


class Chain(Shape):
    """Money passed along a line, each account paying the next: a loop whose closing members
    were not found (on the AMLSim development worlds most such chains were cycles found in
    part; a stack or a scatter-gather has accounts paid by, or paying, two or more)."""

    name = "cycle"

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        n = len(g.names)
        line = all(g.indeg(v) <= 1 and g.outdeg(v) <= 1 for v in range(n))
        if n < 3 or not line or not g.graph.is_dag() or not g.graph.is_connected(mode="weak"):
            return None
        return dict.fromkeys(range(n), "mule_tier2plus")


class GatherScatter(Shape):
    name = "gather_scatter"

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        middles = g.middles()
        if len(middles) != 1 or g.indeg(middles[0]) < 2 or g.outdeg(middles[0]) < 2:
            return None
        hub = middles[0]
        if len(g.sources()) + len(g.sinks()) + 1 != len(g.names):
            return None
        return {v: "collector" if v == hub else "mule_tier1" for v in range(len(g.names))}


class ScatterGather(Shape):
    name = "scatter_gather"

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        sources, sinks, middles = g.sources(), g.sinks(), g.middles()
        if len(sources) != 1 or len(sinks) != 1 or len(middles) < 2:
            return None
        fed = sum(1 for m in middles if g.graph.are_adjacent(sources[0], m))
        if fed * 2 < len(middles):  # most of the middle is paid by the source
            return None
        roles = dict.fromkeys(middles, "mule_tier2plus")
        return {**roles, sources[0]: "herder", sinks[0]: "collector"}


class Stack(Shape):
    """Layers: every source pays every middle account, every middle pays every sink."""

    name = "stack"

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        sources, sinks, middles = g.sources(), g.sinks(), g.middles()
        if not middles or not g.complete(sources, middles) or not g.complete(middles, sinks):
            return None
        if g.graph.ecount() != len(middles) * (len(sources) + len(sinks)):
            return None
        roles = dict.fromkeys(middles, "mule_tier2plus") | dict.fromkeys(sinks, "collector")
        return roles | dict.fromkeys(sources, "mule_tier1")


class Layered(Shape):
    """Anything else acyclic with accounts in between: money walked on through layers."""

    name = "random"

    def roles(self, g: ShapeGraph) -> dict[int, str] | None:
        if not g.middles():
            return None
        roles = dict.fromkeys(range(len(g.names)), "mule_tier2plus")
        return roles | dict.fromkeys(g.sinks(), "collector")


SHAPES: tuple[Shape, ...] = (
    Cycle(), RandomWalk(), FanIn(), FanOut(), Bipartite(), Chain(), GatherScatter(),
    ScatterGather(), Stack(), Layered(),
)  # fmt: skip


@dataclass(frozen=True)
class ShapeMatch:
    """The typology a network's payments make, the payments, and the role each account plays."""

    typology: str
    txn_ids: list[str]
    roles: dict[str, str]


def find_shape(payments: pl.DataFrame) -> ShapeMatch | None:
    """The first shape in `SHAPES` the payments make (three or more accounts), else None."""
    g = shape_graph(payments)
    if len(g.names) < 3:
        return None
    for shape in SHAPES:
        found = shape.roles(g)
        if found is not None:
            return ShapeMatch(shape.name, g.txn_ids, {g.names[v]: r for v, r in found.items()})
    return None


def _two_core(payments: pl.DataFrame) -> pl.DataFrame:
    """The payments between accounts tied to two or more others (leaves peeled off)."""
    g = shape_graph(payments)
    core = g.graph.as_undirected().k_core(2)
    keep = sorted(g.names[v["name"]] for v in core.vs) if "name" in core.vs.attributes() else []
    return payments.filter(pl.col("src").is_in(keep) & pl.col("dst").is_in(keep))


def find_core_shape(payments: pl.DataFrame) -> ShapeMatch | None:
    """`find_shape`, but where the whole only reads as a random walk and the accounts tied
    to two or more others make a named shape (a bipartite or stack ring with strangers'
    payments hanging off it), that shape."""
    whole = find_shape(payments)
    if whole is None or whole.typology != "random":
        return whole
    core = find_shape(_two_core(payments))
    return core if core is not None and core.typology != "random" else whole
