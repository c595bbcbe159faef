"""Automation: new files start a run, nights refresh the estimates, months get finalized.

- ``landing_zone_sensor`` lists the landing zone; every set of files it has not seen before
  starts one ``materialize_all`` run (ingest and everything downstream) with a run key made
  from that set, and the cursor remembers the files, so no file starts two runs.
- ``nightly_rating`` rebuilds the dbt graph (rating, billing, projections, over/under,
  reports) as of the tick, so projections and open-period drafts move with time.
- ``finalize_previous_period`` runs ``materialize_all`` once a month, after the previous
  month's cutoff has passed in every time zone, so that month's final bill is written.
- ``close_finalized_period`` follows a successful finalization run with a ``close_period``
  run for the month it finalized, which freezes that month's bills in ``marts.period_closes``.

``materialize_all`` ingests by arrival day: the sensor's runs cover the arrival days of the
new files, the monthly run every day from the earliest file to its tick (one run each, a
partition key range; files already loaded are skipped).

Every run request carries its as-of time (the tick's scheduled time, or the sensor's
evaluation time) in the ``tallyhouse/as_of`` tag, which the assets read, and the period it
billed in ``tallyhouse/period``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta

from dagster import (
    DagsterRun,
    DagsterRunStatus,
    PartitionKeyRange,
    RunRequest,
    RunStatusSensorContext,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    run_status_sensor,
    schedule,
    sensor,
)
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from orchestration.defs.constants import PERIOD_TAG, TRIGGER_TAG
from orchestration.defs.ingest import arrival_day_range, landing_arrival_range
from orchestration.ingest.feeds import ADMIN_TABLES, USAGE_FEEDS
from orchestration.ingest.loader import LandedFile, discover
from orchestration.settings import AS_OF_TAG, load_settings

MATERIALIZE_ALL_JOB = "materialize_all"
NIGHTLY_JOB = "nightly_rating"
CLOSE_PERIOD_JOB = "close_period"
NIGHTLY_CRON = "0 2 * * *"  # 02:00 UTC
# A month ends last at UTC-12 (12:00 UTC on the 1st): the finalization waits for that zone.
LATEST_MONTH_END_HOURS = 12


def as_of_text(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(day: date) -> date:
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def run_tags(as_of: datetime, period: date, trigger: str) -> dict[str, str]:
    return {AS_OF_TAG: as_of_text(as_of), PERIOD_TAG: month_label(period), TRIGGER_TAG: trigger}


def range_tags(days: PartitionKeyRange) -> dict[str, str]:
    """Run tags that make a run cover the partition keys ``days.start`` .. ``days.end``."""
    return {ASSET_PARTITION_RANGE_START_TAG: days.start, ASSET_PARTITION_RANGE_END_TAG: days.end}


# --- the landing zone sensor ------------------------------------------------------------


def landed(landing, as_of: datetime) -> dict[str, LandedFile]:
    """Every file arrived on or before ``as_of``, by path relative to the landing root."""
    return {
        found.relpath: found
        for feed in ADMIN_TABLES + USAGE_FEEDS
        for found in discover(landing, feed, as_of)
    }


def landed_files(landing, as_of: datetime) -> set[str]:
    """Paths (relative to the landing root) of every file arrived on or before ``as_of``."""
    return set(landed(landing, as_of))


def seen_files(cursor: str | None) -> set[str]:
    return set(json.loads(cursor)["files"]) if cursor else set()


def files_cursor(files: set[str]) -> str:
    return json.dumps({"files": sorted(files)}, separators=(",", ":"))


def files_run_key(files: set[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(files)).encode()).hexdigest()
    return f"landing-{digest[:24]}"


def landing_evaluation(landing, cursor: str | None, now: datetime) -> SensorResult | SkipReason:
    """One run request for the files not in ``cursor``, or a skip when nothing new landed."""
    if not landing.is_dir():
        return SkipReason(f"landing zone {landing} does not exist")
    seen = seen_files(cursor)
    found = landed(landing, now)
    listing = set(found)
    new = listing - seen
    if not new:
        return SkipReason(f"no new files among {len(listing)} landed")
    days = sorted(found[path].arrived for path in new)
    request = RunRequest(
        run_key=files_run_key(new),
        tags={
            **run_tags(now, now.date(), "landing"),
            **range_tags(arrival_day_range(days[0], days[-1])),
            "tallyhouse/new_files": str(len(new)),
        },
    )
    return SensorResult(run_requests=[request], cursor=files_cursor(seen | listing))


@sensor(
    name="landing_zone_sensor",
    job_name=MATERIALIZE_ALL_JOB,
    minimum_interval_seconds=60,
    description="Starts ingest of the new files' arrival days (one run, a range of days) and "
    "everything downstream when new files land; as of the evaluation time.",
)
def landing_zone_sensor(context: SensorEvaluationContext):
    now = datetime.now(UTC).replace(microsecond=0)
    return landing_evaluation(load_settings().landing, context.cursor, now)


# --- schedules -----------------------------------------------------------------------------


@schedule(
    name="nightly_rating",
    cron_schedule=NIGHTLY_CRON,
    job_name=NIGHTLY_JOB,
    execution_timezone="UTC",
    description="Rates usage and refreshes projections, over/under and reports as of the tick.",
)
def nightly_rating_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    as_of = context.scheduled_execution_time.astimezone(UTC)
    return RunRequest(
        run_key=f"nightly-{as_of_text(as_of)}", tags=run_tags(as_of, as_of.date(), "nightly")
    )


def finalization_cutoff(period: date, grace_hours: int) -> datetime:
    """When ``period`` is finalized in every time zone: its latest local end plus the grace."""
    next_month = (period.replace(day=1) + timedelta(days=32)).replace(day=1)
    start_of_next = datetime(next_month.year, next_month.month, 1, tzinfo=UTC)
    return start_of_next + timedelta(hours=LATEST_MONTH_END_HOURS + grace_hours)


def finalization_cron(grace_hours: int) -> str:
    """Monthly cron at the previous month's cutoff in the latest time zone."""
    hours = LATEST_MONTH_END_HOURS + grace_hours
    day, hour = 1 + hours // 24, hours % 24
    if day > 28:
        raise ValueError(
            f"grace of {grace_hours} hours ends after the 28th: a monthly schedule cannot wait"
        )
    return f"0 {hour} {day} * *"


def build_finalize_schedule(grace_hours: int) -> ScheduleDefinition:
    @schedule(
        name="finalize_previous_period",
        cron_schedule=finalization_cron(grace_hours),
        job_name=MATERIALIZE_ALL_JOB,
        execution_timezone="UTC",
        description=f"Finalizes the previous month once its cutoff (month end + {grace_hours} "
        "h of grace, in the latest time zone) has passed: ingest every arrival day up to the "
        "tick and bill as of the tick; close_finalized_period then closes the month.",
    )
    def finalize_previous_period(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
        as_of = context.scheduled_execution_time.astimezone(UTC)
        period = previous_month(as_of.date())
        cutoff = finalization_cutoff(period, grace_hours)
        if as_of < cutoff:
            return SkipReason(f"{month_label(period)} is open until {as_of_text(cutoff)}")
        days = landing_arrival_range(load_settings().landing, as_of)
        return RunRequest(
            run_key=f"finalize-{month_label(period)}",
            tags={**run_tags(as_of, period, "finalize"), **range_tags(days)},
        )

    return finalize_previous_period


# --- closing a finalized month ------------------------------------------------------------


def close_request(run: DagsterRun) -> RunRequest | SkipReason:
    """After a successful finalization run: close the month it finalized, as of its as-of."""
    if run.job_name != MATERIALIZE_ALL_JOB or run.tags.get(TRIGGER_TAG) != "finalize":
        return SkipReason(f"run {run.run_id} of {run.job_name} did not finalize a period")
    period = run.tags[PERIOD_TAG]
    as_of = datetime.fromisoformat(run.tags[AS_OF_TAG])
    return RunRequest(
        run_key=f"close-{period}",
        partition_key=period,
        tags=run_tags(as_of, date.fromisoformat(f"{period}-01"), "close"),
    )


def build_close_sensor(close_job) -> SensorDefinition:
    """``close_finalized_period``: a ``close_period`` run for the month a successful
    ``finalize_previous_period`` run finalized."""

    @run_status_sensor(
        name="close_finalized_period",
        run_status=DagsterRunStatus.SUCCESS,
        request_job=close_job,
        minimum_interval_seconds=60,
        description="When a finalize_previous_period run of materialize_all succeeds, closes "
        "the month it finalized (close_period, that month's partition, same as-of time).",
    )
    def close_finalized_period(context: RunStatusSensorContext):
        return close_request(context.dagster_run)

    return close_finalized_period
