"""The demo's HTML report: one page an analyst can open without a server."""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import pyarrow as pa
from jinja2 import Environment, select_autoescape

from fraudnet.atomic import write_atomic
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
{% if step.image_uri %}
<p><img alt="chart" src="{{ step.image_uri }}" style="max-width:32rem"></p>{% endif %}
{% if step.note %}<p class="note">{{ step.note }}</p>{% endif %}
{% if step.link_name %}
<p><a href="{{ step.link_name }}">Open the intelligence report</a></p>{% endif %}
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


def _data_uri(png: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode()


def write_report(path: Path, settings: DemoSettings, steps: list[StepReport]) -> Path:
    env = Environment(autoescape=select_autoescape(default=True))
    page = env.from_string(TEMPLATE).render(
        settings=settings,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        steps=[
            {
                **vars(s),
                "table_html": table_html(s.table) if s.table is not None else "",
                "image_uri": _data_uri(s.image) if s.image and s.image.exists() else "",
                "link_name": s.link.name if s.link else "",
            }
            for s in steps
        ],
    )
    return write_atomic(path, page)
