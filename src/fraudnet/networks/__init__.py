"""Organised groups behind flagged accounts: networks, roles with evidence, ranking.

`build_networks(engine)` expands from alerts and reported fraud payments, groups the members
into networks and writes `networks` and `network_roles`. See docs/networks.md.
"""

from __future__ import annotations

from fraudnet.networks.api import NetworkResult, build_networks, network_id
from fraudnet.networks.expand import ExpansionSettings

__all__ = ["ExpansionSettings", "NetworkResult", "build_networks", "network_id"]
