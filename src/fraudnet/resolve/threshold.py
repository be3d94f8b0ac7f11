"""The match probability at or above which two party records are the same person."""

from __future__ import annotations

DEFAULT_THRESHOLD = 0.9
"""The default; the threshold sweep in docs/resolution.md shows what moving it trades."""
