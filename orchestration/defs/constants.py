"""Names shared by the Dagster definitions."""

from dagster import AssetKey

WAREHOUSE_POOL = "duckdb_warehouse"  # DuckDB has one writer at a time: every writer shares it
OWNER = "team:billing-data"
INGEST_GROUP = "ingest"


def raw_key(table: str) -> AssetKey:
    return AssetKey(["raw", table])
