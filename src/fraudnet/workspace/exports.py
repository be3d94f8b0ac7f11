"""Exporting a network's intelligence report (HTML, or PDF through Chromium), audited.

Redacted by default (holders' names and personal identifier values masked): least exposure.
The audit entry says who exported which network, in which format, redacted or not, and why.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.report import Grading, write_report
from fraudnet.workspace import audit
from fraudnet.workspace.audit import AuditEntry
from fraudnet.workspace.guard import literal, require
from fraudnet.workspace.permissions import EXPORT

FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@dataclass(frozen=True, slots=True)
class Export:
    content: bytes
    media_type: str
    filename: str
    entry: AuditEntry


def export_report(
    engine: Engine,
    user_id: str,
    network_id: str,
    fmt: str,
    reason: str,
    redact: bool = True,
    grading: Grading | None = None,
) -> Export:
    """The report's bytes; rendered first, so a failed render (no Chromium) audits nothing."""
    who = require(engine, user_id, EXPORT)
    if fmt not in FORMATS:
        raise InvalidValueError(f"format must be html or pdf, not {fmt!r}", field="format")
    if not reason.strip():
        raise InvalidValueError("an export needs a reason", field="reason")
    literal(network_id, "network_id")
    with tempfile.TemporaryDirectory() as tmp:
        path = write_report(engine, network_id, Path(tmp) / f"report.{fmt}", grading, redact)
        content = path.read_bytes()
    detail = {"format": fmt, "redacted": redact, "bytes": len(content)}
    entry = audit.record(engine, who.user_id, "export_report", network_id, reason, detail)
    return Export(content, FORMATS[fmt], f"{network_id}.{fmt}", entry)


__all__ = ["FORMATS", "Export", "export_report"]
