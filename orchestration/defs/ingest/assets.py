"""Ingest assets: the landing zone's files loaded once, as text, into schema raw."""

import functools
import warnings
from datetime import date
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetSpec,
    BackfillPolicy,
    BetaWarning,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from orchestration.defs.constants import INGEST_GROUP, OWNER, WAREHOUSE_POOL, raw_key
from orchestration.defs.ingest.partitions import ARRIVAL_DAYS, FEEDS, day_start
from orchestration.defs.resources import TallyhouseSettings
from orchestration.digest import files_digest
from orchestration.ingest.feeds import Feed
from orchestration.ingest.loader import ensure_raw_schema, ingest_feed, ingest_strays
from orchestration.spark.raw_layer import export_raw_layer
from orchestration.warehouse import WarehouseResource

INGEST_PACKAGE = Path(__file__).resolve().parents[2] / "ingest"

# A single-run backfill policy is what makes a range of partitions one run.
warnings.filterwarnings("ignore", r".*`backfill_policy`", BetaWarning)


@functools.cache
def ingest_code_version() -> str:
    """A digest of the ingest package's source, Python and SQL: it changes exactly when
    ingest's code does."""
    sources = [p for p in INGEST_PACKAGE.rglob("*") if p.suffix in (".py", ".sql")]
    return files_digest(sources, INGEST_PACKAGE, 16)


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


MANIFEST_KEY = raw_key("file_manifest")
SUPPRESSED_KEY = raw_key("suppressed_rows")
# The specs stay in a tuple: a module-level AssetSpec would be loaded as an asset of its own.
_BOOKKEEPING_SPECS = (AssetSpec(
    key=MANIFEST_KEY,
    group_name=INGEST_GROUP,
    owners=[OWNER],
    kinds={"duckdb"},
    description="Every landed file seen by ingest: path, arrival day, content hash, row count, "
    "and whether it could be read.",
    code_version=ingest_code_version(),
), AssetSpec(
    key=SUPPRESSED_KEY,
    group_name=INGEST_GROUP,
    owners=[OWNER],
    kinds={"duckdb"},
    description="Meter readings dropped at ingest by a suppression rule, counted per rule "
    "and file (no raw row is stored for them).",
    code_version=ingest_code_version(),
))


@multi_asset(
    name="ingest_landing_zone",
    specs=[*_BOOKKEEPING_SPECS, *(_spec(feed) for feed in FEEDS)],
    pool=WAREHOUSE_POOL,
    partitions_def=ARRIVAL_DAYS,
    backfill_policy=BackfillPolicy.single_run(),
    description="Load the files of the run's arrival days (partitions, by the day in "
    "arrived=YYYY-MM-DD) that arrived on or before the as-of time into schema raw; a file "
    "already registered with the same bytes is skipped, so a day can be loaded again.",
)
def ingest_landing_zone(
    context: AssetExecutionContext, tallyhouse: TallyhouseSettings, warehouse: WarehouseResource
):
    settings = tallyhouse.for_run(context, warehouse)
    since, as_of = None, settings.as_of
    if context.has_partition_key or context.has_partition_key_range:
        days = context.partition_key_range
        # the first and the last key also stand for the days before and after the keys
        if days.start > ARRIVAL_DAYS.get_first_partition_key():
            since = date.fromisoformat(days.start)
        if days.end < ARRIVAL_DAYS.get_last_partition_key():
            # arrival day <= the range's last day <=> arrived (00:00 UTC) <= that day's start
            as_of = min(as_of, day_start(date.fromisoformat(days.end)))
        context.log.info(f"arrival days {days.start} .. {days.end}")
    context.log.info(f"ingesting {settings.landing} as of {settings.as_of_iso}")
    con = warehouse.connect()
    try:
        ensure_raw_schema(con)
        results = [
            ingest_feed(con, settings.landing, feed, as_of, context.log.info, since=since)
            for feed in FEEDS
        ]
        ingest_strays(con, settings.landing, as_of, context.log.info, since=since)
        if settings.engine == "spark":  # the raw tables as Parquet, for dbt on Spark
            export_raw_layer(con, settings.raw_parquet, context.log.info)
        manifest_rows = con.execute("select count(*) from raw.file_manifest").fetchone()[0]
        suppressed_rows = con.execute(
            "select coalesce(sum(rows_suppressed), 0) from raw.suppressed_rows"
        ).fetchone()[0]
    finally:
        con.close()
    yield MaterializeResult(
        asset_key=MANIFEST_KEY,
        metadata={"files_registered": MetadataValue.int(manifest_rows)},
    )
    yield MaterializeResult(
        asset_key=SUPPRESSED_KEY,
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
