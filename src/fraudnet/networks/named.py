"""Accounts a user names as seeds (a police unit's list, an FIU's SARs): one id a line."""

from __future__ import annotations

from pathlib import Path

from fraudnet.errors import FraudnetError


def read_seed_accounts(path: Path) -> list[str]:
    """Account ids from `path`, one a line; blank lines and '#' comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FraudnetError(f"{path}: cannot read seed accounts: {exc}") from exc
    rows = [(n, line.strip()) for n, line in enumerate(lines, start=1)]
    rows = [(n, a) for n, a in rows if a and not a.startswith("#")]
    bad = [n for n, a in rows if any(c.isspace() for c in a)]
    if bad:
        raise FraudnetError(f"{path}: row {bad[0]}: an account id has spaces in it")
    accounts = [a for _, a in rows]
    if not accounts:
        raise FraudnetError(f"{path}: no account ids in the file")
    return accounts
