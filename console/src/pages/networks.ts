// The networks found, most victim money first; each opens in the network view.

import { h, money, utc } from "../dom";
import { api } from "../endpoints";

export async function networksPage(main: HTMLElement): Promise<void> {
  const networks = (await api.networks()).items;
  main.append(
    h("h1", {}, "Networks"),
    h("p", { class: "muted" }, "Organised groups found from alerts and reported fraud, ranked by the victim money they moved."),
    h(
      "table",
      { class: "queue", id: "network-table" },
      h(
        "thead",
        {},
        h("tr", {}, ...["Rank", "Network", "Accounts", "Victims", "Victim money in", "Money out", "Shape", "Active"].map((w) => h("th", {}, w))),
      ),
      h(
        "tbody",
        {},
        ...networks.map((n) =>
          h(
            "tr",
            {},
            h("td", {}, n.rank ?? ""),
            h("td", {}, h("a", { href: `#/network/${encodeURIComponent(n.network_id)}` }, n.network_id)),
            h("td", {}, n.size),
            h("td", {}, n.victims ?? ""),
            h("td", {}, money(n.victim_funds)),
            h("td", {}, money(n.funds_out)),
            h("td", {}, (n.typology ?? "").replace(/_/g, " ")),
            h("td", {}, `${utc(n.first_activity)} – ${utc(n.last_activity)}`),
          ),
        ),
      ),
    ),
  );
}
