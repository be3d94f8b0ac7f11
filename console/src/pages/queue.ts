// The alert queue: best first, sortable, each reason on its own line in plain words, and the
// per-day review budget (how many alerts the team reviews a day; those past it wait).

import { h, utc } from "../dom";
import { api, Alert } from "../endpoints";

type SortKey = "rank" | "score" | "account_id" | "alert_day" | "network_id";

export async function queuePage(main: HTMLElement): Promise<void> {
  const queue = await api.alerts();
  let sortKey: SortKey = "rank";
  let ascending = true;
  let budget = queue.budget_per_day;

  const budgetInput = h("input", {
    id: "budget",
    type: "number",
    min: 1,
    max: 10000,
    value: budget ?? "",
    "aria-label": "alerts reviewed per day",
  });
  const budgetStatus = h("span", { id: "budget-status", class: "muted" });
  const body = h("tbody");
  const table = h("table", { class: "queue", id: "alert-table" }, h("thead"), body);

  const header = (key: SortKey, words: string) =>
    h(
      "th",
      {
        "data-key": key,
        class: "sortable",
        onclick: () => {
          ascending = sortKey === key ? !ascending : true;
          sortKey = key;
          draw();
        },
      },
      words,
      sortKey === key ? (ascending ? " ▲" : " ▼") : "",
    );

  function draw(): void {
    const head = table.tHead!;
    head.replaceChildren(
      h(
        "tr",
        {},
        header("rank", "Rank"),
        header("score", "Score"),
        header("account_id", "Account"),
        h("th", {}, "Why it was flagged"),
        header("alert_day", "Review day"),
        header("network_id", "Network"),
      ),
    );
    const rows = [...queue.alerts].sort((a, b) => compare(a, b, sortKey) * (ascending ? 1 : -1));
    body.replaceChildren(...rows.map((alert) => row(alert, budget)));
    budgetStatus.textContent = budget
      ? `${Math.min(budget, queue.alerts.length)} of ${queue.alerts.length} alerts fit today's budget of ${budget}; the rest are greyed.`
      : "No per-day budget set: every alert is shown as due.";
  }

  const form = h(
    "form",
    { class: "budget", id: "budget-form" },
    h("label", { for: "budget" }, "Review budget (alerts a day) "),
    budgetInput,
    h("button", { type: "submit", id: "budget-save" }, "Set"),
    budgetStatus,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = Number(budgetInput.value);
    if (!Number.isInteger(value) || value < 1) {
      budgetStatus.textContent = "The budget is a whole number of alerts, at least 1.";
      return;
    }
    try {
      budget = (await api.setBudget(value)).budget_per_day;
      draw();
    } catch (err) {
      budgetStatus.textContent = err instanceof Error ? err.message : String(err);
    }
  });

  main.append(
    h("h1", {}, "Alert queue"),
    h("p", { class: "muted" }, `${queue.alerts.length} alerts, as of ${utc(queue.alerts[0]?.as_of)}. Click a column to sort.`),
    form,
    table,
  );
  draw();
}

function row(alert: Alert, budget: number | null): HTMLTableRowElement {
  const reasons = (alert.reasons ?? "").split("; ").filter(Boolean);
  const overBudget = budget !== null && alert.rank > budget;
  return h(
    "tr",
    { class: overBudget ? "over-budget" : "", "data-account": alert.account_id },
    h("td", {}, alert.rank),
    h("td", {}, alert.score === null ? "" : alert.score.toFixed(3)),
    h("td", { class: "mono" }, alert.account_id),
    h("td", {}, h("ul", { class: "reasons" }, ...reasons.map((r) => h("li", {}, r)))),
    h("td", {}, alert.alert_day ?? (overBudget ? "later" : "today")),
    h(
      "td",
      {},
      alert.network_id
        ? h("a", { href: `#/network/${encodeURIComponent(alert.network_id)}/${encodeURIComponent(alert.account_id)}` }, alert.network_id)
        : h("a", { href: `#/explore/${encodeURIComponent(alert.account_id)}` }, "explore"),
    ),
  );
}

function compare(a: Alert, b: Alert, key: SortKey): number {
  const x = a[key];
  const y = b[key];
  if (x === y) return 0;
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  return x < y ? -1 : 1;
}
