// The audit log, newest first, for supervisors and admins: who read, decided, exported or shared what, and why.

import { h, utc } from "../dom";
import { api } from "../endpoints";

export async function auditPage(main: HTMLElement): Promise<void> {
  const entries = await api.audit();
  const rows = [...entries].sort((a, b) => b.seq - a.seq);
  main.append(
    h("h1", {}, "Audit log"),
    h("p", { class: "muted" }, `${entries.length} most recent entries. The chain is checked by fraudnet audit verify.`),
    h(
      "table",
      { class: "queue", id: "audit-table" },
      h("thead", {}, h("tr", {}, ...["Seq", "When", "User", "Action", "Subject", "Why", "Detail"].map((w) => h("th", {}, w)))),
      h(
        "tbody",
        {},
        ...rows.map((e) =>
          h(
            "tr",
            { "data-action": e.action, "data-subject": e.subject },
            h("td", {}, e.seq),
            h("td", {}, utc(e.at)),
            h("td", {}, e.user_id),
            h("td", {}, e.action.replace(/_/g, " ")),
            h("td", { class: "mono" }, e.subject),
            h("td", {}, e.reason),
            h("td", { class: "mono small" }, typeof e.detail === "string" ? e.detail : JSON.stringify(e.detail)),
          ),
        ),
      ),
    ),
  );
}
