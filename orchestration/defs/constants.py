"""Names shared by the Dagster definitions of every system (ingest, transform, billing close,
publication)."""

from __future__ import annotations

from dagster import AssetKey

WAREHOUSE_POOL = "duckdb_warehouse"  # DuckDB has one writer at a time: every writer shares it
OWNER = "team:billing-data"
INGEST_GROUP = "ingest"
# Jobs that write the warehouse; deploy/dagster.production.yaml runs one of them at a time.
WRITER_TAGS = {"tallyhouse/warehouse": "write"}

# Job names: the deploy configuration, the README and ``tallyhouse run`` name them.
MATERIALIZE_ALL_JOB = "materialize_all"
NIGHTLY_JOB = "nightly_rating"
CLOSE_PERIOD_JOB = "close_period"
FRESHNESS_JOB = "freshness_checks"
PUBLISH_JOB = "publish"

PERIOD_CLOSES = AssetKey(["marts", "period_closes"])


def raw_key(table: str) -> AssetKey:
    return AssetKey(["raw", table])
