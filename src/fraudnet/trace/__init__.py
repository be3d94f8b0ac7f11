"""Fund tracing: follow each reported fraud payment forward to where the money is now.

`trace_reports(engine, rule)` writes the `traces` and `trace_flows` tables; rules are
registered classes looked up with `get_rule(name)`. See docs/tracing.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fraudnet.lazy import lazy_exports

if TYPE_CHECKING:
    from fraudnet.trace.api import (
        UnknownReportError,
        prepare,
        trace_ledger,
        trace_reports,
        trace_rules,
    )
    from fraudnet.trace.result import TraceResult
    from fraudnet.trace.rules import TracingRule, get_rule, rule_names

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "UnknownReportError": "fraudnet.trace.api",
        "prepare": "fraudnet.trace.api",
        "trace_rules": "fraudnet.trace.api",
        "trace_ledger": "fraudnet.trace.api",
        "trace_reports": "fraudnet.trace.api",
        "TraceResult": "fraudnet.trace.result",
        "TracingRule": "fraudnet.trace.rules",
        "get_rule": "fraudnet.trace.rules",
        "rule_names": "fraudnet.trace.rules",
    },
)


__all__ = [
    "TraceResult",
    "TracingRule",
    "UnknownReportError",
    "get_rule",
    "prepare",
    "rule_names",
    "trace_ledger",
    "trace_reports",
    "trace_rules",
]
