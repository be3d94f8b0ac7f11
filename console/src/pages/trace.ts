// Tracing a fraud report: where the victim's money went under a tracing rule, and what can still
// be frozen, grouped by the institution that would have to act.

import { append, clear, h, money, utc } from "../dom";
import { api, FreezeRow, Sankey, TraceView } from "../endpoints";
import { drawSankey } from "../sankey";

const RULES = ["fifo", "lifo", "pro_rata", "hallett", "poison"];
const KIND_WORDS: Record<string, string> = {
  held: "still held (can be frozen)",
  exited: "left the banking system",
  unexplained: "not explained by the ledger",
};

export async function tracesPage(main: HTMLElement): Promise<void> {
  const reports = (await api.reports()).items;
  main.append(
    h("h1", {}, "Tracing"),
    h("p", { class: "muted" }, "Pick a victim's fraud report to see where the money went and what can still be frozen."),
    h(
      "table",
      { class: "queue", id: "report-table" },
      h("thead", {}, h("tr", {}, ...["Report", "Type", "Reported", "Amount"].map((w) => h("th", {}, w)))),
      h(
        "tbody",
        {},
        ...reports.map((r) =>
          h(
            "tr",
            {},
            h("td", {}, h("a", { href: `#/trace/${encodeURIComponent(r.report_id)}` }, r.report_id)),
            h("td", {}, (r.fraud_type ?? "").replace(/_/g, " ")),
            h("td", {}, utc(r.reported_at)),
            h("td", {}, money(r.amount)),
          ),
        ),
      ),
    ),
  );
}

export async function tracePage(main: HTMLElement, reportId: string): Promise<void> {
  const select = h("select", { id: "rule" }, ...RULES.map((r) => h("option", { value: r }, r.replace("_", " "))));
  const body = h("div", { id: "trace-body" });
  main.append(
    h("h1", {}, `Where the money from ${reportId} went`),
    h("label", { for: "rule" }, "Tracing rule "),
    select,
    body,
  );
  const draw = async () => {
    clear(body);
    try {
      const rule = select.value;
      const [trace, freeze, sankey] = await Promise.all([
        api.trace(reportId, rule),
        api.freeze(reportId, rule),
        api.sankey(reportId, rule),
      ]);
      renderTrace(body, trace, freeze.rows, sankey);
    } catch (err) {
      body.append(h("p", { class: "error", role: "alert" }, err instanceof Error ? err.message : String(err)));
    }
  };
  select.addEventListener("change", () => void draw());
  await draw();
}

function renderTrace(body: HTMLElement, trace: TraceView, freeze: FreezeRow[], sankey: Sankey): void {
  const byKind = new Map<string, number>();
  for (const [kind, amount] of Object.entries(trace.totals)) byKind.set(kind, pence(String(amount)));
  const total = [...byKind.values()].reduce((a, b) => a + b, 0);
  append(
    body,
    trace.upper_bound
      ? h("p", { class: "warning" }, "Poison gives an upper bound that overlaps between victims: never add it up.")
      : null,
    h(
      "div",
      { class: "kinds", id: "trace-kinds" },
      ...[...byKind.entries()].map(([kind, p]) =>
        h(
          "div",
          { class: `kind kind-${kind}` },
          h("strong", {}, money(p / 100)),
          h("span", {}, KIND_WORDS[kind] ?? kind),
          h("div", { class: "bar", style: `width:${total ? Math.round((100 * p) / total) : 0}%` }),
        ),
      ),
    ),
    h("p", { class: "muted" }, `Ledger as of ${utc(trace.as_of)}.`),
    h("h2", {}, "What can still be frozen, by institution"),
    freezeTable(freeze),
    h("h2", {}, "Where the money went"),
    h("div", { class: "sankey-box" }, drawSankey(sankey, Math.max(900, body.clientWidth - 4))),
    h("h2", {}, "Where it is"),
    h(
      "table",
      { class: "queue", id: "trace-rows" },
      h("thead", {}, h("tr", {}, ...["Where", "Account", "Institution", "Country", "Amount", "Left by", "To"].map((w) => h("th", {}, w)))),
      h(
        "tbody",
        {},
        ...trace.traces.map((r) =>
          h(
            "tr",
            {},
            h("td", {}, KIND_WORDS[r.kind] ?? r.kind),
            h("td", { class: "mono" }, r.account_id ?? ""),
            h("td", {}, r.institution ?? ""),
            h("td", {}, r.jurisdiction ?? ""),
            h("td", { class: "num" }, money(r.amount)),
            h("td", {}, r.exit_channel ?? ""),
            h("td", { class: "mono" }, r.destination ?? ""),
          ),
        ),
      ),
    ),
    h("h2", {}, `Payments that carried it (${trace.flows.length})`),
    h(
      "table",
      { class: "queue", id: "trace-flows" },
      h("thead", {}, h("tr", {}, ...["When", "From", "To", "Channel", "Victim money"].map((w) => h("th", {}, w)))),
      h(
        "tbody",
        {},
        ...trace.flows.map((f) =>
          h(
            "tr",
            {},
            h("td", {}, utc(f.ts)),
            h("td", { class: "mono" }, f.src_account ?? "cash"),
            h("td", { class: "mono" }, f.dst_account ?? "out"),
            h("td", {}, f.channel ?? ""),
            h("td", { class: "num" }, money(f.amount)),
          ),
        ),
      ),
    ),
  );
}

/** This victim's money still held, summed by the institution that would freeze it. */
function freezeTable(freeze: FreezeRow[]): HTMLElement {
  const byInstitution = new Map<string, { pence: number; accounts: string[] }>();
  for (const f of freeze) {
    const key = `${f.institution ?? "unknown institution"}${f.jurisdiction ? ` (${f.jurisdiction})` : ""}`;
    const entry = byInstitution.get(key) ?? { pence: 0, accounts: [] };
    entry.pence += pence(String(f.victim_amount));
    entry.accounts.push(f.account_id);
    byInstitution.set(key, entry);
  }
  if (!byInstitution.size) return h("p", { class: "muted", id: "freeze-table" }, "Nothing is still held: the money has left or is unexplained.");
  const rows = [...byInstitution.entries()].sort((a, b) => b[1].pence - a[1].pence);
  return h(
    "table",
    { class: "queue", id: "freeze-table" },
    h("thead", {}, h("tr", {}, h("th", {}, "Institution"), h("th", {}, "This victim's money held"), h("th", {}, "Accounts"))),
    h(
      "tbody",
      {},
      ...rows.map(([inst, e]) =>
        h("tr", {}, h("td", {}, inst), h("td", { class: "num" }, money(e.pence / 100)), h("td", { class: "mono" }, e.accounts.join(", "))),
      ),
    ),
  );
}

/** Sum money as integer pence: decimal strings from the API, no float drift in totals. */
function pence(amount: string): number {
  const [whole, frac = ""] = amount.split(".");
  const sign = whole.startsWith("-") ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 100 + Number((frac + "00").slice(0, 2)));
}
