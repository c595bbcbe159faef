"""The landing zone sensor and the job it starts.

``landing_zone_sensor`` lists the landing zone; every set of files it has not seen before
starts one ``materialize_all`` run (ingest of the new files' arrival days, a partition key
range, and everything downstream) with a run key made from that set, and the cursor
remembers the files, so no file starts two runs. The run is as of the evaluation time.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

from dagster import (
    AssetSelection,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    sensor,
)

from orchestration.defs.constants import MATERIALIZE_ALL_JOB, PERIOD_CLOSES, WRITER_TAGS
from orchestration.defs.ingest.partitions import FEEDS, arrival_day_range
from orchestration.defs.resources import TallyhouseSettings
from orchestration.defs.tags import range_tags, run_tags
from orchestration.defs.transform.freshness import freshness_checks
from orchestration.digest import text_digest
from orchestration.ingest.loader import LandedFile, discover

materialize_all_job = define_asset_job(
    MATERIALIZE_ALL_JOB,
    selection=AssetSelection.all()
    - AssetSelection.checks(*freshness_checks)
    - AssetSelection.assets(PERIOD_CLOSES),
    tags=WRITER_TAGS,
    description="Ingest a range of arrival days (partitions) and build every mart, checks "
    "included; then publish the marts and draw the dashboards.",
)


def landed(landing: Path, as_of: datetime) -> dict[str, LandedFile]:
    """Every file arrived on or before ``as_of``, by path relative to the landing root."""
    return {
        found.relpath: found
        for feed in FEEDS
        for found in discover(landing, feed, as_of)
    }


def landed_files(landing: Path, as_of: datetime) -> set[str]:
    """Paths (relative to the landing root) of every file arrived on or before ``as_of``."""
    return set(landed(landing, as_of))


def seen_files(cursor: str | None) -> set[str]:
    return set(json.loads(cursor)["files"]) if cursor else set()


def files_cursor(files: set[str]) -> str:
    return json.dumps({"files": sorted(files)}, separators=(",", ":"))


def files_run_key(files: set[str]) -> str:
    return f"landing-{text_digest(chr(10).join(sorted(files)), 24)}"


def landing_evaluation(
    landing: Path, cursor: str | None, now: datetime
) -> SensorResult | SkipReason:
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
def landing_zone_sensor(context: SensorEvaluationContext, tallyhouse: TallyhouseSettings):
    now = datetime.now(UTC).replace(microsecond=0)
    return landing_evaluation(tallyhouse.landing_path, context.cursor, now)
