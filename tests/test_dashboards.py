"""The dashboards, opened from disk in headless Chromium driven by Playwright.

One publication is built for the module (a small generated landing zone, ingest and
``dbt build`` as the pipeline runs them, then the publication and the dashboards); every
page is then loaded from ``file://``: no console error, no request that is not a file, every
chart has drawn marks, a filter changes what a chart shows, and a screenshot of each page
is written to ``build/screenshots/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from orchestration.settings import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
AS_OF = "2026-11-05T00:00:00Z"


def ensure_chromium() -> str:
    """Debian's chromium, installed when missing (as root, the way a fresh CI machine is)."""
    if not Path(CHROMIUM).exists() and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env,
                       capture_output=True)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (as root)")
    return CHROMIUM


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from orchestration.dashboards.build import build_dashboards
    from orchestration.generator import generate_landing
    from orchestration.publication import publish
    from tests.pipeline import build_marts

    root = tmp_path_factory.mktemp("dashboards")
    generate_landing(root / "landing", scale=3000, seed=7, progress=lambda _: None)
    warehouse = root / "warehouse.duckdb"
    build_marts(root / "landing", warehouse, AS_OF)
    published = root / "published"
    publication = publish(warehouse, published, as_of="2026-11-05T00:00:00+00:00",
                          run_id="dashboards-test", lock_timeout=0)
    dashboards = build_dashboards(published)
    return {"published": published, "publication": publication, "dashboards": dashboards,
            "folder": published / "dashboards"}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = ensure_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _pages(site: dict) -> list[str]:
    return sorted(p.name for p in site["folder"].glob("*.html"))


@pytest.mark.e2e
def test_every_screen_has_its_page_and_every_client_a_store_page(site: dict) -> None:
    from tests.pipeline import read

    names = _pages(site)
    assert {"index.html", "console.html", "admin.html", "services.html"} <= set(names)
    clients = {r["client_id"] for r in read(site["published"] / "marts.duckdb",
                                             "select client_id from marts.marts.invoices")}
    assert {n for n in names if n.startswith("store-")} == {f"store-{c}.html" for c in clients}
    assert len(clients) == 7  # the generated landing zone's clients
    # the dashboards live in the publication they were drawn from
    assert site["folder"].resolve().parent == site["publication"].folder


@pytest.mark.e2e
def test_a_store_page_holds_its_clients_data_only(site: dict) -> None:
    from tests.pipeline import read

    database = site["published"] / "marts.duckdb"
    clients = {r["client_id"] for r in read(database, "select client_id from marts.marts.invoices")}
    shipped = "".join(
        (site["folder"] / name).read_text(encoding="utf-8")
        for name in ("dashboards.js", "dashboards.css", "plotly.min.js")
    )
    for client in sorted(clients):
        page = (site["folder"] / f"store-{client}.html").read_text(encoding="utf-8")
        assert client in page
        for other in clients - {client}:
            assert other not in page + shipped, f"{other} on the page of {client}"
        # its invoices, as the page embeds them, are the client's invoices in the marts
        data = json.loads(page.split("drawPage(", 1)[1].rsplit(");</script>", 1)[0])
        (invoices,) = [s for s in data["sections"] if s["mart"] == "invoices"]
        expected = read(database, "select sum(balance)::double as b, count(*) as n from "
                                  f"marts.marts.invoices where client_id = '{client}'")[0]
        assert len(invoices["rows"]) == expected["n"]
        assert sum(r["balance"] for r in invoices["rows"]) == pytest.approx(expected["b"])


@pytest.mark.e2e
def test_a_missing_mart_leaves_an_empty_section(site: dict, tmp_path: Path) -> None:
    import duckdb

    from orchestration.dashboards.site import render_site

    # the console shows unbilled usage from the publication...
    page = (site["folder"] / "console.html").read_text(encoding="utf-8")
    assert "marts.unbilled_usage is not in this publication" not in page
    # ...and says so, still drawing the rest, from a copy of the marts without it
    copy = tmp_path / "marts.duckdb"
    shutil.copyfile(site["published"] / "marts.duckdb", copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute("drop table marts.marts.unbilled_usage")
        out = tmp_path / "site"
        out.mkdir()
        manifest = json.loads((site["published"] / "manifest.json").read_text(encoding="utf-8"))
        render_site(con, manifest, out)
    finally:
        con.close()
    page = (out / "console.html").read_text(encoding="utf-8")
    assert "marts.unbilled_usage is not in this publication" in page
    assert "right_size_candidates" in page


@pytest.mark.e2e
def test_every_page_renders_in_chromium_with_its_charts_and_filters(
    site: dict, browser
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in _pages(site):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.on("request", lambda r, q=requests: q.append(r.url))
        page.goto((site["folder"] / name).as_uri())
        charts = page.locator(".chart").count()
        if name != "index.html":
            page.wait_for_function("Number(document.body.dataset.drawn) >= 1")
            assert charts > 0, name
        marks = page.evaluate(
            """Array.from(document.querySelectorAll('.chart')).map(el => [el.id,
                el.querySelectorAll('.barlayer .point path, .scatterlayer .trace path.js-line,'
                  + ' .scatterlayer .point, .table .cell-text').length])"""
        )
        assert all(count > 0 for _, count in marks), (name, marks)
        page.screenshot(path=str(SCREENSHOTS / name.replace(".html", ".png")), full_page=True)
        if name != "index.html":
            _a_filter_changes_a_chart(page, name)
        page.close()
        assert errors == [], (name, errors)
        assert requests and all(url.startswith("file://") for url in requests), (name, requests)
    assert len(list(SCREENSHOTS.glob("*.png"))) >= len(_pages(site))


def _a_filter_changes_a_chart(page, name: str) -> None:
    """Choose another value in the page's first filter: some chart's traces change."""
    selects = page.locator("#filters select")
    assert selects.count() > 0, f"{name} has no filter"
    before = page.evaluate(_TRACES)
    select = selects.nth(0)
    options = select.locator("option").evaluate_all("os => os.map(o => o.value)")
    current = select.input_value()
    other = next(v for v in options if v != current)
    drawn = page.evaluate("Number(document.body.dataset.drawn)")
    select.select_option(other)
    page.wait_for_function(f"Number(document.body.dataset.drawn) > {drawn}")
    after = page.evaluate(_TRACES)
    assert after != before, f"{name}: choosing {other} changed no chart"


_TRACES = """Array.from(document.querySelectorAll('.chart')).map(el =>
    JSON.stringify((el.data || []).map(t => [t.x, t.y, t.cells && t.cells.values])))"""


def test_every_screen_has_a_dbt_exposure_naming_the_marts_it_reads() -> None:
    from orchestration.dashboards.screens import SCREENS

    exposures = yaml.safe_load(
        (REPO_ROOT / "models" / "marts" / "_exposures.yml").read_text(encoding="utf-8")
    )["exposures"]
    named = {
        e["name"]: {ref.split("'")[1] for ref in e["depends_on"]} for e in exposures
    }
    models = {p.stem for p in (REPO_ROOT / "models" / "marts").rglob("*.sql")}
    for screen in SCREENS:
        assert named[f"dashboard_{screen.slug}"] == set(screen.mart_names()) & models
