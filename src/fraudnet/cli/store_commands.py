"""Store commands: ingest, status, export."""

from __future__ import annotations
