"""Tracing rules, one class each, registered by name: `get_rule("fifo")`.

A rule holds the tainted state of every account it has seen and answers two questions the
engine asks in time order: what does this debit carry out, and where does an incoming
payment's taint sit. Balances and lot positions are precomputed (they do not depend on
the rule), so a rule only ever touches accounts that hold taint.
"""

from __future__ import annotations

from fraudnet.trace.rules.base import TracingRule, get_rule, rule_names
from fraudnet.trace.rules.fifo import Fifo
from fraudnet.trace.rules.hallett import Hallett
from fraudnet.trace.rules.lifo import Lifo
from fraudnet.trace.rules.poison import Poison
from fraudnet.trace.rules.pro_rata import ProRata

__all__ = [
    "Fifo",
    "Hallett",
    "Lifo",
    "Poison",
    "ProRata",
    "TracingRule",
    "get_rule",
    "rule_names",
]
