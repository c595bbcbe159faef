"""Months get finalized, then closed.

- ``finalize_previous_period`` runs ``materialize_all`` once a month, after the previous
  month's cutoff has passed in every time zone, so that month's final bill is written: it
  ingests every arrival day from the earliest file to its tick (a partition key range; files
  already loaded are skipped) and bills as of the tick.
- ``close_finalized_period`` follows a successful finalization run with a ``close_period``
  run for the month it finalized, which freezes that month's bills in ``marts.period_closes``.
"""

from datetime import UTC, date, datetime

from dagster import (
    AssetSelection,
    DagsterRun,
    DagsterRunStatus,
    RunRequest,
    RunStatusSensorContext,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SensorDefinition,
    SkipReason,
    define_asset_job,
    run_status_sensor,
    schedule,
)

from orchestration.defs.billing_close.assets import period_closes
from orchestration.defs.constants import CLOSE_PERIOD_JOB, MATERIALIZE_ALL_JOB, WRITER_TAGS
from orchestration.defs.cutoff import finalization_cutoff, latest_month_end_hours
from orchestration.defs.ingest.partitions import landing_arrival_range
from orchestration.defs.resources import TallyhouseSettings
from orchestration.defs.tags import (
    PERIOD_TAG,
    TRIGGER_TAG,
    as_of_text,
    month_label,
    previous_month,
    range_tags,
    run_tags,
)
from orchestration.settings import AS_OF_TAG

close_period_job = define_asset_job(
    CLOSE_PERIOD_JOB,
    selection=AssetSelection.assets(period_closes),
    tags=WRITER_TAGS,
    description="Freeze the bills of finalized months (partitions) in marts.period_closes.",
)


def finalization_cron(grace_hours: int) -> str:
    """Monthly cron at the previous month's cutoff in the latest time zone."""
    hours = latest_month_end_hours() + grace_hours
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
    def finalize_previous_period(
        context: ScheduleEvaluationContext, tallyhouse: TallyhouseSettings
    ) -> RunRequest | SkipReason:
        as_of = context.scheduled_execution_time.astimezone(UTC)
        period = previous_month(as_of.date())
        cutoff = finalization_cutoff(period, grace_hours)
        if as_of < cutoff:
            return SkipReason(f"{month_label(period)} is open until {as_of_text(cutoff)}")
        days = landing_arrival_range(tallyhouse.landing_path, as_of)
        return RunRequest(
            run_key=f"finalize-{month_label(period)}",
            tags={**run_tags(as_of, period, "finalize"), **range_tags(days)},
        )

    return finalize_previous_period


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


close_finalized_period = build_close_sensor(close_period_job)
