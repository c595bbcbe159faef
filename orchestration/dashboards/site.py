"""Render the screens to static HTML: data from the publication's marts, charts by Plotly.

Every page embeds its own rows (a store page only its client's) and loads two files shipped
beside it: ``plotly.min.js``, copied from the installed ``plotly`` package, and
``dashboards.js``, which draws each chart with Plotly from the rows that pass the page's
filters. Nothing is fetched: the pages open from disk with no network.
"""

from __future__ import annotations

import html
import json
import math
import re
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from orchestration.dashboards.screens import SCREENS, Screen

ASSETS = Path(__file__).resolve().parent / "assets"
CATALOG = "published.marts"  # the publication's schema marts (build.open_publication)


def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _value(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def present_marts(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = 'published' and table_schema = 'marts'"
    ).fetchall()
    return {row[0] for row in rows}


def _rows(con: duckdb.DuckDBPyConnection, query: str, params: dict) -> tuple[list, list]:
    cursor = con.execute(query, params) if params else con.execute(query)
    columns = [d[0] for d in cursor.description]
    return columns, [
        {name: _value(v) for name, v in zip(columns, row, strict=True)}
        for row in cursor.fetchall()
    ]


def page_data(
    con: duckdb.DuckDBPyConnection, screen: Screen, present: set[str], client: str | None
) -> dict:
    """The rows and chart specifications of one page (``client``: a store page's client)."""
    sections = []
    for s_index, section in enumerate(screen.sections):
        entry: dict = {"mart": section.mart, "note": section.note, "rows": None, "columns": []}
        if section.mart in present:
            query = section.query.replace("{mart}", f"{CATALOG}.{section.mart}")
            params = {"client": client} if "$client" in query else {}
            entry["columns"], entry["rows"] = _rows(con, query, params)
            entry["columns"] = [c for c in entry["columns"] if c != "period" or
                                any(ch.columns and "period" in ch.columns
                                    for ch in section.charts)]
        entry["charts"] = [
            {
                "id": f"chart-{s_index}-{c_index}", "title": chart.title, "kind": chart.kind,
                "x": chart.x, "y": list(chart.y), "color": chart.color, "stack": chart.stack,
                "columns": list(chart.columns), "ignore": list(chart.ignore), "mean": chart.mean,
            }
            for c_index, chart in enumerate(section.charts)
        ]
        sections.append(entry)
    return {
        "filters": [{"field": f.field, "label": f.label, "default": f.default}
                    for f in screen.filters],
        "sections": sections,
    }


def _script_json(value: object) -> str:
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def page_html(title: str, subtitle: str, nav: list[tuple[str, str]], data: dict) -> str:
    links = " ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>'
                     for href, text in nav)
    body = []
    for section in data["sections"]:
        body.append(f'<section><h2>marts.{html.escape(section["mart"])}</h2>')
        if section["note"]:
            body.append(f'<p class="note">{html.escape(section["note"])}</p>')
        if section["rows"] is None:
            body.append(
                f'<p class="missing">marts.{html.escape(section["mart"])} is not in this '
                "publication: nothing to show.</p>"
            )
        elif not section["rows"]:
            body.append(f'<p class="missing">marts.{html.escape(section["mart"])} has no rows '
                        "for this page.</p>")
        else:
            body.extend(f'<div class="chart" id="{c["id"]}"></div>' for c in section["charts"])
        body.append("</section>")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} · Tallyhouse</title>
<link rel="stylesheet" href="dashboards.css">
<script src="plotly.min.js"></script>
<script src="dashboards.js"></script>
</head>
<body>
<header><nav>{links}</nav><h1>{html.escape(title)}</h1>
<p class="subtitle">{html.escape(subtitle)}</p><div id="filters"></div></header>
<main>
{chr(10).join(body)}
</main>
<script>drawPage({_script_json(data)});</script>
</body>
</html>
"""


def client_names(con: duckdb.DuckDBPyConnection, present: set[str]) -> dict[str, str]:
    """Every client with something on a store page, with its name where a mart has one."""
    ids: set[str] = set()
    for section in next(s for s in SCREENS if s.per_client).sections:
        if section.mart in present:
            ids |= {r[0] for r in con.execute(
                f"select distinct client_id from {CATALOG}.{section.mart} "
                "where client_id is not null"
            ).fetchall()}
    names = {}
    if "report_account_balances" in present:
        names = dict(con.execute(
            f"select client_id, any_value(client_name) from {CATALOG}.report_account_balances "
            "group by all"
        ).fetchall())
    return {client: names.get(client) or client for client in sorted(ids)}


def store_file(client: str) -> str:
    return "store-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", client) + ".html"


def render_site(con: duckdb.DuckDBPyConnection, manifest: dict, out: Path) -> list[Path]:
    """Every page into ``out``: index.html, one per screen, one store page per client."""
    shutil.copyfile(plotly_js(), out / "plotly.min.js")
    for asset in ("dashboards.js", "dashboards.css"):
        shutil.copyfile(ASSETS / asset, out / asset)
    present = present_marts(con)
    subtitle = f"As of {manifest['as_of']} · publication {manifest['publication']}"
    shared = [s for s in SCREENS if not s.per_client]
    nav = [("index.html", "All dashboards")] + [(f"{s.slug}.html", s.title) for s in shared]
    pages = []
    for screen in shared:
        path = out / f"{screen.slug}.html"
        data = page_data(con, screen, present, None)
        path.write_text(page_html(screen.title, subtitle, nav, data), encoding="utf-8")
        pages.append(path)
    clients = client_names(con, present)
    store = next(s for s in SCREENS if s.per_client)
    for client, name in clients.items():
        path = out / store_file(client)
        data = page_data(con, store, present, client)
        title = f"{store.title}: {name} ({client})"
        # a store page links to the index only: it names no other client
        path.write_text(page_html(title, subtitle, [("index.html", "All dashboards")], data),
                        encoding="utf-8")
        pages.append(path)
    index = out / "index.html"
    index.write_text(index_html(manifest, shared, store, clients), encoding="utf-8")
    return [index, *pages]


def index_html(manifest: dict, shared: list[Screen], store: Screen, clients: dict) -> str:
    items = "".join(
        f'<li><a href="{s.slug}.html">{html.escape(s.title)}</a>: '
        f"{html.escape(s.description)}</li>" for s in shared
    )
    stores = "".join(
        f'<li><a href="{html.escape(store_file(c))}">{html.escape(n)}</a> ({html.escape(c)})</li>'
        for c, n in clients.items()
    ) or "<li>No client has billing data yet.</li>"
    earlier = "".join(
        f"<li>{html.escape(p['id'])}: as of {html.escape(str(p['as_of']))}</li>"
        for p in manifest.get("publications", [])
    )
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Tallyhouse dashboards</title>
<link rel="stylesheet" href="dashboards.css"></head>
<body>
<header><h1>Tallyhouse dashboards</h1>
<p class="subtitle">As of {html.escape(manifest['as_of'])} · publication
{html.escape(manifest['publication'])} · run {html.escape(manifest['run_id'])}</p></header>
<main>
<section><h2>Screens</h2><ul>{items}</ul></section>
<section><h2>{html.escape(store.title)}, one page per client</h2>
<p>{html.escape(store.description)}</p><ul>{stores}</ul></section>
<section><h2>Publications kept</h2><p>Each under publications/&lt;id&gt;/ beside this
folder's parent, with its own marts.duckdb, Parquet files and manifest.json.</p>
<ul>{earlier}</ul></section>
</main>
</body>
</html>
"""
