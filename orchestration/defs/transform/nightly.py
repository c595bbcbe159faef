"""The nightly rating: the dbt graph rebuilt as of 02:00 UTC, so that projections and
open-period drafts move with time; then the marts published. Ingest is left to the landing
zone sensor."""

from __future__ import annotations

from datetime import UTC

from dagster import (
    AssetSelection,
    RunRequest,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)

from orchestration.defs.constants import NIGHTLY_JOB, WRITER_TAGS
from orchestration.defs.publication.assets import PUBLISHED_KEYS
from orchestration.defs.tags import as_of_text, run_tags
from orchestration.defs.transform.assets import tallyhouse_dbt
from orchestration.defs.transform.freshness import freshness_checks

NIGHTLY_CRON = "0 2 * * *"  # 02:00 UTC

nightly_job = define_asset_job(
    NIGHTLY_JOB,
    selection=AssetSelection.assets(tallyhouse_dbt, *sorted(PUBLISHED_KEYS))
    - AssetSelection.checks(*freshness_checks),
    tags=WRITER_TAGS,
    description="Rate usage and rebuild every mart (projections and over/under included) "
    "from the raw tables as of the run's as-of time, then publish them and draw the "
    "dashboards; ingest is left to the sensor.",
)


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
