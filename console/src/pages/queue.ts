// The alert queue: best first, sortable (by the server, over the whole queue), each reason on its
// own line in plain words, and the per-day review budget: how many alerts the team reviews a day.
// Alerts past today's budget are greyed and marked for a later day.

import { ApiError, session } from "../api";
import { h, utc } from "../dom";
import { api, Alert, AlertSort } from "../endpoints";

const PAGE_SIZE = 50;
const LOCAL_BUDGET = "fraudnet.review-budget";
const BUDGET_SETTERS = new Set(["supervisor", "admin"]);

export async function queuePage(main: HTMLElement): Promise<void> {
  let sort: AlertSort = "rank";
  let descending = false;
  let page = 1;
  let budget = await loadBudget();
  // On the server the team's budget is a supervisor's call; a browser-local one anyone may set.
  const maySet = budget.local || BUDGET_SETTERS.has(session()?.role ?? "");

  const budgetInput = h("input", {
    id: "budget",
    type: "number",
    min: 1,
    max: 100000,
    value: budget.value ?? "",
    disabled: !maySet,
    "aria-label": "alerts reviewed per day",
  });
  const budgetStatus = h("span", { id: "budget-status", class: "muted" });
  const summary = h("p", { class: "muted", id: "queue-summary" });
  const body = h("tbody");
  const head = h("thead");
  const table = h("table", { class: "queue", id: "alert-table" }, head, body);
  const pager = h("div", { class: "pager", id: "pager" });

  const header = (key: AlertSort | null, words: string) =>
    key === null
      ? h("th", {}, words)
      : h(
          "th",
          {
            "data-key": key,
            class: "sortable",
            "aria-sort": sort === key ? (descending ? "descending" : "ascending") : "none",
            onclick: () => {
              descending = sort === key ? !descending : key === "score";
              sort = key;
              page = 1;
              void draw();
            },
          },
          words,
          sort === key ? (descending ? " ▼" : " ▲") : "",
        );

  async function draw(): Promise<void> {
    const queue = await api.alerts(sort, descending, page, PAGE_SIZE);
    head.replaceChildren(
      h(
        "tr",
        {},
        header("rank", "Rank"),
        header("score", "Score"),
        header("account_id", "Account"),
        header(null, "Why it was flagged"),
        header("alert_day", "Review day"),
        header(null, "Decision"),
        header(null, "Network"),
      ),
    );
    body.replaceChildren(...queue.items.map((alert) => row(alert, budget.value)));
    const pages = Math.max(1, Math.ceil(queue.total / PAGE_SIZE));
    summary.textContent = `${queue.total} alerts, as of ${utc(queue.items[0]?.as_of)}. Click a column to sort. Page ${page} of ${pages}.`;
    pager.replaceChildren(
      h("button", { type: "button", id: "prev-page", disabled: page <= 1, onclick: () => ((page -= 1), void draw()) }, "Previous"),
      h("button", { type: "button", id: "next-page", disabled: page >= pages, onclick: () => ((page += 1), void draw()) }, "Next"),
    );
    const due = budget.value ? Math.min(budget.value, queue.total) : queue.total;
    budgetStatus.textContent =
      (budget.value
        ? `${due} of ${queue.total} alerts fit today's budget of ${budget.value}; the rest are greyed for later days.`
        : "No per-day budget set: every alert is shown as due today.") +
      (budget.local
        ? " (kept in this browser only: the server has no budget setting)"
        : ` (the team's budget, kept on the server${budget.setBy ? `, set by ${budget.setBy}` : ""}${maySet ? "" : "; a supervisor sets it"})`);
  }

  const form = h(
    "form",
    { class: "budget", id: "budget-form" },
    h("label", { for: "budget" }, "Review budget (alerts a day) "),
    budgetInput,
    h("button", { type: "submit", id: "budget-save", disabled: !maySet }, "Set"),
    budgetStatus,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = Number(budgetInput.value);
    if (!Number.isInteger(value) || value < 1 || value > 100000) {
      budgetStatus.textContent = "The budget is a whole number of alerts, from 1 to 100000.";
      return;
    }
    try {
      budget = await saveBudget(value);
      await draw();
    } catch (err) {
      budgetStatus.textContent = err instanceof Error ? err.message : String(err);
    }
  });

  main.append(h("h1", {}, "Alert queue"), summary, form, table, pager);
  await draw();
}

interface Budget {
  value: number | null;
  local: boolean;
  setBy?: string | null;
}

/** The team's budget from the server; a browser-local one only where the server has none. */
async function loadBudget(): Promise<Budget> {
  try {
    const kept = await api.budget();
    return { value: kept.budget_per_day, local: false, setBy: kept.set_by };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const kept = Number(localStorage.getItem(LOCAL_BUDGET));
    return { value: Number.isInteger(kept) && kept > 0 ? kept : null, local: true };
  }
}

async function saveBudget(value: number): Promise<Budget> {
  try {
    const kept = await api.setBudget(value);
    return { value: kept.budget_per_day, local: false, setBy: kept.set_by };
  } catch (err) {
    if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 405)) throw err;
    localStorage.setItem(LOCAL_BUDGET, String(value));
    return { value, local: true };
  }
}

function row(alert: Alert, budget: number | null): HTMLTableRowElement {
  const overBudget = budget !== null && alert.rank > budget;
  const day = budget ? Math.floor((alert.rank - 1) / budget) : 0;
  return h(
    "tr",
    { class: overBudget ? "over-budget" : "", "data-account": alert.account_id, "data-rank": alert.rank },
    h("td", {}, alert.rank),
    h("td", { class: "num" }, alert.score === null ? "" : alert.score.toFixed(3)),
    h("td", { class: "mono" }, alert.account_id),
    h("td", {}, h("ul", { class: "reasons" }, ...alert.reasons.map((r) => h("li", {}, r)))),
    h("td", {}, alert.alert_day ?? (day === 0 ? "today" : `in ${day} day${day > 1 ? "s" : ""}`)),
    h("td", {}, alert.decision ? `${alert.decision} (${alert.decided_by ?? ""})` : ""),
    h(
      "td",
      {},
      alert.network_id
        ? h("a", { href: `#/network/${encodeURIComponent(alert.network_id)}/${encodeURIComponent(alert.account_id)}` }, alert.network_id)
        : h("a", { href: `#/explore/${encodeURIComponent(alert.account_id)}` }, "explore"),
    ),
  );
}
