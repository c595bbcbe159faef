"""Names shared by the Dagster definitions, and the settings of the run being executed."""

from __future__ import annotations

from dagster import AssetKey

from orchestration.settings import Settings, load_run_settings

WAREHOUSE_POOL = "duckdb_warehouse"  # DuckDB has one writer at a time: every writer shares it
OWNER = "team:billing-data"
INGEST_GROUP = "ingest"

# Run tags beside tallyhouse/as_of (settings.AS_OF_TAG): the period a run billed, and what
# started it.
PERIOD_TAG = "tallyhouse/period"
TRIGGER_TAG = "tallyhouse/trigger"


def raw_key(table: str) -> AssetKey:
    return AssetKey(["raw", table])


def run_settings(context) -> Settings:
    """The settings of the run ``context`` belongs to (see ``load_run_settings``)."""
    run = context.run
    record = context.instance.get_run_record_by_id(run.run_id)
    created = record.create_timestamp if record is not None else None
    return load_run_settings(run.tags, created)
