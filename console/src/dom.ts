// A tiny element builder: every value goes in as text, never as HTML, so store data cannot inject markup.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "style") {
      // Through the CSSOM: the server's CSP (style-src 'self') refuses inline style attributes.
      el.style.cssText = String(value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

const pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

/** Money arrives from the API as a decimal string; shown in pounds without float arithmetic on sums. */
export function money(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  return pounds.format(Number(value));
}

/** Timestamps are UTC in the store; show them as UTC so every analyst sees the same time. */
export function utc(value: string | null | undefined): string {
  if (!value) return "";
  const d = new Date(value.endsWith("Z") || /[+-]\d\d:?\d\d$/.test(value) ? value : value + "Z");
  if (Number.isNaN(d.getTime())) return value;
  return d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

export function parseUtc(value: string): number {
  return new Date(value.endsWith("Z") || /[+-]\d\d:?\d\d$/.test(value) ? value : value + "Z").getTime();
}
