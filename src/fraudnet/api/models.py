"""The JSON shapes of the API (stable: the web console is built on them; see docs/workspace.md).

Instants are ISO 8601 in UTC with a `Z`; money is a decimal string ("1234.50").
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

Text = Field(min_length=1, max_length=2000)
Reason = Field(min_length=1, max_length=2000, description="Why, for the audit log.")


class LoginRequest(BaseModel):
    user_id: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class User(BaseModel):
    user_id: str
    role: str
    organisation: str
    disabled: bool = False


class LoginResponse(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: User


class Alert(BaseModel):
    rank: int
    account_id: str
    score: float | None
    reasons: list[str]
    alert_day: date | None
    as_of: datetime | None
    network_id: str | None
    decision: str | None = Field(description="Latest analyst label: mule, legitimate, ...")
    decided_by: str | None
    decided_at: datetime | None


class AlertPage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[Alert]


class Role(BaseModel):
    network_id: str | None = None
    subject: str
    subject_kind: str
    role: str
    confidence: float | None
    summary: str
    evidence: dict[str, Any] = Field(description="transactions, identifiers, accounts, summary")


class AccountView(BaseModel):
    account: dict[str, Any]
    scores: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    roles: list[Role]
    payments: dict[str, Any]


class NetworkSummary(BaseModel):
    network_id: str
    rank: int | None
    size: int
    victims: int | None
    victim_funds: Decimal | None
    funds_out: Decimal | None
    herders: int | None
    first_activity: datetime | None
    last_activity: datetime | None
    score: float | None
    seeded_from: str | None
    typology: str | None
    typology_payments: list[str] = Field(default_factory=list, description="txn ids")
    as_of: datetime | None


class NetworkList(BaseModel):
    total: int
    items: list[NetworkSummary]


class NetworkView(BaseModel):
    network: NetworkSummary
    members: list[Role]


class PartyView(BaseModel):
    party: dict[str, Any]


class EntityView(BaseModel):
    entity_id: str
    members: list[dict[str, Any]]
    links: list[dict[str, Any]]
