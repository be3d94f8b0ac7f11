// The network view: the graph (roles coloured) over a payment timeline, tied together:
// select an account and its payments light up on the timeline; brush the timeline and the graph
// keeps only that window; click a payment and its edge lights up. A side panel expands, hides and
// pins the selected account, finds a path between two accounts, records a decision and notes.

import { session } from "../api";
import { clear, h, money, utc } from "../dom";
import { api, AccountView } from "../endpoints";
import { GraphView } from "../graph";
import { NetworkModel, ROLE_COLOURS, ROLE_WORDS } from "../model";
import { TimelineView } from "../timeline";

const DECIDERS = new Set(["analyst", "supervisor"]);

export async function networkPage(main: HTMLElement, networkId: string, focus = ""): Promise<void> {
  const model = new NetworkModel();
  let title = `Around ${focus}`;
  let timelineNote = "";
  if (networkId) {
    const detail = await api.network(networkId);
    title = `Network ${detail.network.network_id}`;
    for (const role of detail.members) {
      model.addMember({
        id: role.subject,
        kind: role.subject_kind,
        role: role.role,
        confidence: role.confidence,
        summary: role.summary || role.evidence?.summary || null,
        links: role.subject_kind === "account" ? [] : (role.evidence?.accounts ?? []),
        evidence: [...new Set(role.evidence?.transactions ?? [])],
      });
    }
    const loaded = await api.networkTimeline(networkId);
    for (const p of loaded.payments) model.addPayment(p);
    if (loaded.truncated) timelineNote = `Only the first ${loaded.payments.length} payments are shown.`;
  } else {
    model.addMember({ id: focus, kind: "account", role: null });
    await grow(model, focus);
  }

  const status = h("p", { id: "status", class: "muted", role: "status" });
  const graphBox = h("div", { id: "graph", class: "graph" });
  const timelineBox = h("div", { id: "timeline", class: "timeline-box" });
  const panel = h("aside", { id: "panel", class: "panel" });
  const hiddenList = h("div", { id: "hidden-list" });
  main.append(
    h("h1", {}, title),
    legend(),
    h("div", { class: "network-layout" }, h("div", { class: "network-main" }, graphBox, timelineBox, status), panel),
  );

  let selected: string | null = null;
  const graph = new GraphView(graphBox, model, {
    onSelectAccount: (id) => select(id),
    onSelectPayments: (txns) => selectPayments(txns),
  });
  const timeline = new TimelineView(timelineBox, model, {
    onBrush: (range) => {
      model.brush = range;
      model.changed();
      status.textContent = range
        ? `Showing payments from ${utc(new Date(range[0]).toISOString())} to ${utc(new Date(range[1]).toISOString())}: ${model.visiblePayments().length} of ${model.payments.size}.`
        : `Showing all ${model.payments.size} payments.`;
    },
    onSelectPayments: (txns) => selectPayments(txns),
  });
  model.onChange(() => {
    graph.render();
    timeline.render();
    drawHidden();
    drawPanel();
    if (selected) graph.highlightAccount(selected);
  });

  function selectPayments(txns: string[]): void {
    const set = new Set(txns);
    graph.highlightPayments(set);
    timeline.highlight(set);
    const ps = txns.map((t) => model.payments.get(t)).filter((p) => p !== undefined);
    status.textContent = ps
      .slice(0, 5)
      .map((p) => `${p.txn_id}: ${utc(p.ts)} ${money(p.amount)} ${p.src_account ?? "cash"} → ${p.dst_account ?? "out"}`)
      .join(" · ");
  }

  function select(id: string | null): void {
    selected = id;
    graph.highlightAccount(id);
    const txns = new Set<string>();
    if (id) for (const p of model.payments.values()) if (p.src_account === id || p.dst_account === id) txns.add(p.txn_id);
    timeline.highlight(txns);
    drawPanel();
  }

  const pathFrom = h("input", { id: "path-from", placeholder: "from account", class: "mono" });
  const pathTo = h("input", { id: "path-to", placeholder: "to account", class: "mono" });
  const pathResult = h("p", { id: "path-result", class: "muted" });
  const pathForm = h(
    "form",
    { id: "path-form" },
    h("h2", {}, "Path between two accounts"),
    pathFrom,
    pathTo,
    h("button", { type: "submit", id: "path-find" }, "Find path"),
    pathResult,
  );
  pathForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    pathResult.textContent = "";
    try {
      const path = await api.path(pathFrom.value.trim(), pathTo.value.trim());
      for (const p of path.payments) model.addPayment(p);
      model.changed();
      graph.showPath(path.accounts);
      const ids = new Set(path.payments.map((p) => p.txn_id));
      timeline.highlight(ids);
      pathResult.textContent = path.found
        ? `${path.accounts.length - 1} step${path.accounts.length === 2 ? "" : "s"}, at least ${money(path.bottleneck)} through each: ${path.accounts.join(" → ")}`
        : "No money path between these accounts.";
    } catch (err) {
      pathResult.textContent = message(err);
    }
  });

  const notes = networkId ? notesBox(networkId) : null;

  function drawHidden(): void {
    clear(hiddenList);
    if (!model.hidden.size) return;
    hiddenList.append(
      h("h2", {}, "Hidden"),
      ...[...model.hidden].map((id) =>
        h(
          "button",
          {
            type: "button",
            class: "chip",
            onclick: () => {
              model.hidden.delete(id);
              model.changed();
            },
          },
          `show ${id}`,
        ),
      ),
    );
  }

  /** Every member as a button: the graph is a canvas, so this is how a keyboard selects one. */
  function memberList(): HTMLElement {
    const members = model.visibleMembers().sort((a, b) => (a.role ?? "zz").localeCompare(b.role ?? "zz") || a.id.localeCompare(b.id));
    return h(
      "details",
      { id: "member-list", open: !selected },
      h("summary", {}, `Members in view (${members.length})`),
      h(
        "ul",
        { class: "members" },
        ...members.map((m) =>
          h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: "member", "data-member": m.id, onclick: () => select(m.id) },
              h("span", { class: "swatch", style: `background:${ROLE_COLOURS[m.role ?? "other"] ?? ROLE_COLOURS.other}` }),
              m.id,
            ),
          ),
        ),
      ),
    );
  }

  function drawPanel(): void {
    clear(panel);
    panel.append(pathForm, hiddenList, memberList());
    if (notes) panel.append(notes);
    if (!selected) {
      panel.prepend(h("p", { class: "muted" }, "Select an account in the graph or a payment on the timeline. Drag across the timeline to filter by time."));
      return;
    }
    const id = selected;
    const member = model.members.get(id);
    const role = member?.role ?? "other";
    const pinned = model.pinned.has(id);
    const decision = h("p", { id: "decision-result", role: "status" });
    const reason = h("input", { id: "decision-reason", placeholder: "why (required)" });
    const decide = async (label: "confirm" | "reject") => {
      if (!reason.value.trim()) {
        decision.textContent = "Say why before recording a decision.";
        return;
      }
      try {
        const made = (await api.decideMule(id, label, networkId || null, reason.value.trim())).written;
        decision.textContent = `Recorded: ${made.subject} is ${made.label}, by ${made.decided_by} at ${utc(made.decided_at)}.`;
        graph.markConfirmed(id, label === "confirm");
        accountCache.delete(id);
      } catch (err) {
        decision.textContent = message(err);
      }
    };
    const canDecide = DECIDERS.has(session()?.role ?? "");
    const box = h(
      "section",
      { id: "account-box" },
      h("h2", { class: "mono" }, id),
      h("p", {}, h("span", { class: "swatch", style: `background:${ROLE_COLOURS[role] ?? ROLE_COLOURS.other}` }), " ", ROLE_WORDS[role] ?? role),
      member?.summary ? h("p", { class: "evidence" }, member.summary) : null,
      member?.confidence != null ? h("p", { class: "muted" }, `confidence ${member.confidence.toFixed(2)}`) : null,
      member?.evidence?.length
        ? h(
            "button",
            { type: "button", id: "show-evidence", onclick: () => selectPayments(member.evidence ?? []) },
            `Show the ${member.evidence.length} evidence payments`,
          )
        : null,
      member?.kind === "account" || !member ? accountFacts(id) : null,
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "button", id: "expand", onclick: () => void expand(id) }, "Expand (1 hop)"),
        h(
          "button",
          {
            type: "button",
            id: "hide",
            onclick: () => {
              model.hidden.add(id);
              model.pinned.delete(id);
              select(null);
              model.changed();
            },
          },
          "Hide",
        ),
        h(
          "button",
          {
            type: "button",
            id: "pin",
            onclick: () => {
              if (pinned) model.pinned.delete(id);
              else model.pinned.add(id);
              model.changed();
              drawPanel();
            },
          },
          pinned ? "Unpin" : "Pin",
        ),
        h("button", { type: "button", id: "path-set-from", onclick: () => (pathFrom.value = id) }, "Path from"),
        h("button", { type: "button", id: "path-set-to", onclick: () => (pathTo.value = id) }, "Path to"),
      ),
      canDecide
        ? h(
            "div",
            { class: "decide" },
            h("h2", {}, "Decision"),
            reason,
            h("button", { type: "button", id: "confirm-mule", class: "danger", onclick: () => void decide("confirm") }, "Confirm mule"),
            h("button", { type: "button", id: "reject-mule", onclick: () => void decide("reject") }, "Reject: legitimate"),
            decision,
          )
        : h("p", { class: "muted" }, "Your role can look but not decide."),
    );
    panel.prepend(box);
  }

  async function expand(id: string): Promise<void> {
    status.textContent = `Expanding ${id}…`;
    try {
      const added = await grow(model, id);
      model.changed();
      status.textContent = `Expanded ${id}: ${added} new accounts, ${model.members.size} in view.`;
    } catch (err) {
      status.textContent = message(err);
    }
  }

  model.changed();
  drawPanel();
  if (focus && model.members.has(focus)) select(focus);
  status.textContent =
    timelineNote || `${model.members.size} members and ${model.payments.size} payments. Drag across the timeline to filter by time.`;
}

/** The case on this network and its notes; the first note opens the case if there is none. */
function notesBox(networkId: string): HTMLElement {
  const list = h("ul", { id: "notes", class: "notes" });
  const text = h("textarea", { id: "note-text", rows: 3, placeholder: "Add a case note" });
  const result = h("p", { class: "muted", role: "status", id: "note-status" });
  const heading = h("h2", {}, "Case notes");
  let caseId: string | null = null;
  const draw = async () => {
    try {
      if (!caseId) caseId = (await api.cases()).items.find((c) => c.network_id === networkId)?.case_id ?? null;
      if (!caseId) {
        result.textContent = "No case on this network yet: the first note opens one.";
        return;
      }
      const view = await api.caseView(caseId);
      heading.textContent = `Case notes: ${view.case.title} (${view.case.status})`;
      result.textContent = "";
      list.replaceChildren(...view.notes.map((n) => h("li", {}, h("span", { class: "muted" }, `${n.author}, ${utc(n.written_at)}: `), n.text)));
    } catch (err) {
      result.textContent = message(err);
    }
  };
  const form = h("form", { id: "note-form" }, heading, list, text, h("button", { type: "submit", id: "note-add" }, "Add note"), result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!text.value.trim()) return;
    try {
      if (!caseId) caseId = (await api.openCase(networkId, `Network ${networkId}`, "opened from the console with its first note")).id;
      await api.addNote(caseId, text.value.trim());
      text.value = "";
      await draw();
    } catch (err) {
      result.textContent = message(err);
    }
  });
  void draw();
  return form;
}

/** One hop around `id`: its neighbours (by payment or a shared device) and its payments. */
async function grow(model: NetworkModel, id: string): Promise<number> {
  const [grown, payments] = await Promise.all([api.expand(id, 1), api.accountTimeline(id)]);
  let added = 0;
  for (const n of grown.nodes) {
    const shared = n.via.startsWith("shares");
    if (model.addMember({ id: n.node, kind: "account", role: null, summary: `${n.via} ${id}`, links: shared ? [id] : [] }))
      added++;
  }
  for (const p of payments.payments) model.addPayment(p);
  return added;
}

const accountCache = new Map<string, Promise<AccountView>>();

/** The account's bank, totals and latest decision (no personal details: the holder is an id). */
function accountFacts(id: string): HTMLElement {
  const box = h("dl", { class: "facts", id: "account-facts" });
  if (!accountCache.has(id)) accountCache.set(id, api.account(id));
  accountCache
    .get(id)!
    .then((view) => {
      const a = view.account;
      const p = view.payments;
      const last = view.decisions[view.decisions.length - 1];
      const rows: Array<[string, string]> = [
        ["bank", `${a.institution ?? "?"} (${a.jurisdiction ?? "?"})`],
        ["kind", String(a.kind ?? "")],
        ["opened", utc(a.opened_at as string | null)],
        ["in", `${p.payments_in ?? 0} payments, ${money(p.amount_in as string)}`],
        ["out", `${p.payments_out ?? 0} payments, ${money(p.amount_out as string)}`],
      ];
      if (last) rows.push(["decision", `${last.label} by ${last.decided_by}`]);
      box.replaceChildren(...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
    })
    .catch((err: unknown) => {
      accountCache.delete(id);
      box.replaceChildren(h("dd", { class: "muted" }, message(err)));
    });
  return box;
}

function legend(): HTMLElement {
  return h(
    "div",
    { class: "legend", id: "legend" },
    ...Object.entries(ROLE_WORDS).map(([role, words]) =>
      h("span", {}, h("span", { class: "swatch", style: `background:${ROLE_COLOURS[role]}` }), words),
    ),
    h("span", {}, h("span", { class: "swatch pinned-swatch" }), "pinned"),
  );
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
