// Every API route the console calls, in one place, with the JSON shapes it expects
// (docs/workspace.md lists the service's routes).

import { get, post, put } from "./api";
import type { Member, Payment } from "./model";

export interface Alert {
  account_id: string;
  rank: number;
  score: number | null;
  reasons: string | null;
  alert_day: string | null;
  as_of: string | null;
  network_id?: string | null;
  decision?: string | null;
}

export interface AlertQueue {
  alerts: Alert[];
  budget_per_day: number | null;
  reviewed_today?: number | null;
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
}

export interface Role {
  subject: string;
  subject_kind: string;
  role: string;
  confidence: number | null;
  evidence: { summary?: string; transactions?: string[]; accounts?: string[] } | string | null;
}

export interface NetworkDetail {
  network: NetworkSummary;
  roles: Role[];
  payments: Payment[];
}

export interface Expansion {
  accounts: Member[];
  payments: Payment[];
}

export interface PathResult {
  accounts: string[];
  payments: Payment[];
}

export interface Decision {
  subject: string;
  label: string;
  network_id: string | null;
  decided_by: string;
  decided_at: string;
  reason?: string | null;
}

export interface Note {
  note_id?: string | number;
  author: string;
  at: string;
  text: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  user_id: string;
  action: string;
  subject: string;
  reason: string;
  detail: unknown;
}

export interface TraceRow {
  kind: string;
  account_id: string | null;
  institution: string | null;
  jurisdiction: string | null;
  amount: string;
  exit_channel: string | null;
  destination: string | null;
}

export interface FreezeRow {
  institution: string | null;
  account_id: string;
  amount: string;
  jurisdiction?: string | null;
}

export interface TraceDetail {
  report_id: string;
  rule: string;
  reported_amount?: string | null;
  rows: TraceRow[];
  flows: Payment[];
  freeze: FreezeRow[];
}

export interface FraudReport {
  report_id: string;
  txn_id: string;
  fraud_type: string | null;
  reported_at: string | null;
  amount: string | null;
}

export const api = {
  alerts: () => get<AlertQueue>("/api/alerts"),
  setBudget: (perDay: number) => put<{ budget_per_day: number }>("/api/settings/review-budget", { budget_per_day: perDay }),
  networks: () => get<NetworkSummary[]>("/api/networks"),
  network: (id: string) => get<NetworkDetail>(`/api/networks/${encodeURIComponent(id)}`),
  expand: (account: string, hops: number) =>
    get<Expansion>(`/api/accounts/${encodeURIComponent(account)}/expand`, { hops }),
  path: (from: string, to: string) => get<PathResult>("/api/path", { src: from, dst: to }),
  account: (id: string, reason: string) =>
    get<Record<string, unknown>>(`/api/accounts/${encodeURIComponent(id)}`, { reason }),
  decide: (subject: string, label: string, networkId: string | null, reason: string) =>
    post<Decision>("/api/decisions", { subject, label, network_id: networkId, reason }),
  notes: (networkId: string) => get<Note[]>(`/api/cases/${encodeURIComponent(networkId)}/notes`),
  addNote: (networkId: string, text: string) =>
    post<Note>(`/api/cases/${encodeURIComponent(networkId)}/notes`, { text }),
  audit: (limit = 200) => get<AuditEntry[]>("/api/audit", { limit }),
  reports: () => get<FraudReport[]>("/api/reports"),
  trace: (reportId: string, rule: string) =>
    get<TraceDetail>(`/api/reports/${encodeURIComponent(reportId)}/trace`, { rule }),
};
