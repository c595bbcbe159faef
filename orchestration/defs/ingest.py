"""Ingest assets: the landing zone's files loaded once, as text, into schema raw."""

import functools
import hashlib
from pathlib import Path

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from orchestration.defs.constants import (
    INGEST_GROUP,
    OWNER,
    WAREHOUSE_POOL,
    raw_key,
    run_settings,
)
from orchestration.ingest.feeds import ADMIN_TABLES, USAGE_FEEDS, Feed
from orchestration.ingest.loader import connect, ensure_raw_schema, ingest_feed

FEEDS: tuple[Feed, ...] = ADMIN_TABLES + USAGE_FEEDS  # admin first: suppressions act at ingest
INGEST_PACKAGE = Path(__file__).resolve().parent.parent / "ingest"


@functools.cache
def ingest_code_version() -> str:
    """A digest of the ingest package's source: it changes exactly when ingest's code does."""
    digest = hashlib.sha256()
    for path in sorted(INGEST_PACKAGE.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

_DESCRIPTIONS = {
    "meter_readings": "Raw meter readings (telemetry of compute, storage and network assets) "
    "exactly as landed, one row per file row; suppressed readings are dropped and counted.",
    "service_events": "Raw service-consumption events (AI, chat, image, SMS, email, WhatsApp, "
    "calls, bots) exactly as landed.",
}


def _spec(feed: Feed) -> AssetSpec:
    description = _DESCRIPTIONS.get(
        feed.name,
        f"Every snapshot of the billing admin's {feed.name.removeprefix('admin/')} table, "
        "as landed; each file is the whole table at its arrival.",
    )
    return AssetSpec(
        key=raw_key(feed.raw_table),
        group_name=INGEST_GROUP,
        owners=[OWNER],
        kinds={"duckdb", "python"},
        description=description,
        code_version=ingest_code_version(),
    )


MANIFEST_SPEC = AssetSpec(
    key=raw_key("file_manifest"),
    group_name=INGEST_GROUP,
    owners=[OWNER],
    kinds={"duckdb"},
    description="Every landed file seen by ingest: path, arrival day, content hash, row count, "
    "and whether it could be read.",
    code_version=ingest_code_version(),
)


SUPPRESSED_SPEC = AssetSpec(
    key=raw_key("suppressed_rows"),
    group_name=INGEST_GROUP,
    owners=[OWNER],
    kinds={"duckdb"},
    description="Meter readings dropped at ingest by a suppression rule, counted per rule "
    "and file (no raw row is stored for them).",
    code_version=ingest_code_version(),
)


@multi_asset(
    name="ingest_landing_zone",
    specs=[MANIFEST_SPEC, SUPPRESSED_SPEC, *(_spec(feed) for feed in FEEDS)],
    pool=WAREHOUSE_POOL,
    description="Load every file that arrived on or before the as-of time into schema raw.",
)
def ingest_landing_zone(context: AssetExecutionContext):
    settings = run_settings(context)
    context.log.info(f"ingesting {settings.landing} as of {settings.as_of_iso}")
    con = connect(
        settings.warehouse, settings.memory_limit, settings.threads, settings.temp_directory
    )
    try:
        ensure_raw_schema(con)
        results = [
            ingest_feed(con, settings.landing, feed, settings.as_of, context.log.info)
            for feed in FEEDS
        ]
        manifest_rows = con.execute("select count(*) from raw.file_manifest").fetchone()[0]
        suppressed_rows = con.execute(
            "select coalesce(sum(rows_suppressed), 0) from raw.suppressed_rows"
        ).fetchone()[0]
    finally:
        con.close()
    yield MaterializeResult(
        asset_key=MANIFEST_SPEC.key,
        metadata={"files_registered": MetadataValue.int(manifest_rows)},
    )
    yield MaterializeResult(
        asset_key=SUPPRESSED_SPEC.key,
        metadata={"rows_suppressed_total": MetadataValue.int(int(suppressed_rows))},
    )
    for feed, result in zip(FEEDS, results, strict=True):
        yield MaterializeResult(
            asset_key=raw_key(feed.raw_table),
            metadata={
                "as_of": settings.as_of_iso,
                "files_new": result.count("loaded"),
                "files_same_bytes": result.count("same_bytes"),
                "files_rejected": result.count("rejected"),
                "rows_seen": result.rows_seen,
                "rows_loaded_raw": result.rows_loaded,
                "rows_suppressed": result.rows_suppressed,
            },
        )
