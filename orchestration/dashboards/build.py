"""Write the dashboards into the current publication and make them the published ones.

The pages are rendered into a hidden folder of the current publication, synced, renamed to
``dashboards`` and then the top-level ``dashboards`` link is swapped to them in one
``rename``: a browser opening ``<publish_dir>/dashboards/index.html`` always finds a complete
set of pages, the previous publication's until the new ones are whole.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.publication import (
    DASHBOARDS,
    DATABASE,
    PUBLICATIONS,
    current_folder,
    read_manifest,
    swap_link,
    sync_tree,
)
from orchestration.warehouse import attach, connect_memory


@dataclass(frozen=True)
class Dashboards:
    """The pages written for one publication."""

    publication_id: str
    index: Path
    pages: tuple[Path, ...]


def open_publication(folder: Path) -> duckdb.DuckDBPyConnection:
    """The publication's marts.duckdb, read-only, as catalog ``published`` (``marts.duckdb``
    would name its catalog ``marts``, the name of its schema too)."""
    con = connect_memory()
    attach(con, folder / DATABASE, "published", read_only=True)
    return con


def build_dashboards(publish_dir: Path) -> Dashboards:
    """Render every page from the current publication, into it; return what was written."""
    from orchestration.dashboards.site import render_site

    folder = current_folder(publish_dir)
    if folder is None:
        raise RuntimeError(f"no publication in {publish_dir}: publish the marts first")
    manifest = read_manifest(folder)
    staging = folder / f".{DASHBOARDS}.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        con = open_publication(folder)
        try:
            pages = render_site(con, manifest, staging)
        finally:
            con.close()
        sync_tree(staging)
        target = folder / DASHBOARDS
        if target.exists():  # drawn again for the same publication
            retired = folder / f".{DASHBOARDS}.{os.getpid()}.old"
            os.rename(target, retired)
            os.rename(staging, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_link(publish_dir / DASHBOARDS, f"{PUBLICATIONS}/{folder.name}/{DASHBOARDS}")
    return Dashboards(
        publication_id=manifest["publication"],
        index=publish_dir / DASHBOARDS / "index.html",
        pages=tuple(target / page.relative_to(staging) for page in pages),
    )
