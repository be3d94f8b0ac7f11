// Every API route the console calls, in one place, with the JSON shapes it expects
// (docs/workspace.md lists the service's routes).

import { get, post, put } from "./api";
import type { Member, Payment } from "./model";

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
  note_id: string;
  case_id?: string;
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
  alerts: (sort: AlertSort, descending: boolean, page: number, pageSize: number) =>
    get<Paged<Alert>>("/api/alerts", { sort, order: descending ? "desc" : "asc", page, page_size: pageSize }),
  budget: () => get<ReviewBudget>("/api/settings/review-budget"),
  setBudget: (perDay: number) => put<ReviewBudget>("/api/settings/review-budget", { budget_per_day: perDay }),
  networks: () => get<Paged<NetworkSummary>>("/api/networks", { page_size: 500 }),
  network: (id: string) => get<NetworkDetail>(`/api/networks/${encodeURIComponent(id)}`),
  timeline: (id: string) => get<Timeline>(`/api/networks/${encodeURIComponent(id)}/timeline`),
  expand: (account: string, hops: number) =>
    get<Expansion>(`/api/accounts/${encodeURIComponent(account)}/expand`, { hops }),
  path: (from: string, to: string) => get<PathResult>("/api/path", { src: from, dst: to }),
  account: (id: string) => get<AccountView>(`/api/accounts/${encodeURIComponent(id)}`),
  decide: (subject: string, label: string, networkId: string | null, reason: string) =>
    post<Decision>("/api/decisions", { subject, label, network_id: networkId, reason }),
  cases: (networkId: string) => get<Paged<Case>>("/api/cases", { network_id: networkId }),
  openCase: (networkId: string, title: string) => post<Case>("/api/cases", { network_id: networkId, title }),
  caseView: (caseId: string) => get<CaseView>(`/api/cases/${encodeURIComponent(caseId)}`),
  addNote: (caseId: string, text: string) => post<Note>(`/api/cases/${encodeURIComponent(caseId)}/notes`, { text }),
  audit: (limit = 200) => get<AuditEntry[]>("/api/audit", { limit }),
  reports: () => get<FraudReport[]>("/api/reports"),
  trace: (reportId: string, rule: string) =>
    get<TraceDetail>(`/api/reports/${encodeURIComponent(reportId)}/trace`, { rule }),
};
