// The network the analyst is looking at: accounts, payments, roles, and what they hid or pinned.
// Kept apart from Cytoscape and the SVG timeline so both views read one state and stay in step.

import { parseUtc } from "./dom";

export interface Payment {
  txn_id: string;
  ts: string;
  amount: string;
  currency?: string | null;
  src_account: string | null;
  dst_account: string | null;
  channel?: string | null;
}

export interface Member {
  id: string;
  kind: string; // account, party, device, ip
  role: string | null; // victim, mule_tier1, mule_tier2plus, collector, herder, or null
  confidence?: number | null;
  summary?: string | null;
  institution?: string | null;
  /** For a party, device or IP: the accounts its evidence ties it to (drawn as dashed links). */
  links?: string[];
  /** The payments that justify the role (network_roles evidence). */
  evidence?: string[];
}

export const ROLE_COLOURS: Record<string, string> = {
  victim: "#2f7ed8",
  mule_tier1: "#f28e2b",
  mule_tier2plus: "#e15759",
  collector: "#8e44ad",
  herder: "#7b241c",
  confirmed_mule: "#000000",
  other: "#9aa0a6",
};

export const ROLE_WORDS: Record<string, string> = {
  victim: "victim",
  mule_tier1: "first-tier mule (receives victims' money)",
  mule_tier2plus: "second-tier mule (moves it on)",
  collector: "collector (cashes out)",
  herder: "herder (recruits or controls mules)",
  other: "outside the network (from an expansion)",
};

export class NetworkModel {
  readonly members = new Map<string, Member>();
  readonly payments = new Map<string, Payment>();
  readonly hidden = new Set<string>();
  readonly pinned = new Set<string>();
  brush: [number, number] | null = null;
  private listeners: Array<() => void> = [];

  addMember(member: Member): boolean {
    const known = this.members.get(member.id);
    if (known) {
      // A role from the network wins over "other" from an expansion.
      if (!known.role && member.role) this.members.set(member.id, { ...known, ...member });
      return false;
    }
    this.members.set(member.id, member);
    return true;
  }

  addPayment(payment: Payment): boolean {
    if (this.payments.has(payment.txn_id)) return false;
    this.payments.set(payment.txn_id, payment);
    for (const account of [payment.src_account, payment.dst_account]) {
      if (account) this.addMember({ id: account, kind: "account", role: null });
    }
    return true;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  inBrush(payment: Payment): boolean {
    if (!this.brush) return true;
    const t = parseUtc(payment.ts);
    return t >= this.brush[0] && t <= this.brush[1];
  }

  /** Payments shown: both ends visible and inside the time brush. */
  visiblePayments(): Payment[] {
    return [...this.payments.values()].filter(
      (p) =>
        this.inBrush(p) &&
        !(p.src_account && this.hidden.has(p.src_account)) &&
        !(p.dst_account && this.hidden.has(p.dst_account)),
    );
  }

  /** Accounts shown: not hidden and, under a brush, touched by a payment in it (pinned ones stay). */
  visibleMembers(): Member[] {
    const touched = new Set<string>();
    for (const p of this.visiblePayments()) {
      if (p.src_account) touched.add(p.src_account);
      if (p.dst_account) touched.add(p.dst_account);
    }
    return [...this.members.values()].filter(
      (m) => !this.hidden.has(m.id) && (!this.brush || touched.has(m.id) || this.pinned.has(m.id)),
    );
  }

  timeRange(): [number, number] | null {
    const times = [...this.payments.values()].map((p) => parseUtc(p.ts)).filter((t) => !Number.isNaN(t));
    if (!times.length) return null;
    return [Math.min(...times), Math.max(...times)];
  }
}

/** One graph edge per payer and payee, carrying the payments between them. */
export function edgeKey(p: Payment): string | null {
  if (!p.src_account || !p.dst_account) return null;
  return `${p.src_account}->${p.dst_account}`;
}
