"""Dagster definitions of Tallyhouse, one module per concern."""
