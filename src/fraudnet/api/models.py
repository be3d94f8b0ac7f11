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


class Node(BaseModel):
    node: str
    hop: int
    via: str
    links: int
    hub: bool


class Expansion(BaseModel):
    subject: str
    hops: int
    nodes: list[Node]


class Payment(BaseModel):
    txn_id: str
    ts: datetime
    src_account: str | None
    dst_account: str | None
    amount: Decimal
    currency: str | None = None
    channel: str | None


class PathStep(Payment):
    step: int


class MoneyPathView(BaseModel):
    kind: Literal["strongest", "shortest"]
    source: str
    target: str
    found: bool
    accounts: list[str]
    bottleneck: Decimal
    payments: list[PathStep]


class TimelineView(BaseModel):
    account_id: str | None
    network_id: str | None
    truncated: bool = Field(description="True when more payments matched than `limit`")
    payments: list[Payment]


class FraudReport(BaseModel):
    report_id: str
    txn_id: str
    victim_party_id: str | None
    fraud_type: str | None
    reported_at: datetime | None
    amount: Decimal | None
    traced_rules: list[str]


class FraudReportList(BaseModel):
    total: int
    items: list[FraudReport]


class TraceView(BaseModel):
    report_id: str
    rule: str
    as_of: datetime | None
    upper_bound: bool = Field(description="poison rule: amounts overlap, never sum them")
    totals: dict[str, Decimal] = Field(description="held, exited, unexplained")
    traces: list[dict[str, Any]]
    flows: list[dict[str, Any]]


class SankeyLink(BaseModel):
    source: int = Field(description="index into nodes")
    target: int
    amount: Decimal


class SankeyView(BaseModel):
    report_id: str
    rule: str
    nodes: list[str]
    links: list[SankeyLink]


class FreezeRow(BaseModel):
    institution: str | None
    jurisdiction: str | None
    account_id: str
    account_held: Decimal
    report_id: str
    victim_party_id: str | None
    victim_amount: Decimal
    victim_share_pct: float
    rule: str
    upper_bound: bool


class FreezeView(BaseModel):
    report_id: str | None
    rule: str
    rows: list[FreezeRow]


class MuleDecision(BaseModel):
    account_id: str = Field(min_length=1, max_length=200)
    verdict: Literal["confirm", "reject"]
    reason: str = Reason
    network_id: str | None = Field(default=None, min_length=1, max_length=200)


class MergeDecision(BaseModel):
    party_id_l: str = Field(min_length=1, max_length=200)
    party_id_r: str = Field(min_length=1, max_length=200)
    verdict: Literal["accept", "split"]
    reason: str = Reason


class DecisionResult(BaseModel):
    written: dict[str, Any] = Field(description="the labels or link_judgements row written")
    audit_seq: int


class NewCase(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    reason: str = Reason
    network_id: str | None = Field(default=None, min_length=1, max_length=200)


class CaseSummary(BaseModel):
    case_id: str
    organisation: str
    title: str
    network_id: str | None
    status: str
    created_by: str
    created_at: datetime


class CaseList(BaseModel):
    items: list[CaseSummary]


class Note(BaseModel):
    note_id: str
    author: str
    written_at: datetime
    text: str


class NewNote(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)


class Share(BaseModel):
    share_id: str
    partner: str
    shared_by: str
    shared_at: datetime
    reason: str


class NewShare(BaseModel):
    partner: str = Field(min_length=1, max_length=200)
    reason: str = Reason


class CaseView(BaseModel):
    case: CaseSummary
    notes: list[Note]
    shares: list[Share]


class Written(BaseModel):
    id: str
    audit_seq: int


class SharedPackage(BaseModel):
    share_id: str
    shared_at: datetime
    shared_by: str
    reason: str


class SharedPackageList(BaseModel):
    items: list[SharedPackage]


class SharedPackageView(SharedPackage):
    contents: dict[str, Any]


class ExportRequest(BaseModel):
    format: Literal["html", "pdf"] = "html"
    reason: str = Reason
    redact: bool = True


class AuditRow(BaseModel):
    seq: int
    at: datetime
    user_id: str
    action: str
    subject: str | None
    reason: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditList(BaseModel):
    items: list[AuditRow]


class NewUser(BaseModel):
    user_id: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)
    role: Literal["viewer", "analyst", "supervisor", "admin", "partner"]
    organisation: str = Field(min_length=1, max_length=200)


class UserList(BaseModel):
    items: list[User]


class DisableUser(BaseModel):
    reason: str = Reason


class ReviewBudget(BaseModel):
    organisation: str
    budget_per_day: int | None = Field(description="Alerts a day; null: no budget.")
    set_by: str | None
    set_at: datetime | None
    audit_seq: int | None = Field(default=None, description="The audit entry of this change.")


class NewReviewBudget(BaseModel):
    budget_per_day: int | None = Field(
        strict=True, description="Alerts a day, 1 to 100000, or null for no budget."
    )
    reason: str | None = Field(default=None, min_length=1, max_length=2000)
