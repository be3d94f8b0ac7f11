// The audit log for supervisors and admins: who read, decided, exported or shared what, when and
// why; newest first, filtered by subject or user on the server.

import { clear, h, utc } from "../dom";
import { api, AuditEntry } from "../endpoints";

const PAGE = 500;

export async function auditPage(main: HTMLElement): Promise<void> {
  const subject = h("input", { id: "audit-subject", placeholder: "subject (account, case, user…)" });
  const user = h("input", { id: "audit-user", placeholder: "user" });
  const summary = h("p", { class: "muted", id: "audit-summary" });
  const body = h("tbody");
  const older = h("button", { type: "button", id: "audit-older", hidden: true }, "Older entries");
  const form = h(
    "form",
    { class: "budget", id: "audit-filter" },
    subject,
    user,
    h("button", { type: "submit", id: "audit-apply" }, "Filter"),
  );
  let shown = 0;
  let oldestSeq: number | undefined;
  // The server pages the log newest first: one request per page, each from before the last seq.
  const more = async (fresh: boolean) => {
    if (fresh) {
      clear(body);
      shown = 0;
      oldestSeq = undefined;
    }
    const { items } = await api.audit(PAGE, oldestSeq, subject.value.trim() || undefined, user.value.trim() || undefined);
    body.append(...items.map(row));
    shown += items.length;
    if (items.length) oldestSeq = items[items.length - 1].seq;
    const complete = items.length < PAGE || oldestSeq === 1;
    older.hidden = complete;
    summary.textContent =
      `${shown} ${complete ? "" : "newest "}entries, newest first. ` + "`fraudnet audit verify STORE` checks the chain.";
  };
  older.addEventListener("click", () => void more(false));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void more(true);
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
    older,
  );
  await more(true);
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
