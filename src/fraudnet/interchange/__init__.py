"""Interchange: what fraudnet finds, in the formats its users' tools open.

`export_network(engine, network_id, "ftm" | "misp" | "stix" | "anx", out)` writes one network
as FollowTheMoney JSON lines, a MISP event, a STIX 2.1 bundle or an i2 ANX chart, validated
by the format's own library. Formats are classes in a registry (`export_format`,
`export_formats`); see docs/interchange.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fraudnet.lazy import lazy_exports

if TYPE_CHECKING:
    from fraudnet.interchange.network import NetworkData, load_network
    from fraudnet.interchange.registry import (
        ExportFormat,
        ExportInvalid,
        ExportOptions,
        ExportResult,
        ExportSummary,
        export_format,
        export_formats,
        export_network,
        register_format,
    )

_REGISTRY = "fraudnet.interchange.registry"
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ExportFormat": _REGISTRY,
        "ExportInvalid": _REGISTRY,
        "ExportOptions": _REGISTRY,
        "ExportResult": _REGISTRY,
        "ExportSummary": _REGISTRY,
        "export_format": _REGISTRY,
        "export_formats": _REGISTRY,
        "export_network": _REGISTRY,
        "register_format": _REGISTRY,
        "NetworkData": "fraudnet.interchange.network",
        "load_network": "fraudnet.interchange.network",
    },
)

__all__ = [
    "ExportFormat",
    "ExportInvalid",
    "ExportOptions",
    "ExportResult",
    "ExportSummary",
    "NetworkData",
    "export_format",
    "export_formats",
    "export_network",
    "load_network",
    "register_format",
]
