"""Which payments take money out of the trace, declared once for SQL and the reference walk.

A payment is an exit when its channel always leaves the accounts we can freeze
(`ALWAYS_EXIT`), or when the payee is not an account we know: absent from `accounts` and
never paying anything out in the ledger (an international wire to a foreign bank, a
payment to an unknown payee). An international wire to an account we do know is followed.
"""

from __future__ import annotations

ALWAYS_EXIT = ("cash_out", "crypto", "card")
"""cash withdrawn; crypto bought; a card payment is a purchase from a merchant who gave
value (a bona fide purchaser the victim cannot recover from): the money is spent."""


def exit_channels_sql() -> str:
    """The channels as a SQL list literal (fixed constants, never user input)."""
    return "(" + ", ".join(f"'{c}'" for c in ALWAYS_EXIT) + ")"
