"""Intelligence reports on networks: HTML (self-contained) and PDF (through Chromium)."""

from __future__ import annotations

from fraudnet.report.data import ReportData, load_report_data
from fraudnet.report.render import Grading, PdfUnavailable, render_html, write_report

__all__ = [
    "Grading",
    "PdfUnavailable",
    "ReportData",
    "load_report_data",
    "render_html",
    "write_report",
]
