"""Freshness of the warehouse, judged against the clock rather than against Dagster's runs.

- ``projections_fresh`` fails when the projections were calculated (their as-of time) more
  than a day before now: the run-rate estimate is stale.
- ``previous_period_billed`` fails when a period's cutoff has passed (in every client's time
  zone) after the as-of time of the last billing run: that period's final bill is missing.

They read the warehouse (the as-of columns the marts carry) and run on their own schedule,
not inside the billing runs: a run as of a past time is right to leave them failing.
``now`` can be set in the run config to ask "would this be fresh at that time?".
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    Config,
    MetadataValue,
    asset_check,
)

from orchestration.defs.constants import WAREHOUSE_POOL
from orchestration.settings import load_settings, parse_as_of

PROJECTIONS_MAX_AGE = timedelta(hours=24)
PROJECTIONS = AssetKey(["marts", "projections"])
BILLING_READINGS = AssetKey(["marts", "billing_readings"])


class FreshnessConfig(Config):
    now: str = ""  # ISO-8601; empty means the wall clock


def _now(config: FreshnessConfig) -> datetime:
    return parse_as_of(config.now)  # empty: now, to the second


def _query(warehouse: Path, sql: str) -> list[tuple]:
    """Rows of ``sql`` on the warehouse, read-only; [] when the warehouse or table is missing."""
    if not warehouse.exists():
        return []
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return []
    try:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(sql).fetchall()
    except duckdb.CatalogException:
        return []
    finally:
        con.close()


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def projection_age(calculated_at: datetime | None, now: datetime) -> AssetCheckResult:
    if calculated_at is None:
        return AssetCheckResult(
            passed=False,
            severity=AssetCheckSeverity.WARN,
            metadata={"reason": "marts.projections has never been calculated"},
        )
    age = now - calculated_at
    return AssetCheckResult(
        passed=age <= PROJECTIONS_MAX_AGE,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "calculated_at": MetadataValue.timestamp(calculated_at),
            "now": MetadataValue.timestamp(now),
            "age_hours": MetadataValue.float(round(age.total_seconds() / 3600, 2)),
            "max_age_hours": MetadataValue.float(PROJECTIONS_MAX_AGE.total_seconds() / 3600),
        },
    )


def period_cutoff(period: date, grace_hours: int, zones: set[str]) -> datetime:
    """cutoff(P) in the latest of ``zones``: the local end of the month plus the grace."""
    next_month = (period.replace(day=1) + timedelta(days=32)).replace(day=1)
    ends = [
        datetime(next_month.year, next_month.month, 1, tzinfo=ZoneInfo(zone or "UTC"))
        for zone in (zones or {"UTC"})
    ]
    return max(ends).astimezone(UTC) + timedelta(hours=grace_hours)


def latest_finalized_period(now: datetime, grace_hours: int, zones: set[str]) -> date:
    """The most recent month whose cutoff is at or before ``now`` in every zone."""
    period = now.date().replace(day=1)
    while period_cutoff(period, grace_hours, zones) > now:
        period = (period - timedelta(days=1)).replace(day=1)
    return period


def billing_coverage(
    last_as_of: datetime | None, now: datetime, grace_hours: int, zones: set[str]
) -> AssetCheckResult:
    period = latest_finalized_period(now, grace_hours, zones)
    cutoff = period_cutoff(period, grace_hours, zones)
    metadata = {
        "period": MetadataValue.text(f"{period:%Y-%m}"),
        "cutoff": MetadataValue.timestamp(cutoff),
        "now": MetadataValue.timestamp(now),
    }
    if last_as_of is None:
        return AssetCheckResult(
            passed=False, metadata={**metadata, "reason": "no billing run in the warehouse"}
        )
    return AssetCheckResult(
        passed=last_as_of >= cutoff,
        metadata={**metadata, "last_billing_as_of": MetadataValue.timestamp(last_as_of)},
    )


@asset_check(
    asset=PROJECTIONS,
    name="projections_fresh",
    pool=WAREHOUSE_POOL,
    description="Projections were calculated within the last 24 hours (their calculated_at "
    "against the clock).",
)
def projections_fresh(
    context: AssetCheckExecutionContext, config: FreshnessConfig
) -> AssetCheckResult:
    rows = _query(load_settings().warehouse, "select max(calculated_at) from marts.projections")
    calculated_at = _utc(rows[0][0]) if rows else None
    if calculated_at is None:  # no open-period rows: the last billing run's as-of stands in
        rows = _query(
            load_settings().warehouse, "select max(calculated_at) from marts.billing_readings"
        )
        calculated_at = _utc(rows[0][0]) if rows else None
    return projection_age(calculated_at, _now(config))


@asset_check(
    asset=BILLING_READINGS,
    name="previous_period_billed",
    pool=WAREHOUSE_POOL,
    description="The latest period whose cutoff (month end in each client's time zone plus "
    "the grace hours) has passed was billed by a run as of that cutoff or later.",
)
def previous_period_billed(
    context: AssetCheckExecutionContext, config: FreshnessConfig
) -> AssetCheckResult:
    settings = load_settings()
    rows = _query(settings.warehouse, "select max(calculated_at) from marts.billing_readings")
    last_as_of = _utc(rows[0][0]) if rows else None
    zones = {
        row[0] or "UTC"
        for row in _query(
            settings.warehouse,
            "select distinct timezone from intermediate.int_client_timezones "
            "where is_valid_timezone or coalesce(timezone, '') = ''",
        )
    }
    return billing_coverage(last_as_of, _now(config), settings.grace_hours, zones)


freshness_checks = [projections_fresh, previous_period_billed]
