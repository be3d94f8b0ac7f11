// Every API route the console calls, in one place, with the JSON shapes it expects
// (docs/workspace.md lists the service's routes).

import { get, post, put } from "./api";
import type { Payment } from "./model";

export interface Alert {
  account_id: string;
  rank: number;
  score: number | null;
  reasons: string[];
  alert_day: string | null;
  as_of: string | null;
  network_id: string | null;
  decision: string | null;
  decided_by: string | null;
  decided_at: string | null;
}

export interface Paged<T> {
  total: number;
  page?: number;
  page_size?: number;
  items: T[];
}

export type AlertSort = "rank" | "score" | "account_id" | "alert_day";

export interface ReviewBudget {
  budget_per_day: number | null;
  set_by?: string | null;
}

export interface NetworkSummary {
  network_id: string;
  rank: number | null;
  size: number;
  victims: number | null;
  victim_funds: string | null;
  funds_out: string | null;
  herders: number | null;
  first_activity: string | null;
  last_activity: string | null;
  typology: string | null;
  typology_payments?: string[];
}

export interface Role {
  network_id?: string | null;
  subject: string;
  subject_kind: string;
  role: string;
  confidence: number | null;
  summary: string;
  evidence: { summary?: string; transactions?: string[]; identifiers?: unknown[]; accounts?: string[] };
}

export interface NetworkDetail {
  network: NetworkSummary;
  members: Role[];
}

export interface Timeline {
  truncated: boolean;
  payments: Payment[];
}

export interface AccountView {
  account: Record<string, unknown>;
  scores: Array<Record<string, unknown>>;
  alerts: Array<Record<string, unknown>>;
  decisions: Array<Record<string, unknown>>;
  roles: Role[];
  payments: Record<string, unknown>;
}

export interface ExpansionNode {
  node: string;
  hop: number;
  via: string; // "paid", "paid by", "shares device", ...
  links: number;
  hub: boolean;
}

export interface Expansion {
  subject: string;
  hops: number;
  nodes: ExpansionNode[];
}

export interface PathResult {
  kind: string;
  found: boolean;
  accounts: string[];
  bottleneck: string;
  payments: Array<Payment & { step: number }>;
}

export interface DecisionResult {
  written: { subject: string; label: string; network_id: string | null; decided_by: string; decided_at: string };
  audit_seq: number;
}

export interface Written {
  id: string;
  audit_seq: number;
}

export interface Note {
  note_id: string;
  author: string;
  written_at: string;
  text: string;
}

export interface Case {
  case_id: string;
  title: string;
  network_id: string | null;
  status: string;
  created_by: string;
  created_at: string;
}

export interface CaseView {
  case: Case;
  notes: Note[];
}

export interface AuditEntry {
  seq: number;
  at: string;
  user_id: string;
  action: string;
  subject: string | null;
  reason: string;
  detail: unknown;
}

export interface TraceView {
  report_id: string;
  rule: string;
  as_of: string | null;
  upper_bound: boolean;
  totals: Record<string, string>;
  traces: Array<{
    kind: string;
    account_id: string | null;
    institution: string | null;
    jurisdiction: string | null;
    amount: string;
    exit_channel: string | null;
    destination: string | null;
  }>;
  flows: Payment[];
}

export interface FreezeRow {
  institution: string | null;
  jurisdiction: string | null;
  account_id: string;
  account_held: string;
  victim_amount: string;
  victim_share_pct: number;
  upper_bound: boolean;
}

export interface FraudReport {
  report_id: string;
  txn_id: string;
  fraud_type: string | null;
  reported_at: string | null;
  amount: string | null;
  traced_rules: string[];
}

export interface Sankey {
  nodes: string[];
  links: Array<{ source: number; target: number; amount: string }>;
}

export const api = {
  alerts: (sort: AlertSort, descending: boolean, page: number, pageSize: number) =>
    get<Paged<Alert>>("/api/alerts", { sort, order: descending ? "desc" : "asc", page, page_size: pageSize }),
  budget: () => get<ReviewBudget>("/api/settings/review-budget"),
  setBudget: (perDay: number) => put<ReviewBudget>("/api/settings/review-budget", { budget_per_day: perDay }),
  networks: () => get<Paged<NetworkSummary>>("/api/networks", { page_size: 500 }),
  network: (id: string) => get<NetworkDetail>(`/api/networks/${encodeURIComponent(id)}`),
  networkTimeline: (id: string) => get<Timeline>("/api/timeline", { network_id: id, limit: 10000 }),
  accountTimeline: (id: string) => get<Timeline>("/api/timeline", { account_id: id, limit: 2000 }),
  expand: (subject: string, hops: number) => get<Expansion>("/api/graph/expand", { subject, hops }),
  path: (source: string, target: string) => get<PathResult>("/api/graph/path", { source, target, kind: "strongest" }),
  account: (id: string) => get<AccountView>(`/api/accounts/${encodeURIComponent(id)}`),
  decideMule: (accountId: string, verdict: "confirm" | "reject", networkId: string | null, reason: string) =>
    post<DecisionResult>("/api/decisions/mule", { account_id: accountId, verdict, network_id: networkId, reason }),
  cases: () => get<{ items: Case[] }>("/api/cases"),
  openCase: (networkId: string, title: string, reason: string) =>
    post<Written>("/api/cases", { network_id: networkId, title, reason }),
  caseView: (caseId: string) => get<CaseView>(`/api/cases/${encodeURIComponent(caseId)}`),
  addNote: (caseId: string, text: string) => post<Written>(`/api/cases/${encodeURIComponent(caseId)}/notes`, { text }),
  /** Newest first: the `limit` entries before `beforeSeq` (or the newest when it is undefined). */
  audit: (limit: number, beforeSeq?: number, subject?: string, userId?: string) =>
    get<{ items: AuditEntry[] }>("/api/audit", { order: "desc", before_seq: beforeSeq, limit, subject, user_id: userId }),
  reports: () => get<Paged<FraudReport>>("/api/reports", { page_size: 500 }),
  trace: (reportId: string, rule: string) => get<TraceView>(`/api/reports/${encodeURIComponent(reportId)}/trace`, { rule }),
  freeze: (reportId: string, rule: string) =>
    get<{ rows: FreezeRow[] }>(`/api/reports/${encodeURIComponent(reportId)}/freeze`, { rule }),
  sankey: (reportId: string, rule: string) => get<Sankey>(`/api/reports/${encodeURIComponent(reportId)}/sankey`, { rule }),
};
