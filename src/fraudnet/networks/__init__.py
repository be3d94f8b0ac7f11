"""Organised groups behind flagged accounts: networks, roles with evidence, ranking.

`build_networks(engine)` expands from alerts and reported fraud payments, groups the members
into networks and writes `networks` and `network_roles`. See docs/networks.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fraudnet.lazy import lazy_exports

if TYPE_CHECKING:
    from fraudnet.networks.api import NetworkResult, build_networks, network_id
    from fraudnet.networks.expand import ExpansionSettings

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "NetworkResult": "fraudnet.networks.api",
        "build_networks": "fraudnet.networks.api",
        "network_id": "fraudnet.networks.api",
        "ExpansionSettings": "fraudnet.networks.expand",
    },
)


__all__ = ["ExpansionSettings", "NetworkResult", "build_networks", "network_id"]
