"""The report's HTML (Jinja2), kept in Python so it ships with the package."""

from __future__ import annotations

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Intelligence report {{ n.network_id }}</title>
<style>
 body { font-family: "Helvetica Neue", Arial, sans-serif; color: #1c2833; margin: 28px 36px;
        font-size: 13px; }
 h1 { font-size: 21px; margin: 4px 0 2px; } h2 { font-size: 16px; border-bottom: 2px solid #1c2833;
      padding-bottom: 3px; margin-top: 26px; }
 .marking { background: #1c2833; color: white; text-align: center; font-weight: bold;
            letter-spacing: 2px; padding: 4px; }
 table { border-collapse: collapse; width: 100%; margin: 6px 0; }
 th, td { border: 1px solid #aab7b8; padding: 4px 6px; text-align: left; vertical-align: top; }
 th { background: #eaeded; }
 .grading td { width: 33%; } .grading select { font-size: 13px; }
 .facts td:first-child { width: 32%; font-weight: bold; background: #f4f6f6; }
 .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
 .role { display: inline-block; padding: 1px 6px; border-radius: 3px; color: white;
         font-size: 11px; }
 .small { font-size: 11px; color: #566573; }
 code { font-size: 11px; }
 img { max-width: 100%; }
 @media print { h2 { page-break-after: avoid; } table { page-break-inside: auto; }
                tr { page-break-inside: avoid; } }
</style></head><body>
<div class="marking">{{ handling_banner }}</div>
<h1>Intelligence report: mule network {{ n.network_id }}</h1>
<div class="small">Produced by fraudnet on {{ produced }} UTC from {{ seeded_from }}.
Ranked {{ n.rank }} of {{ total_networks }} networks (victim funds moved, then number of
victims).</div>

<h2>Grading (UK 3x5x2)</h2>
<table class="grading"><tr><th>Source evaluation</th><th>Intelligence assessment</th>
<th>Handling code</th></tr>
<tr><td>{{ grading.source }} &mdash; {{ source_text[grading.source] }}</td>
<td>{{ grading.intelligence }} &mdash; {{ intel_text[grading.intelligence] }}</td>
<td>{{ grading.handling }} &mdash; {{ handling_text[grading.handling] }}</td></tr>
<tr><td colspan="3" class="small">Proposed by the system for the analyst to accept or change
before dissemination. Analyst: ______________________ Date: ____________
{% if grading.conditions %}Conditions: {{ grading.conditions }}{% endif %}</td></tr></table>

<h2>Summary</h2>
<p>{{ summary }}</p>
<table class="facts">
<tr><td>Accounts in the network</td><td>{{ n.size }}</td></tr>
<tr><td>Victims (reported)</td><td>{{ n.victims }}</td></tr>
<tr><td>Victim funds paid in</td><td>{{ money_in }}</td></tr>
<tr><td>Moved between members</td><td>{{ money_internal }}</td></tr>
<tr><td>Taken out of member accounts (cash, crypto, abroad)</td><td>{{ money_out }}</td></tr>
<tr><td>Active</td><td>{{ active }} UTC</td></tr>
<tr><td>Herders (parties, devices)</td><td>{{ herder_count }}</td></tr>
</table>

<h2>Network picture</h2>
<img alt="network picture" src="data:image/png;base64,{{ picture }}">
<div class="small">Arrows: payments (victims in blue on the edge). Squares: devices used to log in
to several members' accounts. Labels: last six characters of the account.</div>

<h2>Members and roles</h2>
<table><tr><th>Role</th><th>Subject</th><th>Holder / kind</th><th>Confidence</th>
<th>Evidence</th></tr>
{% for r in members %}<tr><td><span class="role" style="background: {{ r.colour }}">{{ r.role
}}</span></td><td><code>{{ r.subject }}</code></td><td>{{ r.holder }}</td>
<td class="num">{{ "%.2f"|format(r.confidence) }}</td><td>{{ r.summary }}
{% if r.txns %}<div class="small">Transactions: {{ r.txns }}</div>{% endif %}
{% if r.ids %}<div class="small">Identifiers: {{ r.ids }}</div>{% endif %}</td></tr>
{% endfor %}</table>

<h2>Victims</h2>
<table><tr><th>Victim party</th><th>Evidence</th></tr>
{% for r in victims %}<tr><td><code>{{ r.subject }}</code></td><td>{{ r.summary }}
<div class="small">Transactions: {{ r.txns }}</div></td></tr>{% endfor %}</table>

<h2>Timeline of money movement</h2>
<img alt="money timeline" src="data:image/png;base64,{{ timeline }}">
<table><tr><th>When (UTC)</th><th>Transaction</th><th>From</th><th>To</th><th>Channel</th>
<th class="num">Amount</th><th>Kind</th></tr>
{% for p in payments %}<tr><td>{{ p.ts }}</td><td><code>{{ p.txn_id }}</code></td>
<td><code>{{ p.src }}</code></td><td><code>{{ p.dst }}</code></td><td>{{ p.channel }}</td>
<td class="num">{{ p.amount }}</td><td>{{ p.kind }}</td></tr>{% endfor %}
</table>
{% if more_payments %}<div class="small">{{ more_payments }} further payments are in the store
(table transactions).</div>{% endif %}

<h2>Amounts in and out per account</h2>
<table><tr><th>Account</th><th>Role</th><th class="num">In</th><th class="num">Out</th></tr>
{% for a in flows %}<tr><td><code>{{ a.account }}</code></td><td>{{ a.role }}</td>
<td class="num">{{ a.money_in }}</td><td class="num">{{ a.money_out }}</td></tr>{% endfor %}
</table>

<h2>Method and caveats</h2>
<p class="small">Members were found by following reported fraud payments (and alerts where
present) forward in time for a bounded number of hops, keeping accounts that receive tainted
money from two or more members, and adding accounts operated from devices that log in to
several members' accounts. Roles are inferred from payments and log-ins; every role lists the
transactions and identifiers behind it. Unreported victims and mules whose money never touched
a reported payment may be missing. Amounts are exact to the penny (decimal arithmetic).</p>
<div class="marking">{{ handling_banner }}</div>
</body></html>
"""
