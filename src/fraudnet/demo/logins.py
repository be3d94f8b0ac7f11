"""Demo logins for `fraudnet demo --serve`: an analyst and a supervisor with fresh passwords.

The passwords are generated on every run (never a fixed demo password that could end up on a
real server) and printed once; only their argon2id hashes are stored.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fraudnet.engine import Engine
from fraudnet.workspace import add_user

DEMO_ORGANISATION = "demo-bank"
DEMO_ROLES = (("demo-analyst", "analyst"), ("demo-supervisor", "supervisor"))


@dataclass(frozen=True)
class DemoLogin:
    user_id: str
    role: str
    password: str


def add_demo_logins(engine: Engine, actor: str = "fraudnet-demo") -> list[DemoLogin]:
    """Add one analyst and one supervisor to a fresh demo store, each with a random password."""
    logins = []
    for user_id, role in DEMO_ROLES:
        password = secrets.token_urlsafe(15)  # 20 characters, about 120 bits
        add_user(engine, user_id, password, role, DEMO_ORGANISATION, actor)
        logins.append(DemoLogin(user_id, role, password))
    return logins
