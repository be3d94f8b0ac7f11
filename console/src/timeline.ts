// The payments on a time axis under the graph. Drag to brush a time window (the graph filters to it);
// click a payment to find it in the graph; payments of the account selected in the graph light up.

import { money, parseUtc, utc } from "./dom";
import { NetworkModel, Payment } from "./model";

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 150;
const PAD = { left: 50, right: 16, top: 12, bottom: 26 };

export interface TimelineEvents {
  onBrush(range: [number, number] | null): void;
  onSelectPayments(txnIds: string[]): void;
}

export class TimelineView {
  readonly svg: SVGSVGElement;
  private highlighted = new Set<string>();
  private range: [number, number] | null = null;
  private width = 800;

  constructor(
    container: HTMLElement,
    private readonly model: NetworkModel,
    private readonly events: TimelineEvents,
  ) {
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.setAttribute("class", "timeline");
    this.svg.setAttribute("height", String(HEIGHT));
    this.svg.setAttribute("role", "img");
    this.svg.setAttribute("aria-label", "payments over time; drag to filter the graph to a time window");
    container.appendChild(this.svg);
    this.attachBrush();
  }

  highlight(txnIds: Set<string>): void {
    this.highlighted = txnIds;
    this.svg.querySelectorAll<SVGCircleElement>("circle.payment").forEach((c) => {
      c.classList.toggle("highlight", txnIds.has(c.dataset.txn ?? ""));
    });
  }

  render(): void {
    this.width = Math.max(400, this.svg.parentElement?.clientWidth ?? 800);
    this.svg.setAttribute("width", String(this.width));
    while (this.svg.firstChild) this.svg.removeChild(this.svg.firstChild);
    this.range = this.model.timeRange();
    const payments = [...this.model.payments.values()].filter(
      (p) => !(p.src_account && this.model.hidden.has(p.src_account)) && !(p.dst_account && this.model.hidden.has(p.dst_account)),
    );
    if (!this.range || !payments.length) {
      this.text(PAD.left, HEIGHT / 2, "no payments to show", "empty");
      return;
    }
    const maxAmount = Math.max(...payments.map((p) => Number(p.amount)), 1);
    this.axis();
    for (const p of payments) this.dot(p, maxAmount);
    if (this.model.brush) this.drawBrush(this.x(this.model.brush[0]), this.x(this.model.brush[1]));
    this.highlight(this.highlighted);
  }

  private dot(p: Payment, maxAmount: number): void {
    const c = document.createElementNS(SVG, "circle");
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const y = PAD.top + plotH - (Math.log10(1 + Number(p.amount)) / Math.log10(1 + maxAmount)) * plotH;
    c.setAttribute("cx", String(this.x(parseUtc(p.ts))));
    c.setAttribute("cy", String(y));
    c.setAttribute("r", "4");
    c.setAttribute("class", `payment${this.model.inBrush(p) ? "" : " outside"}`);
    c.dataset.txn = p.txn_id;
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${utc(p.ts)} ${money(p.amount)} ${p.src_account ?? "cash"} → ${p.dst_account ?? "out"} (${p.channel ?? ""})`;
    c.appendChild(title);
    c.addEventListener("mousedown", (e) => e.stopPropagation());
    c.addEventListener("click", (e) => {
      e.stopPropagation();
      this.events.onSelectPayments([p.txn_id]);
    });
    this.svg.appendChild(c);
  }

  private axis(): void {
    const [t0, t1] = this.range!;
    const line = document.createElementNS(SVG, "line");
    const y = HEIGHT - PAD.bottom;
    line.setAttribute("x1", String(PAD.left));
    line.setAttribute("x2", String(this.width - PAD.right));
    line.setAttribute("y1", String(y));
    line.setAttribute("y2", String(y));
    line.setAttribute("class", "axis");
    this.svg.appendChild(line);
    const ticks = 5;
    for (let i = 0; i <= ticks; i++) {
      const t = t0 + ((t1 - t0) * i) / ticks;
      this.text(this.x(t), HEIGHT - 8, new Date(t).toISOString().slice(5, 16).replace("T", " "), "tick");
    }
    this.text(4, PAD.top + 8, "£ (log)", "tick-left");
  }

  private text(x: number, y: number, words: string, cls: string): void {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", String(x));
    t.setAttribute("y", String(y));
    t.setAttribute("class", cls);
    t.textContent = words;
    this.svg.appendChild(t);
  }

  private x(t: number): number {
    const [t0, t1] = this.range!;
    const span = Math.max(1, t1 - t0);
    return PAD.left + ((t - t0) / span) * (this.width - PAD.left - PAD.right);
  }

  private t(x: number): number {
    const [t0, t1] = this.range!;
    const frac = (x - PAD.left) / (this.width - PAD.left - PAD.right);
    return t0 + Math.min(1, Math.max(0, frac)) * (t1 - t0);
  }

  private drawBrush(xa: number, xb: number): SVGRectElement {
    let rect = this.svg.querySelector<SVGRectElement>("rect.brush");
    if (!rect) {
      rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("class", "brush");
      this.svg.insertBefore(rect, this.svg.firstChild);
    }
    rect.setAttribute("x", String(Math.min(xa, xb)));
    rect.setAttribute("width", String(Math.abs(xb - xa)));
    rect.setAttribute("y", String(PAD.top - 4));
    rect.setAttribute("height", String(HEIGHT - PAD.top - PAD.bottom + 4));
    return rect;
  }

  private attachBrush(): void {
    let start: number | null = null;
    const localX = (e: MouseEvent): number => e.clientX - this.svg.getBoundingClientRect().left;
    this.svg.addEventListener("mousedown", (e) => {
      if (!this.range) return;
      start = localX(e);
      e.preventDefault();
    });
    window.addEventListener("mousemove", (e) => {
      if (start !== null) this.drawBrush(start, localX(e));
    });
    window.addEventListener("mouseup", (e) => {
      if (start === null) return;
      const end = localX(e);
      const a = Math.min(start, end);
      const b = Math.max(start, end);
      start = null;
      // A click without a drag clears the brush.
      this.events.onBrush(b - a < 4 ? null : [this.t(a), this.t(b)]);
    });
  }
}
