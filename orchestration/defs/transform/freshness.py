"""Freshness of the warehouse, judged against the clock rather than against Dagster's runs.

- ``projections_fresh`` fails when the projections were calculated (their as-of time) more
  than a day before now: the run-rate estimate is stale.
- ``previous_period_billed`` fails when a period's cutoff has passed (in every client's time
  zone) after the as-of time of the last billing run: that period's final bill is missing.

They read the warehouse (the as-of columns the marts carry) and run on their own schedule,
not inside the billing runs: a run as of a past time is right to leave them failing.
``now`` can be set in the run config to ask "would this be fresh at that time?".
"""

from datetime import UTC, datetime, timedelta

import duckdb
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    AssetSelection,
    Config,
    MetadataValue,
    ScheduleDefinition,
    asset_check,
    define_asset_job,
)

from orchestration.defs.constants import FRESHNESS_JOB, WAREHOUSE_POOL
from orchestration.defs.cutoff import latest_finalized_period, period_cutoff
from orchestration.defs.resources import TallyhouseSettings
from orchestration.settings import parse_as_of
from orchestration.warehouse import WarehouseResource

PROJECTIONS_MAX_AGE = timedelta(hours=24)
FRESHNESS_CRON = "30 * * * *"  # hourly, at half past
PROJECTIONS = AssetKey(["marts", "projections"])
BILLING_READINGS = AssetKey(["marts", "billing_readings"])


class FreshnessConfig(Config):
    now: str = ""  # ISO-8601; empty means the wall clock


def _now(config: FreshnessConfig) -> datetime:
    return parse_as_of(config.now)  # empty: now, to the second


def _query(warehouse: WarehouseResource, sql: str) -> list[tuple]:
    """Rows of ``sql`` on the warehouse, read-only; [] when the warehouse or table is missing."""
    if not warehouse.file.exists():
        return []
    try:
        con = warehouse.connect_read_only()
    except duckdb.Error:
        return []
    try:
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
    context: AssetCheckExecutionContext, config: FreshnessConfig, warehouse: WarehouseResource
) -> AssetCheckResult:
    rows = _query(warehouse, "select max(calculated_at) from marts.projections")
    calculated_at = _utc(rows[0][0]) if rows else None
    if calculated_at is None:  # no open-period rows: the last billing run's as-of stands in
        rows = _query(warehouse, "select max(calculated_at) from marts.billing_readings")
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
    context: AssetCheckExecutionContext,
    config: FreshnessConfig,
    warehouse: WarehouseResource,
    tallyhouse: TallyhouseSettings,
) -> AssetCheckResult:
    rows = _query(warehouse, "select max(calculated_at) from marts.billing_readings")
    last_as_of = _utc(rows[0][0]) if rows else None
    zones = {
        row[0] or "UTC"
        for row in _query(
            warehouse,
            "select distinct timezone from intermediate.int_client_timezones "
            "where is_valid_timezone or coalesce(timezone, '') = ''",
        )
    }
    return billing_coverage(last_as_of, _now(config), tallyhouse.grace_hours, zones)


freshness_checks = [projections_fresh, previous_period_billed]

freshness_job = define_asset_job(
    FRESHNESS_JOB,
    selection=AssetSelection.checks(*freshness_checks),
    description="Judge the warehouse's freshness against the clock.",
)

freshness_hourly = ScheduleDefinition(
    name="freshness_hourly",
    cron_schedule=FRESHNESS_CRON,
    job_name=FRESHNESS_JOB,
    execution_timezone="UTC",
    description="Evaluates the freshness checks every hour.",
)
