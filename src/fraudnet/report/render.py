"""Render a network's intelligence report to HTML, and to PDF through headless Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import jinja2
import polars as pl
from markupsafe import Markup

from fraudnet.atomic import atomic_path, write_atomic
from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.report.charts import ROLE_COLOURS, money_timeline, network_picture
from fraudnet.report.data import ReportData, load_report_data, redacted
from fraudnet.report.template import TEMPLATE

SOURCE_TEXT = {"1": "reliable", "2": "untested", "3": "not reliable"}
INTEL_TEXT = {
    "A": "known directly",
    "B": "known indirectly but corroborated",
    "C": "known indirectly",
    "D": "not known",
    "E": "suspected to be false",
}
HANDLING_TEXT = {"P": "lawful sharing permitted", "C": "lawful sharing permitted with conditions"}
ROLE_ORDER = ("herder", "collector", "mule_tier2plus", "mule_tier1")
MAX_PAYMENT_ROWS = 150


class PdfUnavailable(FraudnetError, RuntimeError):
    """PDF output needs Chromium, which is not installed."""


@dataclass(frozen=True)
class Grading:
    """The UK 3x5x2 fields: proposed by the system, for the analyst to accept or change."""

    source: str = "2"
    intelligence: str = "B"
    handling: str = "C"
    conditions: str = "Share with law enforcement and the account-holding banks only."

    def __post_init__(self) -> None:
        if self.source not in SOURCE_TEXT or self.intelligence not in INTEL_TEXT:
            raise ValueError("source evaluation must be 1-3 and intelligence assessment A-E")
        if self.handling not in HANDLING_TEXT:
            raise ValueError("handling code must be P or C")


def _money(value: Decimal | float | int | None) -> str:
    return f"£{Decimal(value or 0).quantize(Decimal('0.01')):,}"


def _role_rows(data: ReportData) -> list[dict[str, object]]:
    holder = {r["account_id"]: r for r in data.holders.iter_rows(named=True)}
    names = {r["holder_party_id"]: r["name"] or "" for r in data.holders.iter_rows(named=True)}
    rows = []
    for r in data.roles.filter(pl.col("role") != "victim").iter_rows(named=True):
        evidence = json.loads(r["evidence"])
        info = holder.get(r["subject"])
        who = r["subject_kind"]
        if r["subject_kind"] == "party":
            who = "party " + names.get(r["subject"], "")
        if info:
            who = f"{info['name'] or info['holder_party_id']} ({info['institution']}, "
            who += f"{info['jurisdiction']})"
        rows.append(
            {
                "role": r["role"],
                "subject": r["subject"],
                "holder": who,
                "confidence": r["confidence"] or 0.0,
                "summary": evidence["summary"],
                "txns": ", ".join(evidence["transactions"][:8]),
                "ids": ", ".join(f"{i['kind']} {i['value']}" for i in evidence["identifiers"]),
                "colour": ROLE_COLOURS.get(r["role"], "#777"),
            }
        )
    return sorted(rows, key=lambda x: (ROLE_ORDER.index(str(x["role"])), str(x["subject"])))


def _victim_rows(data: ReportData) -> list[dict[str, str]]:
    rows = []
    for r in data.roles.filter(pl.col("role") == "victim").iter_rows(named=True):
        evidence = json.loads(r["evidence"])
        rows.append(
            {
                "subject": r["subject"],
                "summary": evidence["summary"],
                "txns": ", ".join(evidence["transactions"][:8]),
            }
        )
    return sorted(rows, key=lambda x: x["subject"])


def _account_flows(data: ReportData) -> list[dict[str, str]]:
    role = dict(zip(data.roles["subject"], data.roles["role"], strict=True))
    rows = []
    for account in data.accounts():
        got = data.payments.filter(pl.col("dst_account") == account)["amount"].sum()
        sent = data.payments.filter(pl.col("src_account") == account)["amount"].sum()
        rows.append(
            {
                "account": account,
                "role": role.get(account, ""),
                "money_in": _money(got),
                "money_out": _money(sent),
            }
        )
    return rows


def _when(value: object) -> str:
    return str(value)[:19] if value is not None else "unknown"


def _summary(data: ReportData, herders: int) -> str:
    n = data.network
    counts = data.roles.group_by("role").len()
    count = dict(zip(counts["role"], counts["len"], strict=True))
    opening = (
        f"A network of {n['size']} accounts received {_money(data.money('victim'))} from "
        f"{n['victims']} reported victim(s) between {_when(n['first_activity'])} and "
        f"{_when(n['last_activity'])} UTC."
    )
    if not n["victims"]:  # a ring started from detection's alerts
        opening = (
            f"A network of {n['size']} accounts active between {_when(n['first_activity'])} "
            f"and {_when(n['last_activity'])} UTC. No victim of it has reported: it was "
            "found from detection's alerts, alerted accounts paying the same collector or "
            "logged in to from the same device, so victim funds are not known."
        )
    return (
        f"{opening} It has {count.get('mule_tier1', 0)} tier-1 mule account(s) "
        f"that took victims' money, {count.get('mule_tier2plus', 0)} tier-2 relay(s), "
        f"{count.get('collector', 0)} collector(s) where the money converged and left, and "
        f"{herders} herder subject(s) (parties and devices controlling several mule "
        f"accounts). {_money(data.money('out'))} left the banking system by cash, crypto "
        "or abroad."
    )


def render_html(data: ReportData, grading: Grading | None = None) -> str:
    """The report as one self-contained HTML page (images embedded)."""
    grading = grading or Grading()
    herders = data.roles.filter(
        (pl.col("role") == "herder") & (pl.col("subject_kind") != "account")
    ).height
    shown = data.payments.head(MAX_PAYMENT_ROWS)
    payments = [
        {
            "ts": str(p["ts"])[:19],
            "txn_id": p["txn_id"],
            "src": p["src_account"],
            "dst": p["dst_account"] or "(cash)",
            "channel": p["channel"],
            "amount": _money(p["amount"]),
            "kind": p["kind"],
        }
        for p in shown.iter_rows(named=True)
    ]
    banner = "OFFICIAL-SENSITIVE &mdash; handling code " + grading.handling
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(TEMPLATE).render(
        n=data.network,
        active=f"{_when(data.network['first_activity'])} to {_when(data.network['last_activity'])}",
        handling_banner=Markup(banner),
        produced=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        seeded_from="reported fraud payments and alerts in the store",
        total_networks=data.total_networks,
        grading=grading,
        source_text=SOURCE_TEXT,
        intel_text=INTEL_TEXT,
        handling_text=HANDLING_TEXT,
        summary=_summary(data, herders),
        money_in=_money(data.money("victim")),
        money_internal=_money(data.money("internal")),
        money_out=_money(data.money("out")),
        herder_count=herders,
        picture=network_picture(data),
        timeline=money_timeline(data),
        members=_role_rows(data),
        victims=_victim_rows(data),
        payments=payments,
        more_payments=max(data.payments.height - MAX_PAYMENT_ROWS, 0),
        flows=_account_flows(data),
    )


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html_path: Path, pdf_path: Path) -> None:
    """Print the HTML page to PDF with headless Chromium."""
    binary = chromium_binary()
    if binary is None:
        raise PdfUnavailable(
            "PDF output needs Chromium (Debian: apt-get install chromium); write .html instead"
        )
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf_path}",
                html_path.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def write_report(
    engine: Engine,
    network_id: str,
    out: str | Path,
    grading: Grading | None = None,
    redact: bool = False,
) -> Path:
    """Write the report for `network_id` to `out` (.html, or .pdf through Chromium).

    The file appears whole (temporary name, then rename) and is readable by its owner only;
    `redact` masks holders' names and personal identifier values.
    """
    path = Path(out)
    data = load_report_data(engine, network_id)
    html = render_html(redacted(data) if redact else data, grading)
    if path.suffix.lower() != ".pdf":
        return write_atomic(path, html)
    if chromium_binary() is None:
        html_to_pdf(path, path)  # raises PdfUnavailable with the reason
    with tempfile.TemporaryDirectory() as tmp, atomic_path(path) as pdf:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        html_to_pdf(page, pdf)
    return path
