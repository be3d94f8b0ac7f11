// The console's entry: a hash router over a handful of pages, each a function that fills <main>.

import "./style.css";
import { logout, session } from "./api";
import { append, clear, h } from "./dom";
import { loginPage } from "./pages/login";
import { queuePage } from "./pages/queue";
import { networksPage } from "./pages/networks";
import { networkPage } from "./pages/network";
import { tracesPage, tracePage } from "./pages/trace";
import { auditPage } from "./pages/audit";

type Page = (main: HTMLElement, ...args: string[]) => Promise<void> | void;

const ROUTES: Array<[RegExp, Page]> = [
  [/^#\/login$/, loginPage],
  [/^#\/queue$/, queuePage],
  [/^#\/networks$/, networksPage],
  [/^#\/network\/([^/]+)(?:\/([^/]+))?$/, networkPage],
  [/^#\/explore\/([^/]+)$/, (main, account) => networkPage(main, "", account)],
  [/^#\/traces$/, tracesPage],
  [/^#\/trace\/([^/]+)$/, tracePage],
  [/^#\/audit$/, auditPage],
];

const AUDIT_ROLES = new Set(["supervisor", "admin"]);

function topbar(): void {
  const bar = document.getElementById("topbar")!;
  clear(bar);
  const who = session();
  const link = (href: string, words: string) =>
    h("a", { href, class: location.hash.startsWith(href) ? "active" : "" }, words);
  append(
    bar,
    h("span", { class: "brand" }, "fraudnet"),
    who
      ? h(
          "nav",
          {},
          link("#/queue", "Alert queue"),
          link("#/networks", "Networks"),
          link("#/traces", "Tracing"),
          AUDIT_ROLES.has(who.role) ? link("#/audit", "Audit log") : null,
        )
      : h("nav", {}),
    who
      ? h(
          "span",
          { class: "who" },
          `${who.user_id} (${who.role})`,
          h(
            "button",
            {
              type: "button",
              id: "logout",
              onclick: () => {
                logout();
                location.hash = "#/login";
              },
            },
            "Log out",
          ),
        )
      : null,
  );
}

async function route(): Promise<void> {
  const main = document.getElementById("app")!;
  const hash = location.hash || "#/queue";
  if (!session() && hash !== "#/login") {
    location.hash = "#/login";
    return;
  }
  topbar();
  clear(main);
  for (const [pattern, page] of ROUTES) {
    const match = pattern.exec(hash);
    if (match) {
      try {
        await page(main, ...match.slice(1).map((part) => (part === undefined ? "" : decodeURIComponent(part))));
      } catch (err) {
        main.append(h("p", { class: "error", role: "alert" }, String(err instanceof Error ? err.message : err)));
      }
      return;
    }
  }
  main.append(h("p", { class: "error" }, `No page at ${hash}.`));
}

window.addEventListener("hashchange", () => void route());
void route();
