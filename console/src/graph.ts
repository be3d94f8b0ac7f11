// The network picture: Cytoscape draws the model; selection is shared with the timeline.

import cytoscape from "cytoscape";
import type { Core, ElementDefinition, NodeSingular } from "cytoscape";
import { edgeKey, NetworkModel, ROLE_COLOURS } from "./model";
import { money } from "./dom";

export interface GraphEvents {
  onSelectAccount(id: string | null): void;
  onSelectPayments(txnIds: string[]): void;
}

export class GraphView {
  readonly cy: Core;
  private laidOut = new Set<string>();

  constructor(
    container: HTMLElement,
    private readonly model: NetworkModel,
    private readonly events: GraphEvents,
  ) {
    this.cy = cytoscape({
      container,
      minZoom: 0.2,
      maxZoom: 3,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(colour)",
            label: "data(label)",
            "font-size": 9,
            color: "#222",
            "text-valign": "bottom",
            "text-margin-y": 3,
            width: 22,
            height: 22,
            "border-width": 1,
            "border-color": "#fff",
          },
        },
        { selector: "node[kind != 'account']", style: { shape: "diamond" } },
        { selector: "node.pinned", style: { "border-width": 4, "border-color": "#111", shape: "round-rectangle" } },
        { selector: "node.confirmed", style: { "background-color": "#000", color: "#000", "font-weight": "bold" } },
        {
          selector: "edge",
          style: {
            width: "data(width)",
            "line-color": "#b0b7bf",
            "target-arrow-color": "#b0b7bf",
            "target-arrow-shape": "triangle",
            "curve-style": "bezier",
            "arrow-scale": 0.8,
          },
        },
        { selector: "edge.link", style: { "line-style": "dashed", "target-arrow-shape": "none", width: 1, "line-color": "#7b241c" } },
        { selector: ".highlight", style: { "line-color": "#ffb000", "target-arrow-color": "#ffb000", "z-index": 10 } },
        { selector: "node.highlight", style: { "border-width": 4, "border-color": "#ffb000" } },
        { selector: ".onpath", style: { "line-color": "#1b9e77", "target-arrow-color": "#1b9e77", width: 5 } },
        { selector: "node.onpath", style: { "border-width": 4, "border-color": "#1b9e77" } },
        { selector: ":selected", style: { "overlay-opacity": 0.15, "overlay-color": "#ffb000" } },
      ],
    });
    this.cy.on("tap", "node", (e) => this.events.onSelectAccount(e.target.id()));
    this.cy.on("tap", "edge", (e) => this.events.onSelectPayments(e.target.data("txns") as string[]));
    this.cy.on("tap", (e) => {
      if (e.target === this.cy) this.events.onSelectAccount(null);
    });
  }

  /** Redraw from the model: add what is new, drop what is hidden or outside the brush. */
  render(): void {
    const members = this.model.visibleMembers();
    const wanted = new Set(members.map((m) => m.id));
    const edges = new Map<string, { src: string; dst: string; txns: string[]; total: number }>();
    for (const p of this.model.visiblePayments()) {
      const key = edgeKey(p);
      if (!key || !wanted.has(p.src_account!) || !wanted.has(p.dst_account!)) continue;
      const edge = edges.get(key) ?? { src: p.src_account!, dst: p.dst_account!, txns: [], total: 0 };
      edge.txns.push(p.txn_id);
      edge.total += Number(p.amount);
      edges.set(key, edge);
    }
    this.cy.batch(() => {
      this.cy.nodes().forEach((n) => {
        if (!wanted.has(n.id())) n.remove();
      });
      this.cy.edges().forEach((e) => {
        if (!edges.has(e.id())) e.remove();
      });
      const added: ElementDefinition[] = [];
      for (const m of members) {
        const colour = ROLE_COLOURS[m.role ?? "other"] ?? ROLE_COLOURS.other;
        const existing = this.cy.getElementById(m.id);
        const data = { id: m.id, label: shortLabel(m.id), colour, kind: m.kind, role: m.role ?? "other" };
        if (existing.nonempty()) existing.data(data);
        else added.push({ group: "nodes", data });
      }
      for (const m of members) {
        for (const account of m.links ?? []) {
          if (!wanted.has(account)) continue;
          const key = `link:${m.id}->${account}`;
          edges.set(key, { src: m.id, dst: account, txns: [], total: 0 });
        }
      }
      for (const [key, e] of edges) {
        const width = Math.min(8, 1 + Math.log10(1 + e.total) * 1.2);
        const data = { id: key, source: e.src, target: e.dst, txns: e.txns, width, title: `${e.txns.length} payments, ${money(e.total)}` };
        const existing = this.cy.getElementById(key);
        if (existing.nonempty()) existing.data(data);
        else added.push({ group: "edges", data, classes: key.startsWith("link:") ? "link" : "" });
      }
      this.cy.add(added);
      this.cy.nodes().forEach((n) => {
        n.toggleClass("pinned", this.model.pinned.has(n.id()));
        if (this.model.pinned.has(n.id())) n.lock();
        else n.unlock();
      });
    });
    this.layoutNew();
    // Counts on the container, for people reading the page's state and for the browser tests.
    const box = this.cy.container();
    if (box) {
      box.dataset.nodes = String(this.cy.nodes().length);
      box.dataset.edges = String(this.cy.edges().not(".link").length);
      box.dataset.pinned = String(this.cy.nodes(".pinned").length);
    }
  }

  /** Lay out when nodes arrive: new ones start beside a placed neighbour, then the whole picture
   * settles from where it is (not from scratch) with pinned nodes held where the analyst put them. */
  private layoutNew(): void {
    const fresh = this.cy.nodes().filter((n) => !this.laidOut.has(n.id()));
    if (fresh.empty()) return;
    const first = this.laidOut.size === 0;
    if (!first) {
      fresh.forEach((n) => {
        const anchor = n
          .neighborhood()
          .nodes()
          .filter((m) => this.laidOut.has(m.id()))[0] as NodeSingular | undefined;
        if (anchor) {
          const p = anchor.position();
          n.position({ x: p.x + (Math.random() - 0.5) * 80, y: p.y + (Math.random() - 0.5) * 80 });
        }
      });
    }
    this.cy
      .layout({
        name: "cose",
        animate: false,
        randomize: first,
        fit: true,
        padding: 20,
        nodeRepulsion: () => 9000,
        idealEdgeLength: () => 70,
      } as cytoscape.LayoutOptions)
      .run();
    fresh.forEach((n) => {
      this.laidOut.add(n.id());
    });
  }

  highlightAccount(id: string | null): void {
    this.cy.elements().removeClass("highlight");
    if (id) {
      const node = this.cy.getElementById(id);
      node.addClass("highlight");
      node.connectedEdges().addClass("highlight");
    }
    this.countHighlighted();
  }

  private countHighlighted(): void {
    const box = this.cy.container();
    if (box) box.dataset.highlightedEdges = String(this.cy.edges(".highlight").length);
  }

  highlightPayments(txnIds: Set<string>): void {
    this.cy.elements().removeClass("highlight");
    this.cy.edges().forEach((e) => {
      const txns = e.data("txns") as string[];
      if (txns.some((t) => txnIds.has(t))) {
        e.addClass("highlight");
        e.source().addClass("highlight");
        e.target().addClass("highlight");
      }
    });
    this.countHighlighted();
  }

  showPath(accounts: string[]): void {
    this.cy.elements().removeClass("onpath");
    for (let i = 0; i < accounts.length; i++) {
      this.cy.getElementById(accounts[i]).addClass("onpath");
      if (i + 1 < accounts.length) {
        this.cy.getElementById(`${accounts[i]}->${accounts[i + 1]}`).addClass("onpath");
        this.cy.getElementById(`${accounts[i + 1]}->${accounts[i]}`).addClass("onpath");
      }
    }
  }

  markConfirmed(id: string, confirmed: boolean): void {
    this.cy.getElementById(id).toggleClass("confirmed", confirmed);
  }
}

function shortLabel(id: string): string {
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-5)}` : id;
}
