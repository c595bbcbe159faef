"""Tallyhouse: a usage-billing warehouse built on Dagster, dbt and DuckDB."""
