"""Exports of the marts for people and other systems: a period's bills as CSV files."""

from orchestration.export.billing_csv import (
    EXPORT_COLUMNS,
    export_period,
    latest_finalized_period,
)

__all__ = ["EXPORT_COLUMNS", "export_period", "latest_finalized_period"]
