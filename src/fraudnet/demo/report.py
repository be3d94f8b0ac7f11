"""The demo's HTML report: one page an analyst can open without a server."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pyarrow as pa
from jinja2 import Environment, select_autoescape

from fraudnet.demo.steps import DemoSettings, StepReport

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>fraudnet demo report</title>
<style>
 body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1b1f24; }
 header { border-bottom: 3px solid #0b3d91; margin-bottom: 1.5rem; }
 h1 { margin-bottom: .2rem; } .sub { color: #57606a; margin-top: 0; }
 section { margin: 1.5rem 0; padding: 1rem 1.2rem; border: 1px solid #d0d7de; border-radius: 8px; }
 .metrics { display: flex; flex-wrap: wrap; gap: .8rem; }
 .metric { background: #f6f8fa; border-radius: 6px; padding: .5rem .8rem; min-width: 9rem; }
 .metric b { display: block; font-size: 1.2rem; }
 table { border-collapse: collapse; margin-top: .8rem; }
 th, td { border-bottom: 1px solid #d0d7de; padding: .3rem .7rem; text-align: left; }
 th { background: #f6f8fa; } .note { color: #57606a; } .time { float: right; color: #57606a; }
</style></head><body>
<header><h1>fraudnet demo</h1>
<p class="sub">Synthetic world: {{ settings.accounts }} accounts, {{ settings.days }} days,
seed {{ settings.seed }} &middot; generated {{ generated }} UTC</p></header>
{% for step in steps %}
<section id="{{ step.name }}"><span class="time">{{ step.seconds }} s</span>
<h2>{{ step.title }}</h2>
<div class="metrics">{% for k, v in step.metrics.items() %}
<div class="metric">{{ k }}<b>{{ v }}</b></div>{% endfor %}</div>
{% if step.table_html %}{{ step.table_html | safe }}{% endif %}
{% if step.note %}<p class="note">{{ step.note }}</p>{% endif %}
</section>{% endfor %}
</body></html>
"""


def table_html(table: pa.Table) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.column_names)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row.values()) + "</tr>"
        for row in table.to_pylist()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_report(path: Path, settings: DemoSettings, steps: list[StepReport]) -> Path:
    env = Environment(autoescape=select_autoescape(default=True))
    page = env.from_string(TEMPLATE).render(
        settings=settings,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        steps=[
            {**vars(s), "table_html": table_html(s.table) if s.table is not None else ""}
            for s in steps
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page)
    return path
