// The audit log for supervisors and admins: who read, decided, exported or shared what, when and
// why; newest first, filtered by subject or user on the server.

import { clear, h, utc } from "../dom";
import { api, AuditEntry } from "../endpoints";

const PAGE = 1000;
const MAX_PAGES = 20;

export async function auditPage(main: HTMLElement): Promise<void> {
  const subject = h("input", { id: "audit-subject", placeholder: "subject (account, case, user…)" });
  const user = h("input", { id: "audit-user", placeholder: "user" });
  const summary = h("p", { class: "muted", id: "audit-summary" });
  const body = h("tbody");
  const form = h(
    "form",
    { class: "budget", id: "audit-filter" },
    subject,
    user,
    h("button", { type: "submit", id: "audit-apply" }, "Filter"),
  );
  const draw = async () => {
    const { entries, capped } = await load(subject.value.trim() || undefined, user.value.trim() || undefined);
    clear(body);
    body.append(...[...entries].reverse().map(row));
    summary.textContent =
      `${entries.length} entries${capped ? ` (the first ${PAGE * MAX_PAGES} only)` : ""}, newest first. ` +
      "`fraudnet audit verify STORE` checks the chain.";
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void draw();
  });
  main.append(
    h("h1", {}, "Audit log"),
    form,
    summary,
    h(
      "table",
      { class: "queue", id: "audit-table" },
      h("thead", {}, h("tr", {}, ...["Seq", "When", "User", "Action", "Subject", "Why", "Detail"].map((w) => h("th", {}, w)))),
      body,
    ),
  );
  await draw();
}

/** The API pages the log forwards from a seq; walk it to reach the newest entries. */
async function load(subject?: string, user?: string): Promise<{ entries: AuditEntry[]; capped: boolean }> {
  const entries: AuditEntry[] = [];
  let after = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items } = await api.audit(after, PAGE, subject, user);
    entries.push(...items);
    if (items.length < PAGE) return { entries, capped: false };
    after = items[items.length - 1].seq;
  }
  return { entries, capped: true };
}

function row(e: AuditEntry): HTMLTableRowElement {
  return h(
    "tr",
    { "data-action": e.action, "data-subject": e.subject ?? "" },
    h("td", {}, e.seq),
    h("td", {}, utc(e.at)),
    h("td", {}, e.user_id),
    h("td", {}, e.action.replace(/_/g, " ")),
    h("td", { class: "mono" }, e.subject ?? ""),
    h("td", {}, e.reason),
    h("td", { class: "mono small" }, typeof e.detail === "string" ? e.detail : JSON.stringify(e.detail)),
  );
}
