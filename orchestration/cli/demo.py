"""``tallyhouse demo``: generate a landing zone, run it, and say where to look."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.cli.console import say as _print
from orchestration.cli.run import run_pipeline
from orchestration.settings import load_settings


def cmd_demo(args: argparse.Namespace) -> int:
    from orchestration.generator import generate_landing

    folder = Path(args.dir).resolve()
    landing = folder / "landing"
    warehouse = folder / "warehouse.duckdb"
    if not landing.exists() or args.regenerate:
        _print(f"generating a landing zone of {args.scale:,} meter readings in {landing}")
        generate_landing(landing, scale=args.scale, seed=args.seed, progress=_print)
    settings = load_settings(landing, warehouse, args.as_of, None)
    code = run_pipeline(settings, verbose=args.verbose)
    if code == 0:
        published = settings.publication_dir
        _print("")
        _print(f"dashboards: {published / 'dashboards' / 'index.html'}   (open in a browser)")
        _print(f"published marts: {published / 'marts.duckdb'}   (BI tools and the DuckDB CLI, "
               "read-only: duckdb -readonly FILE -c 'select * from marts.marts.invoices')")
        _print(f"warehouse: {warehouse}   (the pipeline's workspace; readers use the above)")
        _print(
            f"  asset graph: TALLYHOUSE_LANDING={landing} TALLYHOUSE_WAREHOUSE={warehouse} "
            "make ui   (then open http://127.0.0.1:3000)"
        )
    return code
