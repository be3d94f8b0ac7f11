"""Fund tracing: follow each reported fraud payment forward to where the money is now.

`trace_reports(engine, rule)` writes the `traces` and `trace_flows` tables; rules are
registered classes looked up with `get_rule(name)`. See docs/tracing.md.
"""

from __future__ import annotations

from fraudnet.trace.api import prepare, trace_ledger, trace_reports
from fraudnet.trace.result import TraceResult
from fraudnet.trace.rules import TracingRule, get_rule, rule_names

__all__ = [
    "TraceResult",
    "TracingRule",
    "get_rule",
    "prepare",
    "rule_names",
    "trace_ledger",
    "trace_reports",
]
